package io.plsim.embedded;

import java.util.List;
import java.util.Map;

/**
 * A Network Load Balancer as the world has it at the moment it was asked (a snapshot: ask again to
 * see health change).
 *
 * @param nodeIps by AZ ID, each node's address
 */
public record LoadBalancer(String name, String arn, String ownerId, List<Integer> listenerPorts,
                           Map<String, String> nodeIps, List<Target> targets) {

    public LoadBalancer {
        listenerPorts = List.copyOf(listenerPorts);
        nodeIps = Map.copyOf(nodeIps);
        targets = List.copyOf(targets);
    }

    /**
     * One registered target.
     *
     * @param address           {@code host:port}, or the built-in's name
     * @param healthByNodeZoneId {@code initial}, {@code healthy} or {@code unhealthy}, as each node (by its AZ ID) sees it
     */
    public record Target(String address, String zoneId, Map<String, String> healthByNodeZoneId) {
        public Target {
            healthByNodeZoneId = Map.copyOf(healthByNodeZoneId);
        }

        /** Healthy as every node sees it. */
        public boolean healthy() {
            return !healthByNodeZoneId.isEmpty() && healthByNodeZoneId.values().stream().allMatch("healthy"::equals);
        }
    }
}
