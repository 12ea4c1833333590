package io.plsim.dataplane.fault;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * An outbound handler that sends each write later, never out of order: a write is due no earlier
 * than the one before it, and writes wait in one queue, in the order they came, for a single timer
 * on the channel's event loop (timers of their own could fire out of order when their deadlines are
 * a few microseconds apart). Each write is flushed when it goes out, and a close waits for the
 * writes before it. The latency, slicer and bandwidth faults are made of it.
 *
 * <p>A subclass may ask for backpressure ({@link #DelayedWrites(int, long)}): while more than
 * {@code highWaterBytes} wait, the channel reports itself unwritable through one of its
 * user-defined writability bits, so the relay stops reading the other side until half of it left.
 */
abstract class DelayedWrites extends ChannelOutboundHandlerAdapter {

    /** A write (or, with {@code close}, a close) waiting for its time. */
    private record Pending(Object msg, ChannelPromise promise, long dueNanos, long size, boolean close) {
    }

    private final int writabilityIndex;
    private long highWaterBytes;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long lastDueNanos;
    private long pendingBytes;
    private boolean timerSet;
    private boolean suspended;

    /**
     * @param writabilityIndex the user-defined writability bit to use (1-31), 0 for none
     * @param highWaterBytes   bytes waiting above which the channel turns unwritable
     */
    DelayedWrites(int writabilityIndex, long highWaterBytes) {
        this.writabilityIndex = writabilityIndex;
        this.highWaterBytes = highWaterBytes;
    }

    /** Changes the bytes waiting above which the channel turns unwritable, from the next write on. */
    final void highWater(long bytes) {
        highWaterBytes = bytes;
    }

    /** Schedules {@code msg} to be written {@code delayNanos} from now, after every earlier write. */
    final void later(ChannelHandlerContext ctx, Object msg, ChannelPromise promise, long delayNanos) {
        long now = System.nanoTime();
        long due = Math.max(now + delayNanos, lastDueNanos);
        lastDueNanos = due;
        if (queue.isEmpty() && due <= now) {
            ctx.writeAndFlush(msg, promise);
            return;
        }
        long size = sizeOf(msg);
        queue.add(new Pending(msg, promise, due, size, false));
        pendingBytes += size;
        if (writabilityIndex > 0 && !suspended && pendingBytes > highWaterBytes) {
            suspended = true;
            setWritable(ctx, false);
        }
        arm(ctx, now);
    }

    /** Sets the one timer for the head of the queue, unless it is set. */
    private void arm(ChannelHandlerContext ctx, long now) {
        Pending head = queue.peek();
        if (timerSet || head == null) {
            return;
        }
        timerSet = true;
        ctx.executor().schedule(() -> drain(ctx), Math.max(0, head.dueNanos() - now), TimeUnit.NANOSECONDS);
    }

    private void drain(ChannelHandlerContext ctx) {
        timerSet = false;
        long now = System.nanoTime();
        for (Pending p; (p = queue.peek()) != null && p.dueNanos() <= now; ) {
            queue.poll();
            if (p.close()) {
                ctx.close(p.promise());
                continue;
            }
            pendingBytes -= p.size();
            ctx.writeAndFlush(p.msg(), p.promise());
        }
        if (suspended && pendingBytes <= highWaterBytes / 2) {
            suspended = false;
            setWritable(ctx, true);
        }
        arm(ctx, now);
    }

    private void setWritable(ChannelHandlerContext ctx, boolean writable) {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out != null) {
            out.setUserDefinedWritability(writabilityIndex, writable);
        }
    }

    private static long sizeOf(Object msg) {
        if (msg instanceof ByteBuf b) {
            return b.readableBytes();
        }
        if (msg instanceof ByteBufHolder h) {
            return h.content().readableBytes();
        }
        return 0;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        // each delayed write flushes itself when it is due
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        long now = System.nanoTime();
        if (queue.isEmpty() && lastDueNanos <= now) {
            ctx.close(promise);
            return;
        }
        queue.add(new Pending(null, promise, Math.max(now, lastDueNanos), 0, true));
        arm(ctx, now);
    }

    /** The channel is gone (or the handler removed): what still waits is dropped, its promises failed. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        for (Pending p; (p = queue.poll()) != null; ) {
            if (p.close()) {
                p.promise().trySuccess();
            } else {
                ReferenceCountUtil.release(p.msg());
                p.promise().tryFailure(new java.nio.channels.ClosedChannelException());
            }
        }
        pendingBytes = 0;
    }
}
