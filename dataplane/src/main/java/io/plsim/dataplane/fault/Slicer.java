package io.plsim.dataplane.fault;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.TimeUnit;

/**
 * {@code slicer}: cuts each write into pieces of averageSize +- sizeVariation bytes, delay
 * microseconds apart: as Toxiproxy's slicer, a piece goes out, then the next one after the delay.
 * Of the slicer faults in force that joined it, the finest cut and the longest pause act: pieces
 * of the smallest averageSize (with that fault's variation), the longest delay apart.
 */
final class Slicer extends DelayedWrites implements FaultStages.Stage {

    private final Members members;
    /** The member in force with the smallest pieces, whose sizes are drawn; null when none is in force. */
    private FaultInForce cut;
    private long delayMicros;
    /** When the next piece may go out: {@code delay} after the one before it. */
    private long nextNanos;

    Slicer(FaultInForce f) {
        // Backpressure: beyond 64 KiB waiting, the relay stops reading the other side.
        super(9, 64 * 1024);
        this.members = new Members(f);
    }

    @Override
    public void join(FaultInForce f) {
        members.add(f);
    }

    private void compose() {
        cut = null;
        delayMicros = 0;
        for (int i = 0; i < members.size(); i++) {
            FaultInForce f = members.get(i);
            if (f.active()) {
                if (cut == null || f.param("averageSize") < cut.param("averageSize")) {
                    cut = f;
                }
                delayMicros = Math.max(delayMicros, f.param("delay"));
            }
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (members.changed()) {
            compose();
        }
        if (cut == null || !(msg instanceof ByteBuf buf) || buf.readableBytes() == 0) {
            later(ctx, msg, promise, 0);
            return;
        }
        long avg = cut.param("averageSize");
        long var = Math.min(cut.param("sizeVariation"), avg - 1);
        long delayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros);
        try {
            long now = System.nanoTime();
            while (buf.readableBytes() > 0) {
                long size = avg + (var > 0 ? cut.nextLong(2 * var + 1) - var : 0);
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
