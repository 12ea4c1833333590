package io.plsim.dataplane;

import io.plsim.core.model.LoadBalancer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A load balancer as the data plane runs it: its nodes by zone ID, its targets, and the one
 * attribute that may change at run time, cross-zone load balancing.
 */
final class LoadBalancerRuntime {

    final LoadBalancer spec;
    final List<TargetRuntime> targets;
    /** Filled once while the data plane starts, before any connection or check can read it. */
    final Map<String, NlbNode> nodesByZoneId = new LinkedHashMap<>();
    private volatile boolean crossZone;

    LoadBalancerRuntime(LoadBalancer spec, List<TargetRuntime> targets) {
        this.spec = spec;
        this.targets = List.copyOf(targets);
        this.crossZone = spec.crossZone();
    }

    boolean crossZone() {
        return crossZone;
    }

    void crossZone(boolean on) {
        crossZone = on;
    }
}
