package io.plsim.core.control;

/** One item of a batch call that failed, with the EC2 error code and message for it. */
public record Unsuccessful(String resourceId, String code, String message) {
}
