package io.plsim.dataplane;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.util.Optional;

/**
 * The socket transport: native epoll where the platform has it, NIO elsewhere, or NIO when the
 * system property {@code plsim.transport=nio} asks for it.
 *
 * <p>The epoll transport's I/O handler is {@link EpollStayRegistered}: Netty's own, with the
 * registration of a half-closed socket kept, which Netty 4.2.18 loses (see there).
 *
 * <p>The data path's sockets are IPv4 only ({@link #newNodeSocketChannel}, {@link #serverChannelFactory}):
 * every address plsim listens on or connects to is in 127.0.0.0/8, and a dual-stack socket would
 * carry each of them as an IPv4-mapped IPv6 address, for nothing.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory,
                        Class<? extends ServerSocketChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel) {

    /** Epoll unless the platform lacks it or {@code plsim.transport=nio}; see {@link #fallbackNote}. */
    public static Transport best() {
        return useEpoll() ? epoll() : nio();
    }

    /**
     * Why {@link #best} is NIO, in one line, when it is because native epoll is not available here;
     * empty when {@link #best} is epoll or NIO was asked for.
     */
    public static Optional<String> fallbackNote() {
        if (useEpoll() || "nio".equals(System.getProperty("plsim.transport"))) {
            return Optional.empty();
        }
        return Optional.of("native epoll is not available here (" + Epoll.unavailabilityCause().getMessage()
                + "); using NIO");
    }

    private static boolean useEpoll() {
        return !"nio".equals(System.getProperty("plsim.transport")) && Epoll.isAvailable();
    }

    /** Native epoll. */
    public static Transport epoll() {
        Epoll.ensureAvailability();
        return new Transport("epoll", new EpollStayRegistered(), EpollServerSocketChannel.class,
                EpollSocketChannel.class);
    }

    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    public boolean isEpoll() {
        return socketChannel == EpollSocketChannel.class;
    }

    /** Makes IPv4 listening sockets of this transport. */
    ChannelFactory<ServerSocketChannel> serverChannelFactory() {
        return isEpoll() ? () -> new EpollServerSocketChannel(SocketProtocolFamily.INET)
                : () -> new NioServerSocketChannel(SelectorProvider.provider(), SocketProtocolFamily.INET);
    }

    /**
     * Makes IPv4 client sockets of this transport: an IPv4 target needs no dual-stack socket, whose
     * making costs a connection one more system call ({@code IPV6_V6ONLY}).
     */
    public ChannelFactory<SocketChannel> ipv4SocketChannelFactory() {
        return isEpoll() ? () -> new EpollSocketChannel(SocketProtocolFamily.INET)
                : () -> new NioSocketChannel(SelectorProvider.provider(), SocketProtocolFamily.INET);
    }

    /**
     * A new IPv4 TCP socket, not yet registered, for a connection an NLB node makes from its own
     * address (it binds that address before it connects): on epoll, {@code IP_BIND_ADDRESS_NO_PORT}
     * lets the kernel choose the port at connect time, by the whole 4-tuple, instead of at bind
     * time, by address alone, where thousands of TIME_WAIT sockets on the node's address make the
     * search slow and then fail.
     */
    SocketChannel newNodeSocketChannel() {
        if (!isEpoll()) {
            return new NioSocketChannel(SelectorProvider.provider(), SocketProtocolFamily.INET);
        }
        SocketChannel ch = new EpollSocketChannel(SocketProtocolFamily.INET);
        ch.config().setOption(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        return ch;
    }

    /** The default number of event loops for connections: one per core. */
    public static int defaultIoThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** An event loop group of this transport; 0 threads means {@link #defaultIoThreads}. */
    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads > 0 ? threads : defaultIoThreads(),
                new DefaultThreadFactory(name, true), ioHandlerFactory);
    }
}
