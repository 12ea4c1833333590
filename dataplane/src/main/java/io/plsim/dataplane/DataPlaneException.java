package io.plsim.dataplane;

/** The data plane could not start: an address could not be bound, a built-in target failed. */
public final class DataPlaneException extends Exception {
    public DataPlaneException(String message) {
        super(message, null, false, false);
    }
}
