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
 * Draining targets are in no pool. Health and registration changes rebuild an immutable snapshot,
 * so a pick is two array reads and no allocation.
 */
final class TargetSelector {

    private static final TargetRuntime[] NONE = new TargetRuntime[0];

    private final String zoneId;
    private volatile Snapshot snapshot = new Snapshot(NONE, NONE, NONE, NONE);

    private record Snapshot(TargetRuntime[] zone, TargetRuntime[] all, TargetRuntime[] healthyZone,
            TargetRuntime[] healthyAll) {
    }

    /** @param zoneId the node's zone */
    TargetSelector(String zoneId) {
        this.zoneId = zoneId;
    }

    /** The target for a flow, or null when the flow must be refused. */
    TargetRuntime select(int flowHash, boolean crossZone) {
        Snapshot s = snapshot;
        TargetRuntime[] pool;
        if (crossZone) {
            pool = s.healthyAll.length > 0 ? s.healthyAll : s.all;
        } else if (s.healthyZone.length > 0) {
            pool = s.healthyZone;
        } else if (s.healthyAll.length == 0) {
            pool = s.zone;
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

    /**
     * Called whenever the targets or their health change.
     *
     * @param targets the load balancer's targets, draining ones included
     * @param healthy the ones this node sees healthy
     */
    void update(List<TargetRuntime> targets, List<TargetRuntime> healthy) {
        List<TargetRuntime> zone = new ArrayList<>();
        List<TargetRuntime> all = new ArrayList<>();
        List<TargetRuntime> healthyZone = new ArrayList<>();
        List<TargetRuntime> healthyAll = new ArrayList<>();
        for (TargetRuntime t : targets) {
            if (t.draining) {
                continue;
            }
            boolean local = t.zoneId().equals(zoneId);
            all.add(t);
            if (local) {
                zone.add(t);
            }
            if (healthy.contains(t)) {
                healthyAll.add(t);
                if (local) {
                    healthyZone.add(t);
                }
            }
        }
        snapshot = new Snapshot(zone.toArray(NONE), all.toArray(NONE), healthyZone.toArray(NONE),
                healthyAll.toArray(NONE));
    }
}
