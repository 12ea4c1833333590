package io.plsim.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.plsim.core.model.Fault;
import java.util.concurrent.TimeUnit;

/**
 * Connection faults as small outbound handlers, each acting on the bytes written in one direction:
 * on the target side's channel for {@code upstream} (consumer to target), on the consumer side's
 * for {@code downstream}. Each is added at the head of its pipeline, so faults added later act
 * closer to the socket, after the ones added earlier.
 *
 * <p>A fault removed while a connection is open stops acting on it, except bandwidth, which keeps
 * its rate until the connection closes.
 */
final class Toxics {

    private Toxics() {
    }

    static void install(FaultTable.Entry e, Flow flow, Channel frontend, Channel backend) {
        Fault f = e.fault;
        switch (f.kind()) {
            case RESET_PEER -> frontend.eventLoop().schedule(() -> {
                if (e.active) {
                    flow.reset();
                }
            }, f.param("timeout"), TimeUnit.MILLISECONDS);
            case TIMEOUT -> {
                on(f, frontend, backend, () -> new Timeout(e));
                if (f.param("timeout") > 0) {
                    frontend.eventLoop().schedule(() -> {
                        if (e.active) {
                            Flow.flushAndClose(frontend);
                            Flow.flushAndClose(flow.backend);
                        }
                    }, f.param("timeout"), TimeUnit.MILLISECONDS);
                }
            }
            case LATENCY -> on(f, frontend, backend, () -> new Latency(e));
            case SLICER -> on(f, frontend, backend, () -> new Slicer(e));
            case LIMIT_DATA -> on(f, frontend, backend, () -> new LimitData(e, flow));
            case SLOW_CLOSE -> on(f, frontend, backend, () -> new SlowClose(e));
            case BANDWIDTH -> on(f, frontend, backend, () -> new Bandwidth(e));
            default -> throw new IllegalArgumentException(f.kind() + " is not a connection fault");
        }
    }

    private static void on(Fault f, Channel frontend, Channel backend,
                           java.util.function.Supplier<io.netty.channel.ChannelHandler> handler) {
        if (f.stream() != Fault.Stream.DOWNSTREAM) {
            backend.pipeline().addFirst(handler.get());
        }
        if (f.stream() != Fault.Stream.UPSTREAM) {
            frontend.pipeline().addFirst(handler.get());
        }
    }

    /** Delays every write by latency +- jitter milliseconds, keeping order. */
    static final class Latency extends DelayedWrites {
        private final FaultTable.Entry e;

        Latency(FaultTable.Entry e) {
            // Backpressure: beyond 64 KiB waiting, the relay stops reading the other side.
            super(8, 64 * 1024);
            this.e = e;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            long jitter = e.fault.param("jitter");
            long ms = e.active ? e.fault.param("latency") + (jitter > 0 ? e.nextLong(2 * jitter + 1) - jitter : 0) : 0;
            later(ctx, msg, promise, TimeUnit.MILLISECONDS.toNanos(Math.max(0, ms)));
        }
    }

    /**
     * Cuts each write into pieces of averageSize +- sizeVariation bytes, delay microseconds apart:
     * as Toxiproxy's slicer, a piece goes out, then the next one after the delay.
     */
    static final class Slicer extends DelayedWrites {
        private final FaultTable.Entry e;
        /** When the next piece may go out: {@code delay} after the one before it. */
        private long nextNanos;

        Slicer(FaultTable.Entry e) {
            // Backpressure: beyond 64 KiB waiting, the relay stops reading the other side.
            super(9, 64 * 1024);
            this.e = e;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (!e.active || !(msg instanceof ByteBuf buf) || buf.readableBytes() == 0) {
                later(ctx, msg, promise, 0);
                return;
            }
            long avg = e.fault.param("averageSize");
            long var = Math.min(e.fault.param("sizeVariation"), avg - 1);
            long delayNanos = TimeUnit.MICROSECONDS.toNanos(e.fault.param("delay"));
            try {
                long now = System.nanoTime();
                while (buf.readableBytes() > 0) {
                    long size = avg + (var > 0 ? e.nextLong(2 * var + 1) - var : 0);
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

    /** Lets exactly {@code bytes} bytes through in its direction, then closes the connection. */
    static final class LimitData extends ChannelOutboundHandlerAdapter {
        private final FaultTable.Entry e;
        private final Flow flow;
        private long sent;
        private boolean closing;

        LimitData(FaultTable.Entry e, Flow flow) {
            this.e = e;
            this.flow = flow;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (!e.active || !(msg instanceof ByteBuf buf)) {
                ctx.write(msg, promise);
                return;
            }
            long limit = e.fault.param("bytes");
            long room = limit - sent;
            if (room >= buf.readableBytes()) {
                sent += buf.readableBytes();
                ctx.write(msg, promise);
                if (sent == limit) {
                    closeSoon(ctx);
                }
                return;
            }
            if (room > 0) {
                sent = limit;
                ctx.write(buf.retainedSlice(buf.readerIndex(), (int) room), promise);
            } else {
                promise.trySuccess();
            }
            buf.release();
            closeSoon(ctx);
        }

        private void closeSoon(ChannelHandlerContext ctx) {
            if (!closing) {
                closing = true;
                ctx.flush();
                ctx.executor().execute(() -> {
                    Flow.flushAndClose(flow.frontend);
                    Flow.flushAndClose(flow.backend);
                });
            }
        }
    }

    /** Lets no data through in its direction; closing is scheduled by {@link #install}. */
    static final class Timeout extends ChannelOutboundHandlerAdapter {
        private final FaultTable.Entry e;

        Timeout(FaultTable.Entry e) {
            this.e = e;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (e.active && msg instanceof ByteBuf) {
                ReferenceCountUtil.release(msg);
                promise.trySuccess();
            } else {
                ctx.write(msg, promise);
            }
        }
    }

    /**
     * Delays the end of its side by {@code delay} milliseconds: the close, and the half-close that
     * passes on a peer's FIN. Both begin with a write of an empty buffer (see
     * {@link Flow#flushAndClose} and {@link Flow#shutdownOutputAfterFlush}) and act once it is
     * done, so that write is held until the delay has passed; data is not delayed.
     */
    static final class SlowClose extends ChannelOutboundHandlerAdapter {
        private final FaultTable.Entry e;
        /** When the end may go out, once one was asked for; 0 before. */
        private long endNanos;

        SlowClose(FaultTable.Entry e) {
            this.e = e;
        }

        private long waitNanos() {
            if (endNanos == 0) {
                endNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(e.fault.param("delay"));
            }
            return endNanos - System.nanoTime();
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (!e.active || !(msg instanceof ByteBuf buf) || buf.isReadable()) {
                ctx.write(msg, promise);
                return;
            }
            long wait = waitNanos();
            if (wait <= 0) {
                ctx.write(msg, promise);
                return;
            }
            ctx.flush();
            ctx.executor().schedule(() -> {
                ctx.writeAndFlush(msg, promise);
            }, wait, TimeUnit.NANOSECONDS);
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            long wait = e.active ? waitNanos() : 0;
            if (wait <= 0) {
                ctx.close(promise);
                return;
            }
            ctx.flush();
            ctx.executor().schedule(() -> {
                ctx.close(promise);
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Sends at most {@code rate} KB a second: each write is cut into pieces of a twentieth of a
     * second's worth, and a piece goes out once the bytes before it have had their time. While more
     * than a second's worth (at least 64 KB) waits, the channel reports itself unwritable, so the
     * relay stops reading the other side instead of buffering it all.
     */
    static final class Bandwidth extends DelayedWrites {
        private static final int WRITABILITY_INDEX = 7;
        private final long bytesPerSecond;
        private final int pieceBytes;
        /** When the link is free again: the end of the time of the bytes sent so far. */
        private long freeNanos;

        Bandwidth(FaultTable.Entry e) {
            this(e.fault.param("rate") * 1024);
        }

        private Bandwidth(long bytesPerSecond) {
            super(WRITABILITY_INDEX, Math.max(64 * 1024, bytesPerSecond));
            this.bytesPerSecond = bytesPerSecond;
            this.pieceBytes = (int) Math.max(1, Math.min(64 * 1024, bytesPerSecond / 20));
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
}
