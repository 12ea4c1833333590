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
    /** Rises with every fault put in force or updated: a connection knows which it has been shown. */
    final long serial;

    FaultInForce(String id, String name, Fault fault, Instant since, long seed, long serial) {
        this.serial = serial;
        this.id = id;
        this.name = name;
        this.fault = fault;
        this.since = since;
        this.left = new AtomicLong(fault.param("count"));
        this.random = new SplittableRandom(seed);
    }

    /** Rises with every fault put in force or updated, so that a connection can tell which it has been shown. */
    public long serial() {
        return serial;
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

    /** Whether this connection is hit, by the fault's toxicity. */
    synchronized boolean roll() {
        return fault.toxicity() >= 1.0 || (fault.toxicity() > 0 && random.nextDouble() < fault.toxicity());
    }

    /** A random value in {@code [0, bound)}, 0 when bound is not positive. */
    synchronized long nextLong(long bound) {
        return bound <= 0 ? 0 : random.nextLong(bound);
    }

    /** Puts this connection fault to work on a new connection. */
    void installOn(Link link) {
        switch (fault.kind()) {
            case RESET_PEER -> ResetPeer.install(this, link);
            case TIMEOUT -> Timeout.install(this, link);
            case LATENCY -> link.add(fault.stream(), () -> new Latency(this));
            case SLICER -> link.add(fault.stream(), () -> new Slicer(this));
            case LIMIT_DATA -> link.add(fault.stream(), () -> new LimitData(this, link));
            case SLOW_CLOSE -> link.add(fault.stream(), () -> new SlowClose(this));
            case BANDWIDTH -> link.add(fault.stream(), () -> new Bandwidth(this));
            default -> throw new IllegalArgumentException(fault.kind() + " is not a connection fault");
        }
    }
}
