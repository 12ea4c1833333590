package io.plsim.dataplane.fault;

/**
 * A fault's answer to a new connection that it does not let in.
 *
 * @param reason the denial reason the counters record, e.g. {@code fault-az-outage}
 * @param silent true when the connection goes nowhere (held, nothing answered), false when it is reset
 */
public record Refusal(String reason, boolean silent) {
}
