package io.plsim.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Netty's epoll transport with nothing of plsim in between: a server that allows half-closure
 * answers 8 MiB 50 ms after the client has sent its request and half-closed. With Netty 4.2.18's own epoll
 * I/O handler the half-closed socket's registration is lost and the answer is cut short; with
 * {@link EpollStayRegistered} all of it arrives.
 */
@ExtendWith(LeakCheck.class)
class EpollStayRegisteredTest {

    private static final int SIZE = 8 * 1024 * 1024;

    @BeforeAll
    static void epollIsHere() {
        assumeTrue(Epoll.isAvailable(), "native epoll is not available here");
    }

    @Test
    void aHalfClosedSocketGetsTheWholeAnswer() throws Exception {
        assertEquals(SIZE, bytesReadAfterHalfClose(new EpollStayRegistered()), "every byte of the answer, then EOF");
    }

    /**
     * Netty's own handler still loses the registration. When this fails, Netty has fixed it:
     * {@link EpollStayRegistered} can go.
     */
    @Test
    void nettysOwnEpollHandlerCutsTheAnswerShort() throws Exception {
        long read = bytesReadAfterHalfClose(EpollIoHandler.newFactory());
        assertTrue(read < SIZE, "Netty's epoll handler delivered all " + read + " bytes: the workaround is no longer needed");
    }

    /** Sends a request, half-closes, waits until the server has begun to answer, then reads to EOF. */
    private static long bytesReadAfterHalfClose(IoHandlerFactory factory) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
        CountDownLatch answering = new CountDownLatch(1);
        try {
            Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HalfCloseAnswer(answering));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            try (Socket s = new Socket()) {
                s.connect(server.localAddress(), 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /large\n".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertTrue(answering.await(10, TimeUnit.SECONDS), "the server saw the half-close and answered");
                InputStream in = s.getInputStream();
                byte[] buf = new byte[65536];
                long total = 0;
                for (int n; (n = in.read(buf)) >= 0; ) {
                    total += n;
                }
                return total;
            } finally {
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Drops the request; on the client's FIN writes 8 MiB in one go, then shuts its output. */
    private static final class HalfCloseAnswer extends ChannelInboundHandlerAdapter {
        private final CountDownLatch answering;

        HalfCloseAnswer(CountDownLatch answering) {
            this.answering = answering;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                // Later, not now: Netty takes the socket out of the epoll set only after this event,
                // once its input is shut and it waits for nothing. The write then fills the socket's
                // buffers and has to wait for EPOLLOUT; by the time it returns, Netty's own handler
                // has failed to ask for it.
                ctx.executor().schedule(() -> {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[SIZE]))
                            .addListener(f -> ((SocketChannel) ctx.channel()).shutdownOutput());
                    answering.countDown();
                }, 50, TimeUnit.MILLISECONDS);
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
