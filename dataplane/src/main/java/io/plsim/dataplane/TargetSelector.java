package io.plsim.dataplane;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks the target of a new flow for one NLB node, by flow hash, the way NLB does:
 * <ul>
 *   <li>cross-zone off: among the healthy targets of the node's zone; if that zone has none while
 *       another zone has some, the flow is refused (null: reset);</li>
 *   <li>cross-zone on: among the healthy targets of every zone;</li>
 *   <li>no target healthy anywhere: fail open, to every target the node would otherwise use.</li>
 * </ul>
 * Health changes rebuild an immutable snapshot, so a pick is two array reads and no allocation.
 */
final class TargetSelector {

    private final TargetRuntime[] zone;
    private final TargetRuntime[] all;
    private volatile Snapshot snapshot;

    private record Snapshot(TargetRuntime[] healthyZone, TargetRuntime[] healthyAll) {
    }

    /**
     * @param all  every target of the load balancer
     * @param zoneId the node's zone
     */
    TargetSelector(List<TargetRuntime> all, String zoneId) {
        this.all = all.toArray(TargetRuntime[]::new);
        this.zone = all.stream().filter(t -> t.zoneId().equals(zoneId)).toArray(TargetRuntime[]::new);
        this.snapshot = new Snapshot(new TargetRuntime[0], new TargetRuntime[0]);
    }

    /** The target for a flow, or null when the flow must be refused. */
    TargetRuntime select(int flowHash, boolean crossZone) {
        Snapshot s = snapshot;
        TargetRuntime[] pool;
        if (crossZone) {
            pool = s.healthyAll.length > 0 ? s.healthyAll : all;
        } else if (s.healthyZone.length > 0) {
            pool = s.healthyZone;
        } else if (s.healthyAll.length == 0) {
            pool = zone;
        } else {
            return null;
        }
        if (pool.length == 0) {
            return null;
        }
        return pool[(int) ((flowHash & 0xffffffffL) % pool.length)];
    }

    /**
     * Whether the node has a healthy target to send a flow to, which is what NLB's DNS failover
     * asks of a zone: a healthy target in the zone, or with cross-zone on, anywhere.
     */
    boolean hasHealthyTarget(boolean crossZone) {
        Snapshot s = snapshot;
        return s.healthyZone.length > 0 || (crossZone && s.healthyAll.length > 0);
    }

    /** Called by health checks whenever the set of healthy targets changes. */
    void update(List<TargetRuntime> healthy) {
        List<TargetRuntime> inZone = new ArrayList<>();
        for (TargetRuntime t : zone) {
            if (healthy.contains(t)) {
                inZone.add(t);
            }
        }
        List<TargetRuntime> anywhere = new ArrayList<>();
        for (TargetRuntime t : all) {
            if (healthy.contains(t)) {
                anywhere.add(t);
            }
        }
        snapshot = new Snapshot(inZone.toArray(TargetRuntime[]::new), anywhere.toArray(TargetRuntime[]::new));
    }
}
