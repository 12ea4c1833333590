package io.plsim.dataplane.fault;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * How a connection's faults end it by the clock, timeout's close or reset-peer's reset: at the
 * earliest of their times whose fault is still in force then (a removed one no longer ends it, and
 * the next one's time counts). Each fault's time counts from when it reached the connection. One
 * timer is set for the earliest time known; a fault with an earlier one sets another, and a timer
 * whose fault has ended sets the next.
 */
final class Deadline {

    private final Link link;
    private final Runnable end;
    private FaultInForce[] faults = new FaultInForce[1];
    private long[] atNanos = new long[1];
    private int size;
    /** The earliest time a timer is set for, Long.MAX_VALUE when none is known. */
    private long armedFor = Long.MAX_VALUE;
    private boolean ended;

    Deadline(Link link, Runnable end) {
        this.link = link;
        this.end = end;
    }

    void add(FaultInForce f, long afterMillis) {
        if (afterMillis <= 0) {
            // At once, not on a timer of 0: a timer runs after the I/O the loop has ready, which on
            // io_uring can already have relayed the request and its answer.
            if (!ended) {
                ended = true;
                end.run();
            }
            return;
        }
        long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(afterMillis);
        if (size == faults.length) {
            faults = Arrays.copyOf(faults, size * 2);
            atNanos = Arrays.copyOf(atNanos, size * 2);
        }
        faults[size] = f;
        atNanos[size++] = at;
        if (at < armedFor) {
            armedFor = at;
            link.schedule(this::due, afterMillis);
        }
    }

    private void due() {
        if (ended) {
            return;
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            if (!faults[i].active()) {
                continue;
            }
            if (atNanos[i] <= now) {
                ended = true;
                end.run();
                return;
            }
            next = Math.min(next, atNanos[i]);
        }
        armedFor = next;
        if (next != Long.MAX_VALUE) {
            link.schedule(this::due, TimeUnit.NANOSECONDS.toMillis(next - now + 999_999));
        }
    }
}
