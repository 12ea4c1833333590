package io.plsim.core.elb;

import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.LoadBalancer.ProxyProtocol.HeaderPlacement;
import java.util.Objects;

/**
 * What a load balancer's target groups are set to, as far as the data plane models it: one immutable value,
 * replaced whole by each change, so a reader never sees half of one.
 *
 * @param crossZone                  the target group's cross-zone override
 * @param proxyProtocol              {@code proxy_protocol_v2.enabled}
 * @param placement                  {@code proxy_protocol_v2.client_to_server.header_placement}
 * @param deregistrationDelaySeconds {@code deregistration_delay.timeout_seconds}: how long a deregistered
 *                                   target drains
 * @param terminateOnDeregistration  {@code deregistration_delay.connection_termination.enabled}: whether its
 *                                   open flows are reset when draining ends
 * @param terminateOnUnhealthy       {@code target_health_state.unhealthy.connection_termination.enabled}:
 *                                   whether a target turning unhealthy has its open flows reset
 * @param healthCheck                the health check
 */
public record TargetGroupSettings(CrossZone crossZone, boolean proxyProtocol, HeaderPlacement placement,
        int deregistrationDelaySeconds, boolean terminateOnDeregistration, boolean terminateOnUnhealthy,
        LoadBalancer.HealthCheck healthCheck) {

    /** AWS's default deregistration delay. */
    public static final int DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300;

    public TargetGroupSettings {
        Objects.requireNonNull(crossZone, "crossZone");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(healthCheck, "healthCheck");
    }

    /** The settings a sim-config's load balancer starts with: its own, and AWS's defaults for the rest. */
    static TargetGroupSettings of(LoadBalancer lb) {
        return new TargetGroupSettings(CrossZone.USE_LOAD_BALANCER_CONFIGURATION, lb.proxyProtocol().enabled(),
                lb.proxyProtocol().placement(), DEFAULT_DEREGISTRATION_DELAY_SECONDS, false, true, lb.healthCheck());
    }

    /** A target group's {@code load_balancing.cross_zone.enabled}. */
    public enum CrossZone {
        TRUE("true"), FALSE("false"), USE_LOAD_BALANCER_CONFIGURATION("use_load_balancer_configuration");

        private final String wire;

        CrossZone(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        /** Whether flows cross zones, given the load balancer's own attribute. */
        public boolean effective(boolean loadBalancer) {
            return this == USE_LOAD_BALANCER_CONFIGURATION ? loadBalancer : this == TRUE;
        }
    }

    TargetGroupSettings withCrossZone(CrossZone v) {
        return new TargetGroupSettings(v, proxyProtocol, placement, deregistrationDelaySeconds,
                terminateOnDeregistration, terminateOnUnhealthy, healthCheck);
    }

    TargetGroupSettings withProxyProtocol(boolean v) {
        return new TargetGroupSettings(crossZone, v, placement, deregistrationDelaySeconds, terminateOnDeregistration,
                terminateOnUnhealthy, healthCheck);
    }

    TargetGroupSettings withPlacement(HeaderPlacement v) {
        return new TargetGroupSettings(crossZone, proxyProtocol, v, deregistrationDelaySeconds,
                terminateOnDeregistration, terminateOnUnhealthy, healthCheck);
    }

    TargetGroupSettings withDeregistrationDelay(int seconds) {
        return new TargetGroupSettings(crossZone, proxyProtocol, placement, seconds, terminateOnDeregistration,
                terminateOnUnhealthy, healthCheck);
    }

    TargetGroupSettings withTerminateOnDeregistration(boolean v) {
        return new TargetGroupSettings(crossZone, proxyProtocol, placement, deregistrationDelaySeconds, v,
                terminateOnUnhealthy, healthCheck);
    }

    TargetGroupSettings withTerminateOnUnhealthy(boolean v) {
        return new TargetGroupSettings(crossZone, proxyProtocol, placement, deregistrationDelaySeconds,
                terminateOnDeregistration, v, healthCheck);
    }

    TargetGroupSettings withHealthCheck(LoadBalancer.HealthCheck v) {
        return new TargetGroupSettings(crossZone, proxyProtocol, placement, deregistrationDelaySeconds,
                terminateOnDeregistration, terminateOnUnhealthy, v);
    }
}
