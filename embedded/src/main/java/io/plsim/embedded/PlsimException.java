package io.plsim.embedded;

/**
 * What plsim refused, said as the command line says it: a sim-config problem with its line, an
 * address that cannot be bound, an EC2 error code and message. Unchecked, as a test fails on it.
 */
public final class PlsimException extends RuntimeException {

    PlsimException(String message) {
        super(message);
    }

    PlsimException(String message, Throwable cause) {
        super(message, cause);
    }
}
