package io.plsim.app.probe;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A server whose Proxy Protocol parser is Netty's {@code HAProxyMessageDecoder}, as a Java service behind NLB
 * would use it: the decoder first, then a handler that answers {@code 200} once a request's blank line has
 * come. A decoder failure (an exception) closes the connection.
 */
final class NettyDecoderServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    NettyDecoderServer() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HAProxyMessageDecoder(), new Answer());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Waits for the header's message, then for the end of the request, and answers. */
    private static final class Answer extends ChannelInboundHandlerAdapter {
        private boolean header;
        private final StringBuilder request = new StringBuilder();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HAProxyMessage) {
                    header = true;
                } else if (msg instanceof ByteBuf b && header) {
                    request.append(b.toString(StandardCharsets.ISO_8859_1));
                    if (request.indexOf("\r\n\r\n") >= 0) {
                        boolean get = request.toString().startsWith("GET / HTTP/1.");
                        String status = get ? "200 OK" : "400 Bad Request";
                        ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 " + status
                                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", StandardCharsets.US_ASCII))
                                .addListener(ChannelFutureListener.CLOSE);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
