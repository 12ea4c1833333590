package io.plsim.dataplane;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket transport: NIO unless native epoll is asked for with the system property
 * {@code plsim.transport=epoll} (and the platform has it).
 *
 * <p>Not epoll by default because Netty 4.2.18's epoll transport loses half-closed connections:
 * once a socket's input is shut down (the peer's FIN, with half-closure allowed) and it has no
 * other interest, Netty removes it from the epoll set ({@code EPOLL_CTL_DEL}) but keeps it marked
 * as added, so the next interest change ({@code EPOLLOUT} for a write that has to wait, or
 * {@code EPOLLIN}) fails with {@code epoll_ctl(..) ENOENT} and the channel is closed. A consumer
 * that sends its request, half-closes, and then reads a response larger than the socket buffers
 * gets it cut short, with a clean EOF ({@code RelayIntegrityTest} shows it). Use epoll again
 * once Netty registers the socket anew after such a removal.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory,
                        Class<? extends ServerSocketChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel) {

    public static Transport best() {
        if ("epoll".equals(System.getProperty("plsim.transport")) && Epoll.isAvailable()) {
            return epoll();
        }
        return nio();
    }

    /** Native epoll; see the class comment for why it is not the default. */
    public static Transport epoll() {
        Epoll.ensureAvailability();
        return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                EpollSocketChannel.class);
    }

    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /** An event loop group of this transport; 0 threads means Netty's default (2 per core). */
    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), ioHandlerFactory);
    }
}
