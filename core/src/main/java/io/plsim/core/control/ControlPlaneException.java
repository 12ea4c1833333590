package io.plsim.core.control;

/**
 * A request the control plane refuses, with the EC2 error code AWS answers for the same mistake.
 * The message names what is wrong; it never carries a stack trace to the caller.
 */
public final class ControlPlaneException extends RuntimeException {

    private final String code;

    public ControlPlaneException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
