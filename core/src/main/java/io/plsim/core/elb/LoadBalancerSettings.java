package io.plsim.core.elb;

import java.util.Objects;

/**
 * What the data plane follows of one load balancer: its own cross-zone attribute and its target groups'
 * settings, as one value a change replaces whole.
 *
 * @param loadBalancerArn the load balancer
 * @param crossZone       the load balancer's {@code load_balancing.cross_zone.enabled}
 * @param targetGroups    what its target groups are set to
 */
public record LoadBalancerSettings(String loadBalancerArn, boolean crossZone, TargetGroupSettings targetGroups) {

    public LoadBalancerSettings {
        Objects.requireNonNull(loadBalancerArn, "loadBalancerArn");
        Objects.requireNonNull(targetGroups, "targetGroups");
    }

    /** Whether new flows may go to targets in other zones: the target groups' override, else the load balancer's. */
    public boolean flowsCrossZones() {
        return targetGroups.crossZone().effective(crossZone);
    }
}
