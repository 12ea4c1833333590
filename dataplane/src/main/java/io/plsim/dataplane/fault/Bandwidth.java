package io.plsim.dataplane.fault;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * {@code bandwidth}: sends at most {@code rate} KB a second: each write is cut into pieces of a
 * twentieth of a second's worth, and a piece goes out once the bytes before it have had their
 * time. While more than a second's worth (at least 64 KB) waits, the channel reports itself
 * unwritable, so the relay stops reading the other side instead of buffering it all. A removed
 * bandwidth fault keeps its rate on the connections it was installed on until they close. Of the
 * bandwidth faults that joined it, the lowest rate paces the stream.
 */
final class Bandwidth extends DelayedWrites implements FaultStages.Stage {

    private static final int WRITABILITY_INDEX = 7;
    private long bytesPerSecond;
    private int pieceBytes;
    /** When the link is free again: the end of the time of the bytes sent so far. */
    private long freeNanos;

    Bandwidth(FaultInForce f) {
        super(WRITABILITY_INDEX, 0);
        pace(f.param("rate") * 1024);
    }

    @Override
    public void join(FaultInForce f) {
        long rate = f.param("rate") * 1024;
        if (rate < bytesPerSecond) {
            pace(rate);
        }
    }

    private void pace(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.pieceBytes = (int) Math.max(1, Math.min(64 * 1024, bytesPerSecond / 20));
        highWater(Math.max(64 * 1024, bytesPerSecond));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf) || !buf.isReadable()) {
            later(ctx, msg, promise, 0);
            return;
        }
        try {
            long now = System.nanoTime();
            while (buf.isReadable()) {
                int n = Math.min(pieceBytes, buf.readableBytes());
                ByteBuf piece = buf.readRetainedSlice(n);
                ChannelPromise p = buf.isReadable() ? ctx.newPromise() : promise;
                long start = Math.max(now, freeNanos);
                freeNanos = start + n * 1_000_000_000L / bytesPerSecond;
                later(ctx, piece, p, start - now);
            }
        } finally {
            buf.release();
        }
    }
}
