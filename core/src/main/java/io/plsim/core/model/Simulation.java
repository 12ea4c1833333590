package io.plsim.core.model;

/**
 * Settings of the simulation itself, not of any AWS resource.
 *
 * @param seed      seeds every random choice (IDs, DNS names, flow values), so a run can be repeated
 * @param admission what a connection to an endpoint that is not {@code available} gets
 */
public record Simulation(long seed, Admission admission) {

    public static final Simulation DEFAULT = new Simulation(0x5eedL, Admission.RESET);

    /** How a connection that may not pass is denied. */
    public enum Admission {
        /** Accepted and reset at once: the client sees a connection reset. */
        RESET,
        /** Accepted and never answered nor read: the client waits until it gives up. */
        BLACKHOLE
    }
}
