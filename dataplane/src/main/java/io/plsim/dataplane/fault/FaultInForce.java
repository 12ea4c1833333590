package io.plsim.dataplane.fault;

import io.plsim.core.model.Fault;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault in force, with what it has done so far. Its random source is seeded from the world's
 * seed and the fault's ID, so that a run's toxicity rolls and jitters repeat.
 */
public final class FaultInForce {

    private final String id;
    private final String name;
    private final Fault fault;
    private final Instant since;
    private final AtomicLong hits = new AtomicLong();
    /** Connections refuse-first-n still refuses. */
    private final AtomicLong left;
    private final SplittableRandom random;
    private volatile boolean active = true;
    /** How many faults of its table have ended, this one's end included once it has. */
    private final AtomicLong ends;
    /** Rises with every fault put in force or updated: a connection knows which it has been shown. */
    final long serial;

    FaultInForce(String id, String name, Fault fault, Instant since, long seed, long serial, AtomicLong ends) {
        this.serial = serial;
        this.ends = ends;
        this.id = id;
        this.name = name;
        this.fault = fault;
        this.since = since;
        this.left = new AtomicLong(fault.param("count"));
        this.random = new SplittableRandom(seed);
    }

    public String id() {
        return id;
    }

    /** The name it was given, or null. */
    public String name() {
        return name;
    }

    /** Whether {@code idOrName} is its ID or its name. */
    public boolean is(String idOrName) {
        return id.equals(idOrName) || idOrName.equals(name);
    }

    public Fault fault() {
        return fault;
    }

    public Instant since() {
        return since;
    }

    /** How many connections or health checks it hit. */
    public long hits() {
        return hits.get();
    }

    /** False once removed: a connection fault already installed stops acting. */
    boolean active() {
        return active;
    }

    void end() {
        active = false;
        ends.incrementAndGet();
    }

    /**
     * How many faults of its table have ended so far. It rises after each end's {@link #active} turns
     * false, so what was worked out from faults' {@code active} is still right while it stays.
     */
    long endsSoFar() {
        return ends.get();
    }

    void hit() {
        hits.incrementAndGet();
    }

    /** Takes one of refuse-first-n's connections; false once they are used up. */
    boolean takeOne() {
        return left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    long param(String name) {
        return fault.param(name);
    }

    /** Whether this connection is hit, by the fault's toxicity; only a toxicity between 0 and 1 draws. */
    boolean roll() {
        double toxicity = fault.toxicity();
        if (toxicity >= 1.0 || toxicity <= 0) {
            return toxicity >= 1.0;
        }
        synchronized (this) {
            return random.nextDouble() < toxicity;
        }
    }

    /** A random value in {@code [0, bound)}, 0 when bound is not positive. */
    synchronized long nextLong(long bound) {
        return bound <= 0 ? 0 : random.nextLong(bound);
    }
}
