package io.plsim.dataplane.fault;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.TimeUnit;

/**
 * {@code slicer}: cuts each write into pieces of averageSize +- sizeVariation bytes, delay
 * microseconds apart: as Toxiproxy's slicer, a piece goes out, then the next one after the delay.
 */
final class Slicer extends DelayedWrites {

    private final FaultInForce f;
    /** When the next piece may go out: {@code delay} after the one before it. */
    private long nextNanos;

    Slicer(FaultInForce f) {
        // Backpressure: beyond 64 KiB waiting, the relay stops reading the other side.
        super(9, 64 * 1024);
        this.f = f;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!f.active() || !(msg instanceof ByteBuf buf) || buf.readableBytes() == 0) {
            later(ctx, msg, promise, 0);
            return;
        }
        long avg = f.param("averageSize");
        long var = Math.min(f.param("sizeVariation"), avg - 1);
        long delayNanos = TimeUnit.MICROSECONDS.toNanos(f.param("delay"));
        try {
            long now = System.nanoTime();
            while (buf.readableBytes() > 0) {
                long size = avg + (var > 0 ? f.nextLong(2 * var + 1) - var : 0);
                int n = (int) Math.max(1, Math.min(size, buf.readableBytes()));
                ByteBuf piece = buf.readRetainedSlice(n);
                ChannelPromise p = buf.readableBytes() == 0 ? promise : ctx.newPromise();
                long at = Math.max(now, nextNanos);
                nextNanos = at + delayNanos;
                later(ctx, piece, p, at - now);
            }
        } finally {
            buf.release();
        }
    }
}
