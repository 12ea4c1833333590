package io.plsim.core.elb;

import java.util.List;

/**
 * Where the health of a load balancer's targets comes from: the data plane, whose nodes check them. The
 * control side has no threads and no sockets, so it asks; a world without a data plane answers that every
 * target is still {@code initial}.
 */
@FunctionalInterface
public interface TargetHealthSource {

    /** Every target the data plane runs for the load balancer, registered or draining, in registration order. */
    List<TargetStatus> targets(String loadBalancerArn);

    /** A target's state as {@code DescribeTargetHealth} names it. */
    enum State {
        INITIAL("initial"), HEALTHY("healthy"), UNHEALTHY("unhealthy"), DRAINING("draining"), UNUSED("unused");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /**
     * One target as the data plane runs it.
     *
     * @param zoneName the zone it is registered in, as the load balancer's account names it
     * @param ip       its IP address
     * @param port     its port (a built-in target's, once bound)
     * @param healthCheckPort the port its health checks go to
     * @param state    initial, healthy, unhealthy (as its nodes see it) or draining
     * @param reason   ELBv2's reason code ({@code Elb.InitialHealthChecking}, {@code Target.FailedHealthChecks},
     *                 {@code Target.DeregistrationInProgress}), or null when healthy
     */
    record TargetStatus(String zoneName, String ip, int port, int healthCheckPort, State state, String reason) {
    }
}
