package io.plsim.dataplane;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One target as the data plane sees it at one moment: its health as each node of its load balancer
 * sees it (by the node's zone ID, in the nodes' order), the flows it received (in all and by the
 * endpoint they came through), whether it drains, and how long the nodes' connects to it took.
 * ELBv2's one state per target is {@code core}'s {@code TargetHealthSource.TargetStatus}.
 *
 * @param address its {@code host:port}, as a fault's scope names it
 */
public record TargetView(String loadBalancer, String zoneName, String zoneId, String address, String kind,
                         Map<String, TargetHealth> healthByNodeZoneId, long flows,
                         Map<String, Long> flowsByEndpoint, boolean draining,
                         ConnectTimes.Snapshot connectTimes) {

    static TargetView of(LoadBalancerRuntime lb, TargetRuntime t) {
        Map<String, TargetHealth> health = new LinkedHashMap<>();
        for (NlbNode node : lb.nodesByZoneId.values()) {
            health.put(node.zoneId(), node.health(t));
        }
        Map<String, Long> byEndpoint = new TreeMap<>();
        t.flowsByEndpoint.forEach((e, n) -> byEndpoint.put(e, n.sum()));
        return new TargetView(lb.spec.name(), t.spec.zoneName(), t.zoneId(), t.label(), t.spec.kind().configName(),
                health, t.flows.sum(), byEndpoint, t.draining, t.connectTimes.snapshot());
    }
}
