package io.plsim.dataplane;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.TimeUnit;

/**
 * The idle timeout of the flows of one event loop: one sweep every {@link #TICK_MILLIS} over the
 * loop's flows, instead of a timer per connection (Netty's {@code IdleStateHandler} schedules and
 * cancels one per connection, and adds a listener to every write).
 *
 * <p>Invariant: a flow is reset only once it has carried nothing for at least its idle timeout,
 * and within two ticks after that. A flow notes only the tick it last carried bytes in (a field
 * write, nothing read from the clock); the first sweep after that tick takes its own time, read from
 * the data plane's {@link Ticker}, as the flow's last activity, which is no earlier than the
 * activity itself, so the timeout is never cut short however late a sweep runs.
 *
 * <p>Confined to its event loop: flows join and leave, and the sweep runs, on that loop only.
 */
final class IdleSweep implements Runnable {

    static final long TICK_MILLIS = 100;

    private static final FastThreadLocal<IdleSweep> OF_LOOP = new FastThreadLocal<>();

    /** Counts the sweeps; flows note it when they carry bytes. */
    int tick;
    private Flow head;
    private final Ticker ticker;

    private IdleSweep(Ticker ticker) {
        this.ticker = ticker;
    }

    /** The sweep of the event loop this is called on, started on first use, on the data plane's ticker. */
    static IdleSweep of(EventLoop loop, Ticker ticker) {
        IdleSweep sweep = OF_LOOP.get();
        if (sweep == null) {
            sweep = new IdleSweep(ticker);
            OF_LOOP.set(sweep);
            loop.scheduleAtFixedRate(sweep, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
        return sweep;
    }

    void add(Flow flow) {
        flow.activeTick = tick;
        // Not yet seen: the next sweep takes its time as the flow's start, however soon it carries bytes.
        flow.sweptTick = tick - 1;
        flow.idleNext = head;
        if (head != null) {
            head.idlePrev = flow;
        }
        head = flow;
    }

    /** Takes a flow out of the sweep; nothing if it is not in it. */
    void remove(Flow flow) {
        if (flow.idlePrev == null && head != flow) {
            return;
        }
        if (flow.idlePrev != null) {
            flow.idlePrev.idleNext = flow.idleNext;
        } else {
            head = flow.idleNext;
        }
        if (flow.idleNext != null) {
            flow.idleNext.idlePrev = flow.idlePrev;
        }
        flow.idlePrev = null;
        flow.idleNext = null;
    }

    @Override
    public void run() {
        tick++;
        long now = ticker.read();
        for (Flow f = head, next; f != null; f = next) {
            next = f.idleNext;
            if (f.activeTick != f.sweptTick) {
                f.sweptTick = f.activeTick;
                f.activeNanos = now;
            } else if (now - f.activeNanos >= f.idleNanos) {
                remove(f);
                try {
                    f.idleTimeout();
                } catch (RuntimeException e) {
                    // One flow's failure to reset must not end the sweep of every other flow.
                    f.frontend.close();
                }
            }
        }
    }
}
