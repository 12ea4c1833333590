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
     * The built-in client: {@code ratePerEndpoint} requests a second to each endpoint's regional DNS
     * name, each sending {@code payloadBytes} and waiting up to {@code timeoutMillis} for them to come
     * back, on a new connection each ({@link Mode#CHURN}), on {@code connectionsPerEndpoint}
     * long-lived ones ({@link Mode#RR}), or both side by side, each at that rate.
     */
    public record Traffic(Mode mode, int ratePerEndpoint, long timeoutMillis, int payloadBytes,
                          int connectionsPerEndpoint) {
        public static final Traffic DEFAULT = new Traffic(Mode.CHURN, 50, 500, 32, 4);

        /** The same traffic in another mode. */
        public Traffic in(Mode other) {
            return new Traffic(other, ratePerEndpoint, timeoutMillis, payloadBytes, connectionsPerEndpoint);
        }
    }

    /** How the built-in client carries its requests. */
    public enum Mode {
        /** A new connection per request, resolved through DNS each time: what faults at connect time hit. */
        CHURN,
        /**
         * Requests and their echoes on long-lived connections, each resolved once and opened again
         * (resolved again) after a failure: what faults on open flows (reset after N ms, slicer,
         * bandwidth, latency) hit.
         */
        RR,
        /** Both, side by side, reported apart. */
        BOTH;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The modes a run of this one drives. */
        public List<Mode> driven() {
            return this == BOTH ? List.of(CHURN, RR) : List.of(this);
        }

        public static java.util.Optional<Mode> ofWire(String text) {
            for (Mode m : values()) {
                if (m.wire().equals(text)) {
                    return java.util.Optional.of(m);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /**
     * One way to play the timeline.
     *
     * @param crossZone null to leave each load balancer as configured, else cross-zone for all
     * @param traffic   null for the scenario's traffic mode, else this variant's
     */
    public record Variant(String name, Boolean crossZone, Mode traffic) {
        public Variant(String name, Boolean crossZone) {
            this(name, crossZone, null);
        }
    }

    /** The traffic a variant drives: the scenario's, in the variant's mode if it names one. */
    public Traffic traffic(Variant v) {
        return v.traffic() == null ? traffic : traffic.in(v.traffic());
    }

    /**
     * A fault switched on at {@code at} and off after {@code lasting} (null: until the end).
     */
    public record Step(Duration at, Duration lasting, Fault fault) {
    }
}
