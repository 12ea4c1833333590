package io.plsim.app.limits;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import io.plsim.dataplane.FileDescriptors;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * What keeps slow or many clients from holding a TCP server of plsim's (the API, DNS over TCP): at
 * most a number of connections at once (one more gets the server's refusal, if it has one, and is
 * closed), and each request complete within a deadline of the connection opening or of the last
 * answer on it (else the connection is closed), however slowly its bytes arrive. A client sending
 * a byte a second, which restarted a read timeout on every byte, is cut at the deadline. Each limit
 * is logged once when it is first reached, and counted. The entry point of this package.
 */
public final class ConnectionLimits {

    /** Connections a server takes at once. */
    public static final int MAX_CONNECTIONS = 256;
    /** How long a request may take to arrive, from the connection opening or the last answer. */
    public static final long REQUEST_DEADLINE_SECONDS = 20;

    private static final System.Logger LOG = System.getLogger(ConnectionLimits.class.getName());

    private final String server;
    private final int maxConnections;
    private final long deadlineNanos;
    private final Predicate<Object> isRequest;
    private final Predicate<Object> isAnswer;
    private final String refusal;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong cutAtDeadline = new AtomicLong();

    /**
     * @param server    how the log names the server
     * @param isRequest what the pipeline reads once a request is complete (after its decoder)
     * @param isAnswer  what the server writes when an answer is complete
     * @param refusal   the bytes a connection over the cap is answered before it is closed, or null
     */
    public ConnectionLimits(String server, int maxConnections, Duration deadline, Predicate<Object> isRequest,
                            Predicate<Object> isAnswer, String refusal) {
        this.server = server;
        this.maxConnections = maxConnections;
        this.deadlineNanos = deadline.toNanos();
        this.isRequest = isRequest;
        this.isAnswer = isAnswer;
        this.refusal = refusal;
    }

    /** The handler of one connection that counts it: first in its pipeline, before any decoder. */
    public ChannelHandler handler() {
        return new PerConnection();
    }

    /**
     * The handler of one connection that watches its deadline: after the decoder, where it sees a
     * whole request come in, and before the encoder, where it sees a whole answer go out.
     */
    public ChannelHandler deadline() {
        return new Deadline();
    }

    /** Connections turned away because the cap was reached. */
    public long refused() {
        return refused.get();
    }

    /** Connections closed because no complete request came within the deadline. */
    public long cutAtDeadline() {
        return cutAtDeadline.get();
    }

    private final class PerConnection extends io.netty.channel.ChannelInboundHandlerAdapter {
        private boolean counted;
        /** Over the cap: answered 503, its input dropped until it closes. */
        private boolean refusedHere;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            boolean fewFiles = !FileDescriptors.process().above(FileDescriptors.SERVER_RESERVE);
            if (fewFiles || open.incrementAndGet() > maxConnections) {
                if (!fewFiles) {
                    open.decrementAndGet();
                }
                if (refused.getAndIncrement() == 0) {
                    LOG.log(System.Logger.Level.WARNING, server + ": " + (fewFiles ? "the process is out of file"
                            + " descriptors" : maxConnections + " connections are open") + "; further connections"
                            + " are turned away until there is room (counted, said once)");
                }
                if (refusal == null) {
                    ctx.close();
                    return;
                }
                // Written as bytes, straight to the socket: this handler is first, before the codec.
                // Then a FIN, and what the client still sends is read and dropped until it closes (at
                // most two seconds): closing with its request unread would reset the connection, and
                // the client would see a reset rather than the answer.
                refusedHere = true;
                ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), refusal)).addListener(f -> {
                    if (ctx.channel() instanceof io.netty.channel.socket.SocketChannel sc && sc.isActive()) {
                        sc.shutdownOutput();
                    }
                });
                ctx.executor().schedule(() -> {
                    ctx.close();
                }, 2, TimeUnit.SECONDS);
                return;
            }
            counted = true;
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (refusedHere) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (counted) {
                counted = false;
                open.decrementAndGet();
            }
            ctx.fireChannelInactive();
        }
    }

    private final class Deadline extends ChannelDuplexHandler {
        private ScheduledFuture<?> timer;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            arm(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (isRequest.test(msg)) {
                disarm();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            boolean last = isAnswer.test(msg);
            ctx.write(msg, promise);
            if (last) {
                arm(ctx); // the next request on a kept-alive connection has its own deadline
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            disarm();
            ctx.fireChannelInactive();
        }

        private void arm(ChannelHandlerContext ctx) {
            disarm();
            timer = ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    if (cutAtDeadline.getAndIncrement() == 0) {
                        LOG.log(System.Logger.Level.WARNING, server + ": a connection sent no complete request within "
                                + Duration.ofNanos(deadlineNanos).toMillis() / 1000.0 + " s and was closed (further ones"
                                + " counted, not said)");
                    }
                    ctx.close();
                }
            }, deadlineNanos, TimeUnit.NANOSECONDS);
        }

        private void disarm() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }
}
