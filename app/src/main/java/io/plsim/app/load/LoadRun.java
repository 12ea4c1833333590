package io.plsim.app.load;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The state of one run that all event loops share: the timetable, the request budget, counters and
 * the "finished" signal. Everything per connection lives in {@link Lane} / {@link BulkLane} and is
 * touched by its own event loop only.
 *
 * <p>When is a run finished? With a timetable (open loop) or in bulk mode the number of requests
 * (connections) is known up front: when that many are resolved (answered or failed). In a closed
 * loop, when issuing has stopped (duration over or budget spent) and nothing is outstanding; both
 * sides of that check are atomic (issuing is flipped before outstanding is read, outstanding is
 * changed before issuing is read), so one of them always sees both conditions.
 */
final class LoadRun {

    final LoadSpec spec;
    /** Requests to issue (open loop), connections (bulk), or the budget ({@link Long#MAX_VALUE} for none). */
    final long planned;
    final boolean countedFinish;
    final double periodNanos;
    final long timeoutNanos;

    /** Set by the coordinator before any event loop starts working, so read without synchronization. */
    long startNanos;
    long endNanos;

    volatile boolean started;
    private volatile boolean issuing = true;
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong resolved = new AtomicLong();
    private final AtomicLong tokens = new AtomicLong();
    final LongAdder connections = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final AtomicInteger open = new AtomicInteger();
    final LongAdder[] errors = new LongAdder[ErrorKind.values().length];
    /** Where each new connection goes: the target's address, or the next of its name's latest DNS answer. */
    final TargetAddresses addresses;

    final CountDownLatch finished = new CountDownLatch(1);
    /** Counts down as the connections opened ahead of the run ({@code rr}, {@code closed}) are up or failed. */
    final CountDownLatch connectsAhead;
    private volatile long finishNanos;

    LoadRun(LoadSpec spec) {
        this.spec = spec;
        this.addresses = new TargetAddresses(spec.target(), spec.dnsTtl(), spec.timeout());
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new LongAdder();
        }
        this.timeoutNanos = spec.timeout().toNanos();
        this.connectsAhead = new CountDownLatch(
                spec.mode() == LoadMode.RR || spec.mode() == LoadMode.CLOSED ? spec.connections() : 0);
        if (spec.mode() == LoadMode.BULK) {
            planned = spec.connections();
            countedFinish = true;
            periodNanos = 0;
        } else if (spec.openLoop()) {
            periodNanos = 1e9 / spec.rate();
            // Request i is intended at start + i * period, for every i whose time falls inside the duration.
            long byTime = (long) Math.ceil(spec.duration().toNanos() / periodNanos);
            planned = Math.max(1, spec.requests() > 0 ? Math.min(spec.requests(), byTime) : byTime);
            countedFinish = true;
        } else {
            periodNanos = 0;
            planned = spec.requests() > 0 ? spec.requests() : Long.MAX_VALUE;
            countedFinish = false;
        }
    }

    /** The intended send time of request {@code i} of the timetable. */
    long intended(long i) {
        return startNanos + (long) (i * periodNanos);
    }

    /** An open-loop request leaves the timetable. */
    void issue() {
        outstanding.incrementAndGet();
    }

    /** A closed-loop connection asks to send one more request; false once the duration or budget is spent. */
    boolean tryIssue() {
        outstanding.incrementAndGet();
        if (issuing && System.nanoTime() - endNanos < 0 && tokens.getAndIncrement() < planned) {
            return true;
        }
        stopIssuing();
        outstanding.decrementAndGet();
        checkFinished();
        return false;
    }

    /** No request is issued from now on (closed loop and bulk: the duration is over). */
    void stopIssuing() {
        issuing = false;
        checkFinished();
    }

    boolean issuing() {
        return issuing;
    }

    void error(ErrorKind kind) {
        errors[kind.ordinal()].increment();
    }

    /** A request (or bulk connection) is answered or failed. */
    void resolved() {
        long r = resolved.incrementAndGet();
        outstanding.decrementAndGet();
        if (countedFinish ? r >= planned : false) {
            finish();
        } else {
            checkFinished();
        }
    }

    long resolvedCount() {
        return resolved.get();
    }

    long outstanding() {
        return outstanding.get();
    }

    private void checkFinished() {
        if (!countedFinish && !issuing && outstanding.get() == 0) {
            finish();
        }
    }

    private void finish() {
        if (finishNanos == 0) {
            finishNanos = System.nanoTime();
        }
        finished.countDown();
    }

    boolean isFinished() {
        return finished.getCount() == 0;
    }

    /** When the last request was resolved, or 0 while the run goes on. */
    long finishNanos() {
        return finishNanos;
    }

    long errorTotal() {
        long n = 0;
        for (LongAdder a : errors) {
            n += a.sum();
        }
        return n;
    }
}
