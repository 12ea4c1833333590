package io.plsim.dataplane;

import io.plsim.core.elb.LoadBalancerSettings;
import io.plsim.core.model.LoadBalancer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A load balancer as the data plane runs it: its nodes by zone ID, its targets (draining ones too,
 * until they go), and the settings the ELBv2 API may change at run time, each read where it takes
 * effect: cross-zone at each new flow, Proxy Protocol at each connect and health check, the health
 * check at each round.
 */
final class LoadBalancerRuntime {

    final LoadBalancer spec;
    /** Filled once while the data plane starts, before any connection or check can read it. */
    final Map<String, NlbNode> nodesByZoneId = new LinkedHashMap<>();
    /** Replaced whole on each change (copy on write), so a reader iterates a list no one changes. */
    private volatile List<TargetRuntime> targets = List.of();
    private volatile LoadBalancerSettings settings;
    /** What its flows carried between an interface in one zone and a target in another. */
    final CrossZoneLedger crossZoneBytes = new CrossZoneLedger();

    LoadBalancerRuntime(LoadBalancer spec, LoadBalancerSettings settings) {
        this.spec = spec;
        this.settings = settings;
    }

    List<TargetRuntime> targets() {
        return targets;
    }

    synchronized void add(TargetRuntime t) {
        List<TargetRuntime> next = new ArrayList<>(targets);
        next.add(t);
        targets = List.copyOf(next);
    }

    synchronized void remove(TargetRuntime t) {
        List<TargetRuntime> next = new ArrayList<>(targets);
        next.remove(t);
        targets = List.copyOf(next);
    }

    LoadBalancerSettings settings() {
        return settings;
    }

    void settings(LoadBalancerSettings now) {
        settings = now;
    }

    boolean crossZone() {
        return settings.flowsCrossZones();
    }

    boolean proxyProtocol() {
        return settings.targetGroups().proxyProtocol();
    }
}
