package io.plsim.dataplane.fault;

import io.plsim.core.model.Fault;
import io.plsim.core.model.Fault.Location;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults in force, and the questions the data plane asks of them on its paths. With no fault
 * in force every question is one volatile read of an empty array, so faults cost nothing until
 * they are used.
 *
 * <p>The paths describe where they are as a {@link Location} (a connection by its interface's zone,
 * endpoint, IP and node, and its target once chosen; a node; a target), and each fault's
 * {@link Fault.Scope#matches} decides; which locations a kind of fault is asked about is decided
 * here: the {@code az} of a connection fault is the zone of the interface the connection came in
 * on, the {@code az} of a target fault or an outage the zone of the target.
 */
public final class FaultTable {

    private static final FaultInForce[] NONE = new FaultInForce[0];
    /** The most faults in force at once. */
    public static final int MAX_FAULTS = 10_000;

    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong serials = new AtomicLong();
    /** How many faults have ended ({@link FaultInForce#endsSoFar}). */
    private final AtomicLong ends = new AtomicLong();
    private final long seed;
    private volatile FaultInForce[] entries = NONE;

    public FaultTable(long seed) {
        this.seed = seed;
    }

    public boolean isEmpty() {
        return entries.length == 0;
    }

    public synchronized FaultInForce add(Fault fault, Instant now) {
        return add(fault, now, null);
    }

    /**
     * Puts a fault in force under an optional name, which no other fault in force may have.
     *
     * @throws IllegalArgumentException when the name is taken
     */
    public synchronized FaultInForce add(Fault fault, Instant now, String name) {
        if (entries.length >= MAX_FAULTS) {
            throw new IllegalArgumentException("fault: " + MAX_FAULTS + " faults are in force, the most plsim holds;"
                    + " remove some first");
        }
        if (name != null) {
            for (FaultInForce e : entries) {
                if (e.is(name)) {
                    throw new IllegalArgumentException("name: a fault named " + name + " is in force already ("
                            + e.id() + "); update it, or remove it first");
                }
            }
        }
        String id = "fault-" + ids.incrementAndGet();
        FaultInForce e = new FaultInForce(id, name, fault, now, seed * 31 + id.hashCode(), serials.incrementAndGet(),
                ends);
        FaultInForce[] next = Arrays.copyOf(entries, entries.length + 1);
        next[next.length - 1] = e;
        entries = next;
        return e;
    }

    /**
     * Changes a fault in force in place: the same ID, name, start and place among the others, with new
     * parameters, for new connections and health checks at once; null when none has that ID or name.
     */
    public synchronized FaultInForce replace(String idOrName, Fault fault) {
        FaultInForce[] next = entries.clone();
        for (int i = 0; i < next.length; i++) {
            FaultInForce old = next[i];
            if (old.is(idOrName)) {
                old.end();
                next[i] = new FaultInForce(old.id(), old.name(), fault, old.since(), seed * 31 + old.id().hashCode(),
                        serials.incrementAndGet(), ends);
                entries = next;
                return next[i];
            }
        }
        return null;
    }

    /** Ends a fault; null when none has that ID or name. */
    public synchronized FaultInForce remove(String id) {
        List<FaultInForce> keep = new ArrayList<>();
        FaultInForce removed = null;
        for (FaultInForce e : entries) {
            if (removed == null && e.is(id)) {
                removed = e;
                e.end();
            } else {
                keep.add(e);
            }
        }
        entries = keep.toArray(NONE);
        return removed;
    }

    /** The faults in force, in the order they were added. */
    public List<FaultInForce> list() {
        return List.of(entries);
    }

    // ---------------------------------------------------------------- questions of the paths

    /** Why a new connection at this interface goes nowhere or is refused, or null to let it in. */
    public Refusal admission(Location iface) {
        for (FaultInForce e : entries) {
            Fault f = e.fault();
            boolean refused = switch (f.kind()) {
                case AZ_OUTAGE, NODE_DOWN -> f.scope().matches(iface);
                case REFUSE_FIRST_N -> f.scope().matches(iface) && e.takeOne();
                default -> false;
            };
            if (refused) {
                e.hit();
                return new Refusal("fault-" + f.kind().wire(), f.kind() != Fault.Kind.REFUSE_FIRST_N);
            }
        }
        return null;
    }

    /** Whether a connection to the target is refused: it is down, or its zone is out. */
    public boolean unreachable(Location target) {
        for (FaultInForce e : entries) {
            Fault.Kind k = e.fault().kind();
            if ((k == Fault.Kind.TARGET_DOWN || k == Fault.Kind.AZ_OUTAGE) && e.fault().scope().matches(target)) {
                e.hit();
                return true;
            }
        }
        return false;
    }

    /** Whether a node's health check of a target fails without being tried. */
    public boolean healthCheckFails(Location node, Location target) {
        for (FaultInForce e : entries) {
            Fault.Scope s = e.fault().scope();
            boolean fails = switch (e.fault().kind()) {
                case TARGET_DOWN, TARGET_UNHEALTHY -> s.matches(target);
                case AZ_OUTAGE -> s.matches(target) || s.matches(node);
                case NODE_DOWN -> s.matches(nodeAlone(node));
                default -> false;
            };
            if (fails) {
                return true;
            }
        }
        return false;
    }

    /** Whether the node is down (node-down, or its zone is out): it can answer nothing, not even a reset. */
    public boolean nodeDown(Location node) {
        for (FaultInForce e : entries) {
            Fault.Kind k = e.fault().kind();
            if ((k == Fault.Kind.NODE_DOWN && e.fault().scope().matches(nodeAlone(node)))
                    || (k == Fault.Kind.AZ_OUTAGE && e.fault().scope().matches(node))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether data of an open connection goes nowhere: its interface's zone or its node is out, or
     * its target's zone is out or the target black-holed.
     *
     * @param target the target's own location, null before it is chosen
     */
    public boolean stalled(Location connection, Location target) {
        for (FaultInForce e : entries) {
            Fault.Scope s = e.fault().scope();
            boolean stalls = switch (e.fault().kind()) {
                case AZ_OUTAGE -> s.matches(connection) || (target != null && s.matches(target));
                case NODE_DOWN -> s.matches(nodeAlone(connection));
                case TARGET_BLACKHOLE -> target != null && s.matches(target);
                default -> false;
            };
            if (stalls) {
                return true;
            }
        }
        return false;
    }

    /**
     * Just the node of a place. A node that is down is down for everything it carries: its other
     * scope fields (a zone, an endpoint, an interface) narrow which new connections it holds
     * silent, not whether its health checks fail or its open flows stall.
     */
    private static Location nodeAlone(Location at) {
        return new Location(null, null, null, at.node(), null);
    }

    /**
     * Puts the connection faults a new connection gets to work on it, after each one's toxicity
     * roll: in one pass over the faults in force, each that applies joining its kind's stage
     * ({@link FaultStages}), so that a connection pays once per kind however many apply.
     *
     * @param connection the connection, with its target
     * @return its stages, for {@link #installLate}
     */
    public FaultStages install(Location connection, Link link) {
        FaultStages stages = new FaultStages(link);
        for (FaultInForce e : entries) {
            stages.show(e);
            if (e.fault().kind().isConnectionFault() && e.fault().scope().matches(connection) && e.roll()) {
                e.hit();
                stages.add(e);
            }
        }
        return stages;
    }

    /**
     * Puts a connection fault put in force (or updated) after a connection opened to work on it, as
     * Toxiproxy adds a toxic to the links it has: once, after its toxicity roll, unless the
     * connection was shown it already (when it opened, or since) or it has ended since.
     */
    public void installLate(FaultInForce e, Location connection, FaultStages stages) {
        if (stages.show(e) && e.active() && e.fault().kind().isConnectionFault()
                && e.fault().scope().matches(connection) && e.roll()) {
            e.hit();
            stages.add(e);
        }
    }
}
