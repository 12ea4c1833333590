package io.plsim.core.model;

/**
 * Settings of the simulation itself, not of any AWS resource.
 *
 * @param seed      seeds every random choice (IDs, DNS names, flow values), so a run can be repeated
 * @param admission what a connection to an endpoint that is not {@code available} gets
 * @param deletedEndpointRetention how long a deleted endpoint is still described (as {@code deleted})
 *                  before the world forgets it, as AWS forgets deleted endpoints after a while
 */
public record Simulation(long seed, Denial admission, java.time.Duration deletedEndpointRetention) {

    /** An hour, as a default: long enough to see a deletion, short enough to bound a long run. */
    public static final java.time.Duration DEFAULT_DELETED_RETENTION = java.time.Duration.ofHours(1);

    public static final Simulation DEFAULT = new Simulation(0x5eedL, Denial.RESET, DEFAULT_DELETED_RETENTION);

    public Simulation(long seed, Denial admission) {
        this(seed, admission, DEFAULT_DELETED_RETENTION);
    }

    /**
     * How a connection that may not pass looks to the client that made it (the sim-config's {@code admission});
     * whether it may pass is the data plane's {@code Admission}.
     */
    public enum Denial {
        /** Accepted and reset at once: the client sees a connection reset. */
        RESET,
        /** Accepted and never answered nor read: the client waits until it gives up. */
        BLACKHOLE
    }
}
