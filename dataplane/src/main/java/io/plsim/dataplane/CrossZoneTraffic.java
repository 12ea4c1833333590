package io.plsim.dataplane;

import java.util.Comparator;

/**
 * The bytes one endpoint's flows carried through one load balancer between an interface in one zone and
 * targets in another, since the data plane started: payload bytes, as {@code plsim_bytes_total} counts
 * them (not TCP/IP headers, nor the Proxy Protocol header).
 *
 * @param interfaceZoneId the zone ID of the endpoint network interface the flows came in on
 * @param targetZoneId    the zone ID of the targets they went to
 * @param bytesToTarget   from the consumer to the target: from the interface's zone to the target's
 * @param bytesToConsumer from the target to the consumer: from the target's zone to the interface's
 */
public record CrossZoneTraffic(String endpointId, String loadBalancer, String interfaceZoneId, String targetZoneId,
                               long bytesToTarget, long bytesToConsumer) {

    /** A GB as AWS's data transfer pricing counts it: 2^30 bytes. */
    public static final double BYTES_PER_GB = 1024.0 * 1024 * 1024;

    static final Comparator<CrossZoneTraffic> ORDER = Comparator.comparing(CrossZoneTraffic::endpointId)
            .thenComparing(CrossZoneTraffic::interfaceZoneId).thenComparing(CrossZoneTraffic::targetZoneId);

    public long bytes() {
        return bytesToTarget + bytesToConsumer;
    }

    /** What these bytes cost at {@code pricePerGb}, charged in each direction. */
    public double cost(double pricePerGb) {
        return cost(bytes(), pricePerGb);
    }

    /** What {@code bytes} crossing zones cost at {@code pricePerGb}. */
    public static double cost(long bytes, double pricePerGb) {
        return bytes / BYTES_PER_GB * pricePerGb;
    }

    /** In words, for reports: bytes each way and what they cost at {@code pricePerGb}. */
    public static String describe(long bytesToTarget, long bytesToConsumer, double pricePerGb) {
        return String.format(java.util.Locale.ROOT, "%d bytes to targets, %d to consumers, about $%.6f at $%s per GB"
                + " each way", bytesToTarget, bytesToConsumer, cost(bytesToTarget + bytesToConsumer, pricePerGb),
                java.math.BigDecimal.valueOf(pricePerGb).toPlainString());
    }
}
