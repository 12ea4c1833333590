package io.plsim.dataplane.fault;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code latency}: delays every write by latency +- jitter milliseconds, keeping order. The latency
 * faults in force that joined it add: the delay is the sum of their latencies, each jitter drawn on
 * its own from its fault's random source, as they would be one after the other.
 */
final class Latency extends DelayedWrites implements FaultStages.Stage {

    private static final FaultInForce[] NONE = new FaultInForce[0];
    private final Members members;
    /** The sum of the latencies of the members in force. */
    private long fixedMillis;
    /** The members in force with a jitter: each draws on every write. */
    private FaultInForce[] jittered = NONE;

    Latency(FaultInForce f) {
        // Backpressure: beyond 64 KiB waiting, the relay stops reading the other side.
        super(8, 64 * 1024);
        this.members = new Members(f);
    }

    @Override
    public void join(FaultInForce f) {
        members.add(f);
    }

    private void compose() {
        fixedMillis = members.sumInForce("latency");
        int withJitter = 0;
        FaultInForce[] jitter = new FaultInForce[members.size()];
        for (int i = 0; i < members.size(); i++) {
            FaultInForce f = members.get(i);
            if (f.active() && f.param("jitter") > 0) {
                jitter[withJitter++] = f;
            }
        }
        jittered = withJitter == 0 ? NONE : Arrays.copyOf(jitter, withJitter);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (members.changed()) {
            compose();
        }
        long ms = fixedMillis;
        for (FaultInForce f : jittered) {
            long jitter = f.param("jitter");
            ms += f.nextLong(2 * jitter + 1) - jitter;
        }
        later(ctx, msg, promise, TimeUnit.MILLISECONDS.toNanos(Math.max(0, ms)));
    }
}
