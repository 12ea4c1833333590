package io.plsim.core.model;

/**
 * Settings of the simulation itself, not of any AWS resource.
 *
 * @param seed      seeds every random choice (IDs, DNS names, flow values), so a run can be repeated
 * @param admission what a connection to an endpoint that is not {@code available} gets
 * @param deletedEndpointRetention how long a deleted endpoint is still described (as {@code deleted})
 *                  before the world forgets it, as AWS forgets deleted endpoints after a while
 * @param acceptDelay how long an endpoint is {@code pending} once accepted (by the provider, or at
 *                  creation when the service accepts on its own) before it is {@code available}, as AWS
 *                  takes a while; zero, the default, makes it {@code available} at once
 * @param awsServices whether DescribeVpcEndpointServices lists a few of AWS's own services
 *                  ({@code com.amazonaws.<region>.s3}, ...) beside the world's, as AWS does; off by default
 * @param dnsVerificationDelay how long a private DNS name stays {@code pendingVerification} once its
 *                  verification is started, before the world's public DNS is checked
 * @param crossZonePricePerGb the price, in USD per GB and in each direction, that bytes between an endpoint
 *                  interface and a target in another zone are estimated at; AWS's published inter-AZ rate,
 *                  0.01, by default
 */
public record Simulation(long seed, Denial admission, java.time.Duration deletedEndpointRetention,
                         java.time.Duration acceptDelay, boolean awsServices,
                         java.time.Duration dnsVerificationDelay, double crossZonePricePerGb) {

    /** AWS's published rate for data transferred between zones of one Region, USD per GB, each way. */
    public static final double AWS_CROSS_ZONE_PRICE_PER_GB = 0.01;

    /** An hour, as a default: long enough to see a deletion, short enough to bound a long run. */
    public static final java.time.Duration DEFAULT_DELETED_RETENTION = java.time.Duration.ofHours(1);
    /**
     * Two seconds: long enough to see {@code pendingVerification} in a describe, short enough for a
     * walk through the CLI (AWS takes minutes).
     */
    public static final java.time.Duration DEFAULT_DNS_VERIFICATION_DELAY = java.time.Duration.ofSeconds(2);

    public static final Simulation DEFAULT = new Simulation(0x5eedL, Denial.RESET, DEFAULT_DELETED_RETENTION,
            java.time.Duration.ZERO, false, DEFAULT_DNS_VERIFICATION_DELAY, AWS_CROSS_ZONE_PRICE_PER_GB);

    public Simulation(long seed, Denial admission) {
        this(seed, admission, DEFAULT_DELETED_RETENTION, java.time.Duration.ZERO, false, DEFAULT_DNS_VERIFICATION_DELAY,
                AWS_CROSS_ZONE_PRICE_PER_GB);
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
