package io.plsim.dataplane.fault;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.TimeUnit;

/** {@code latency}: delays every write by latency +- jitter milliseconds, keeping order. */
final class Latency extends DelayedWrites {

    private final FaultInForce f;

    Latency(FaultInForce f) {
        // Backpressure: beyond 64 KiB waiting, the relay stops reading the other side.
        super(8, 64 * 1024);
        this.f = f;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long jitter = f.param("jitter");
        long ms = f.active() ? f.param("latency") + (jitter > 0 ? f.nextLong(2 * jitter + 1) - jitter : 0) : 0;
        later(ctx, msg, promise, TimeUnit.MILLISECONDS.toNanos(Math.max(0, ms)));
    }
}
