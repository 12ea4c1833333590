package io.plsim.dataplane;

import io.plsim.core.model.Fault;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults in force, and the questions the data plane asks of them on its paths. With no fault
 * in force every question is one volatile read of an empty array, so faults cost nothing until
 * they are used.
 *
 * <p>Scope: the {@code az} of a fault matches the zone of the endpoint interface a connection came
 * in on, or, for target faults and outages, the zone of the target; {@code endpoint} and
 * {@code interface} match the connection's endpoint and interface IP; {@code node} the NLB node's
 * IP; {@code target} the target's {@code host:port}.
 */
final class FaultTable {

    private static final Entry[] NONE = new Entry[0];

    private final AtomicInteger ids = new AtomicInteger();
    private final long seed;
    private volatile Entry[] entries = NONE;

    FaultTable(long seed) {
        this.seed = seed;
    }

    /** A fault in force, with what it has done so far. */
    static final class Entry {
        final String id;
        final Fault fault;
        final Instant since;
        final AtomicLong hits = new AtomicLong();
        final AtomicLong left;
        private final SplittableRandom random;
        volatile boolean active = true;

        Entry(String id, Fault fault, Instant since, long seed) {
            this.id = id;
            this.fault = fault;
            this.since = since;
            this.left = new AtomicLong(fault.param("count"));
            this.random = new SplittableRandom(seed);
        }

        synchronized boolean roll() {
            return fault.toxicity() >= 1.0 || (fault.toxicity() > 0 && random.nextDouble() < fault.toxicity());
        }

        synchronized long nextLong(long bound) {
            return bound <= 0 ? 0 : random.nextLong(bound);
        }
    }

    boolean isEmpty() {
        return entries.length == 0;
    }

    synchronized Entry add(Fault fault, Instant now) {
        String id = "fault-" + ids.incrementAndGet();
        Entry e = new Entry(id, fault, now, seed * 31 + id.hashCode());
        Entry[] next = java.util.Arrays.copyOf(entries, entries.length + 1);
        next[next.length - 1] = e;
        entries = next;
        return e;
    }

    synchronized Entry remove(String id) {
        List<Entry> keep = new ArrayList<>();
        Entry removed = null;
        for (Entry e : entries) {
            if (e.id.equals(id)) {
                removed = e;
                e.active = false;
            } else {
                keep.add(e);
            }
        }
        entries = keep.toArray(NONE);
        return removed;
    }

    List<Entry> list() {
        return List.of(entries);
    }

    // ---------------------------------------------------------------- questions of the paths

    /** Why a new connection on this interface goes nowhere or is refused, or null to let it in. */
    String admission(EndpointInterfaceRuntime iface) {
        for (Entry e : entries) {
            Fault f = e.fault;
            switch (f.kind()) {
                case AZ_OUTAGE -> {
                    if (f.scope().zoneId().equals(iface.eni().zoneId())) {
                        e.hits.incrementAndGet();
                        return "blackhole:fault-az-outage";
                    }
                }
                case NODE_DOWN -> {
                    if (f.scope().node().equals(iface.node().ip.getHostAddress()) && matchesInterface(f, iface)) {
                        e.hits.incrementAndGet();
                        return "blackhole:fault-node-down";
                    }
                }
                case REFUSE_FIRST_N -> {
                    if (matchesInterface(f, iface) && matchesNode(f, iface.node()) && f.scope().target() == null
                            && e.left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        e.hits.incrementAndGet();
                        return "reset:fault-refuse-first-n";
                    }
                }
                default -> {
                }
            }
        }
        return null;
    }

    /** Whether a connection to the target is refused: it is down, or its zone is out. */
    boolean unreachable(TargetRuntime t) {
        for (Entry e : entries) {
            Fault f = e.fault;
            if ((f.kind() == Fault.Kind.TARGET_DOWN && matchesTarget(f, t))
                    || (f.kind() == Fault.Kind.AZ_OUTAGE && f.scope().zoneId().equals(t.zoneId()))) {
                e.hits.incrementAndGet();
                return true;
            }
        }
        return false;
    }

    /** Whether this node's health check of the target fails without being tried. */
    boolean healthCheckFails(NlbNode node, TargetRuntime t) {
        for (Entry e : entries) {
            Fault f = e.fault;
            boolean fails = switch (f.kind()) {
                case TARGET_DOWN, TARGET_UNHEALTHY -> matchesTarget(f, t);
                case AZ_OUTAGE -> f.scope().zoneId().equals(t.zoneId()) || f.scope().zoneId().equals(node.zoneId());
                case NODE_DOWN -> f.scope().node().equals(node.ip.getHostAddress());
                default -> false;
            };
            if (fails) {
                return true;
            }
        }
        return false;
    }

    /** Whether the node is down (node-down, or its zone is out): it can answer nothing, not even a reset. */
    boolean nodeDown(NlbNode node) {
        for (Entry e : entries) {
            Fault f = e.fault;
            if ((f.kind() == Fault.Kind.NODE_DOWN && f.scope().node().equals(node.ip.getHostAddress()))
                    || (f.kind() == Fault.Kind.AZ_OUTAGE && f.scope().zoneId().equals(node.zoneId()))) {
                return true;
            }
        }
        return false;
    }

    /** Whether data of an open connection goes nowhere: its zone or node is out, or its target black-holed. */
    boolean stalled(EndpointInterfaceRuntime iface, TargetRuntime target) {
        for (Entry e : entries) {
            Fault f = e.fault;
            boolean stalls = switch (f.kind()) {
                case AZ_OUTAGE -> f.scope().zoneId().equals(iface.eni().zoneId())
                        || (target != null && f.scope().zoneId().equals(target.zoneId()));
                case NODE_DOWN -> f.scope().node().equals(iface.node().ip.getHostAddress());
                case TARGET_BLACKHOLE -> target != null && matchesTarget(f, target);
                default -> false;
            };
            if (stalls) {
                return true;
            }
        }
        return false;
    }

    /** The connection faults a new connection gets, in the order they were added, after each one's toxicity roll. */
    List<Entry> connectionFaults(EndpointInterfaceRuntime iface, TargetRuntime target) {
        List<Entry> out = null;
        for (Entry e : entries) {
            Fault f = e.fault;
            if (f.kind().isConnectionFault() && matchesInterface(f, iface) && matchesNode(f, iface.node())
                    && (f.scope().target() == null || f.scope().target().equals(target.label())) && e.roll()) {
                if (out == null) {
                    out = new ArrayList<>();
                }
                e.hits.incrementAndGet();
                out.add(e);
            }
        }
        return out == null ? List.of() : out;
    }

    private static boolean matchesInterface(Fault f, EndpointInterfaceRuntime iface) {
        Fault.Scope s = f.scope();
        return (s.zoneId() == null || s.zoneId().equals(iface.eni().zoneId()))
                && (s.endpointId() == null || s.endpointId().equals(iface.endpointId()))
                && (s.interfaceIp() == null || s.interfaceIp().equals(iface.eni().privateIp()));
    }

    private static boolean matchesNode(Fault f, NlbNode node) {
        return f.scope().node() == null || f.scope().node().equals(node.ip.getHostAddress());
    }

    private static boolean matchesTarget(Fault f, TargetRuntime t) {
        Fault.Scope s = f.scope();
        return (s.target() == null || s.target().equals(t.label())) && (s.zoneId() == null || s.zoneId().equals(t.zoneId()));
    }
}
