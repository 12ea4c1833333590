package io.plsim.app.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.plsim.dataplane.Transport;
import io.plsim.dataplane.proxy.ProxyHeaderParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Targets for the load generator's tests, on real loopback sockets: an echo that answers after a
 * delay, one that stalls every answer for a while once, one that resets every connection, one that
 * never answers, an HTTP server, and an echo that checks for a Proxy Protocol header. Each counts the
 * connections it accepted. Buffers held for a delayed answer are released at close if still held.
 */
final class TestServers implements AutoCloseable {

    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger proxyHeaders = new AtomicInteger();
    final AtomicLong firstRead = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    /** By identity: buffers with the same bytes are equal, and every request here has the same bytes. */
    private final Set<ByteBuf> held = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final EventLoopGroup group;
    private final Channel server;

    private TestServers(Supplier<ChannelHandler> handler, boolean resetOnAccept) throws InterruptedException {
        Transport t = Transport.best();
        group = t.newGroup(2, "test-target");
        ServerBootstrap b = new ServerBootstrap().group(group).channel(t.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.incrementAndGet();
                        if (resetOnAccept) {
                            ch.config().setOption(ChannelOption.SO_LINGER, 0);
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    ctx.close();
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    ctx.close();
                                }
                            });
                        } else {
                            ch.pipeline().addLast(handler.get());
                        }
                    }
                });
        server = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** Echoes each read after {@code delayMillis}. */
    static TestServers delayedEcho(long delayMillis) throws InterruptedException {
        TestServers[] self = new TestServers[1];
        self[0] = new TestServers(() -> self[0].new Echo(TimeUnit.MILLISECONDS.toNanos(delayMillis), 0, 0), false);
        return self[0];
    }

    /**
     * Echoes at once, except that answers due from {@code afterMillis} after the first byte it read
     * until {@code stallMillis} later all wait for the end of that window (once).
     */
    static TestServers stallOnce(long afterMillis, long stallMillis) throws InterruptedException {
        TestServers[] self = new TestServers[1];
        self[0] = new TestServers(() -> self[0].new Echo(0, TimeUnit.MILLISECONDS.toNanos(afterMillis),
                TimeUnit.MILLISECONDS.toNanos(stallMillis)), false);
        return self[0];
    }

    /** Resets (RST) every connection as soon as it is accepted. */
    static TestServers resetting() throws InterruptedException {
        return new TestServers(() -> null, true);
    }

    /** Accepts, reads and discards everything, never answers. */
    static TestServers silent() throws InterruptedException {
        return new TestServers(() -> new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }, false);
    }

    /**
     * Answers each read with {@code answer}'s bytes as they are, then closes the connection when
     * {@code close} (a body that runs to the close, or bytes that are no HTTP at all).
     */
    static TestServers raw(String answer, boolean close) throws InterruptedException {
        byte[] bytes = answer.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return new TestServers(() -> new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                var written = ctx.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
                if (close) {
                    written.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }, false);
    }

    /** An HTTP/1.1 server answering {@code status} with a small body, by Content-Length or chunked. */
    static TestServers http(int status, boolean chunked) throws InterruptedException {
        return new TestServers(() -> new HttpHandler(status, chunked), false);
    }

    /** {@link #http} behind a Proxy Protocol header it requires (a connection without one is closed). */
    static TestServers httpBehindProxyHeader() throws InterruptedException {
        TestServers[] self = new TestServers[1];
        self[0] = new TestServers(() -> new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(self[0].new ProxyStrip(), new HttpHandler(200, false));
            }
        }, false);
        return self[0];
    }

    /** An echo that first takes a Proxy Protocol header off the stream, counting the headers it parsed. */
    static TestServers proxyEcho() throws InterruptedException {
        TestServers[] self = new TestServers[1];
        self[0] = new TestServers(() -> self[0].new ProxyEcho(), false);
        return self[0];
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String target() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        List<ByteBuf> left;
        synchronized (held) {
            left = new ArrayList<>(held);
            held.clear();
        }
        left.forEach(ByteBuf::release);
    }

    /** Echo with an optional delay and an optional one-time stall window. */
    final class Echo extends ChannelInboundHandlerAdapter {
        private final long delayNanos;
        private final long stallAfter;
        private final long stallFor;

        Echo(long delayNanos, long stallAfter, long stallFor) {
            this.delayNanos = delayNanos;
            this.stallAfter = stallAfter;
            this.stallFor = stallFor;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            bytesRead.addAndGet(b.readableBytes());
            long now = System.nanoTime();
            firstRead.compareAndSet(0, now);
            long wait = delayNanos;
            if (stallFor > 0) {
                long from = firstRead.get() + stallAfter;
                long to = from + stallFor;
                if (now - from >= 0 && now - to < 0) {
                    wait = Math.max(wait, to - now);
                }
            }
            if (wait <= 0) {
                ctx.writeAndFlush(b);
                return;
            }
            held.add(b);
            ctx.executor().schedule(() -> {
                if (held.remove(b)) {
                    ctx.writeAndFlush(b);
                }
            }, wait, TimeUnit.NANOSECONDS);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                // The peer is done: send what is left, then close (a half-closed socket never closes by itself).
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Parses a Proxy Protocol header with plsim's parser, then echoes. */
    final class ProxyEcho extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, java.util.List<Object> out) {
            ProxyHeaderParser.Result r = ProxyHeaderParser.parse(in);
            switch (r.status()) {
                case NEED_MORE_DATA -> {
                    return;
                }
                case PARSED -> proxyHeaders.incrementAndGet();
                default -> {
                }
            }
            ctx.pipeline().replace(this, "echo", new Echo(0, 0, 0));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Takes a Proxy Protocol header off the stream (counting it) and leaves; closes a stream without one. */
    final class ProxyStrip extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, java.util.List<Object> out) {
            ProxyHeaderParser.Result r = ProxyHeaderParser.parse(in);
            switch (r.status()) {
                case NEED_MORE_DATA -> {
                }
                case PARSED -> {
                    proxyHeaders.incrementAndGet();
                    ctx.pipeline().remove(this); // hands on what follows the header
                }
                default -> {
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                }
            }
        }
    }

    /** Answers every request with {@code status} and "hello from the test target\n". */
    static final class HttpHandler extends ChannelInitializer<Channel> {
        private final int status;
        private final boolean chunked;

        HttpHandler(int status, boolean chunked) {
            this.status = status;
            this.chunked = chunked;
        }

        @Override
        protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                    new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                            if (!(msg instanceof FullHttpRequest)) {
                                return;
                            }
                            byte[] body = "hello from the test target\n".getBytes(StandardCharsets.US_ASCII);
                            HttpResponseStatus s = HttpResponseStatus.valueOf(status);
                            if (chunked) {
                                DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, s);
                                r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                                ctx.write(r);
                                ctx.write(new DefaultHttpContent(ByteBufUtil.writeAscii(ctx.alloc(), "hello ")));
                                ctx.write(new DefaultHttpContent(ByteBufUtil.writeAscii(ctx.alloc(), "from chunks\n")));
                                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                            } else {
                                DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s,
                                        ctx.alloc().buffer(body.length).writeBytes(body));
                                r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                                ctx.writeAndFlush(r);
                            }
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            ctx.close();
                        }
                    });
        }
    }
}
