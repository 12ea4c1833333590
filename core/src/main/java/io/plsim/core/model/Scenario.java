package io.plsim.core.model;

import java.time.Duration;
import java.util.List;

/**
 * A reproducible fault experiment: steady traffic through every endpoint for {@code duration},
 * faults switched on and off on a timeline, played once per variant.
 *
 * @param seed     seeds everything random in the run (fault toxicity, jitter, client choices)
 * @param variants ways to play the same timeline, e.g. cross-zone load balancing off and on
 */
public record Scenario(long seed, Duration duration, Traffic traffic, List<Variant> variants, List<Step> timeline) {

    public Scenario {
        variants = List.copyOf(variants);
        timeline = List.copyOf(timeline);
    }

    /**
     * The built-in client: {@code ratePerEndpoint} new connections a second to each endpoint's
     * regional DNS name, each sending {@code payloadBytes} and waiting up to {@code timeoutMillis}
     * for them to come back.
     */
    public record Traffic(int ratePerEndpoint, long timeoutMillis, int payloadBytes) {
        public static final Traffic DEFAULT = new Traffic(50, 500, 32);
    }

    /**
     * One way to play the timeline.
     *
     * @param crossZone null to leave each load balancer as configured, else cross-zone for all
     */
    public record Variant(String name, Boolean crossZone) {
    }

    /**
     * A fault switched on at {@code at} and off after {@code lasting} (null: until the end).
     */
    public record Step(Duration at, Duration lasting, Fault fault) {
    }
}
