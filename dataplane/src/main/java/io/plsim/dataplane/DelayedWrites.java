package io.plsim.dataplane;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.TimeUnit;

/**
 * An outbound handler that sends each write later, never out of order: a write is due no earlier
 * than the one before it. Flushes follow each delayed write, and a close waits for the writes
 * before it. The latency and slicer faults are made of it.
 */
abstract class DelayedWrites extends ChannelOutboundHandlerAdapter {

    private long lastDueNanos;

    /** Schedules {@code msg} to be written {@code delayNanos} from now, after every earlier write. */
    final void later(ChannelHandlerContext ctx, Object msg, ChannelPromise promise, long delayNanos) {
        long due = Math.max(System.nanoTime() + delayNanos, lastDueNanos);
        lastDueNanos = due;
        long wait = due - System.nanoTime();
        if (wait <= 0) {
            ctx.writeAndFlush(msg, promise);
        } else {
            ctx.executor().schedule(() -> {
                ctx.writeAndFlush(msg, promise);
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        // each delayed write flushes itself when it is due
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        long wait = lastDueNanos - System.nanoTime();
        if (wait <= 0) {
            ctx.close(promise);
        } else {
            ctx.executor().schedule(() -> {
                ctx.close(promise);
            }, wait, TimeUnit.NANOSECONDS);
        }
    }
}
