package io.plsim.dataplane;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * How long connects took, in the fixed buckets of a Prometheus histogram: cheap to record from any event
 * loop (one adder per bucket a value falls in, no lock, no allocation), read as a snapshot.
 */
public final class ConnectTimes {

    /** Upper bounds of the buckets, in seconds: 100 us to 2.5 s, as loopback connects and slow faults span. */
    static final List<Double> BOUNDS = List.of(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1.0, 2.5);
    private static final long[] BOUND_NANOS = BOUNDS.stream().mapToLong(b -> Math.round(b * 1e9)).toArray();

    private final LongAdder[] buckets = new LongAdder[BOUND_NANOS.length];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();

    ConnectTimes() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        long n = Math.max(0, nanos);
        count.increment();
        sumNanos.add(n);
        for (int i = 0; i < BOUND_NANOS.length; i++) {
            if (n <= BOUND_NANOS[i]) {
                buckets[i].increment();
                return;
            }
        }
    }

    /** The histogram now: cumulative counts per bound (as Prometheus wants them), the count and the sum. */
    Snapshot snapshot() {
        long[] cumulative = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = running;
        }
        long c = count.sum();
        return new Snapshot(BOUNDS, List.of(java.util.Arrays.stream(cumulative).boxed().toArray(Long[]::new)),
                Math.max(c, running), sumNanos.sum() / 1e9);
    }

    /**
     * A histogram at one moment.
     *
     * @param cumulative how many took at most each bound, bound by bound
     * @param count      how many were recorded (the {@code +Inf} bucket)
     */
    public record Snapshot(List<Double> bounds, List<Long> cumulative, long count, double sumSeconds) {
    }
}
