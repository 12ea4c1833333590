package io.plsim.dataplane;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The socket transport: io_uring where the kernel allows it, native epoll next, NIO last; or the
 * one {@code --transport} (the system property {@code plsim.transport}) asks for.
 *
 * <p>io_uring first because it submits the reads and writes of every connection on an event loop
 * in one {@code io_uring_enter}, where epoll pays a system call for each.
 *
 * <p>The epoll transport's I/O handler is {@link EpollStayRegistered}: Netty's own, with the
 * registration of a half-closed socket kept, which Netty 4.2.18 loses (see there). io_uring has no
 * interest set to lose: a read is a submitted operation, not a registration.
 *
 * <p>The data path's sockets are IPv4 only where the transport can make them so
 * ({@link #newNodeSocketChannel}, {@link #serverChannelFactory}): every address plsim listens on or
 * connects to is in 127.0.0.0/8, and a dual-stack socket would carry each of them as an
 * IPv4-mapped IPv6 address, for nothing. Netty's io_uring channels are dual-stack, with no choice.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory,
                        Class<? extends ServerSocketChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel,
                        Class<? extends DatagramChannel> datagramChannel) {

    /** The names {@link #choose} takes, in the order {@code auto} tries them. */
    public static final List<String> NAMES = List.of("auto", "io_uring", "epoll", "nio");

    /**
     * {@code IP_BIND_ADDRESS_NO_PORT} (level {@code SOL_IP}, option 24 in Linux's {@code in.h}),
     * which Netty's io_uring options lack and its raw integer option reaches.
     */
    private static final IntegerUnixChannelOption IP_BIND_ADDRESS_NO_PORT =
            new IntegerUnixChannelOption("IP_BIND_ADDRESS_NO_PORT", 0, 24);

    /**
     * What {@code auto} chose, and, when it is not the first choice, why: the cause of each
     * transport passed over.
     */
    public record Choice(Transport transport, Optional<String> fallback) {

        /** The transport's name, and after it, on a fallback, why. */
        public String describe() {
            return transport.name() + fallback.map(f -> " (" + f + ")").orElse("");
        }
    }

    /** What {@code plsim.transport} asks for ({@code auto} when unset); see {@link #choose}. */
    public static Transport best() {
        return choose(System.getProperty("plsim.transport", "auto")).transport();
    }

    /**
     * Why {@link #best} is not io_uring, in one line, when it fell back for want of a native
     * transport; empty when it is io_uring or another was asked for.
     */
    public static Optional<String> fallbackNote() {
        return choose(System.getProperty("plsim.transport", "auto")).fallback();
    }

    /**
     * The transport {@code name} asks for: {@code auto} takes the first of io_uring, epoll and NIO
     * that this machine has; another name takes that one or is refused, saying why.
     *
     * @throws IllegalArgumentException naming the transport that is unknown or not available here
     */
    public static Choice choose(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "auto" -> {
                if (IoUring.isAvailable()) {
                    yield new Choice(ioUring(), Optional.empty());
                }
                String noUring = "io_uring is not available here: " + IoUring.unavailabilityCause().getMessage();
                if (Epoll.isAvailable()) {
                    yield new Choice(epoll(), Optional.of(noUring));
                }
                yield new Choice(nio(), Optional.of(noUring + "; nor is native epoll: "
                        + Epoll.unavailabilityCause().getMessage()));
            }
            case "io_uring", "iouring", "io-uring" -> {
                if (!IoUring.isAvailable()) {
                    throw new IllegalArgumentException("--transport io_uring: io_uring is not available here ("
                            + IoUring.unavailabilityCause().getMessage() + "); use auto, epoll or nio");
                }
                yield new Choice(ioUring(), Optional.empty());
            }
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalArgumentException("--transport epoll: native epoll is not available here ("
                            + Epoll.unavailabilityCause().getMessage() + "); use auto or nio");
                }
                yield new Choice(epoll(), Optional.empty());
            }
            case "nio" -> new Choice(nio(), Optional.empty());
            default -> throw new IllegalArgumentException("--transport: expected one of "
                    + String.join(", ", NAMES) + ", found " + name);
        };
    }

    /** Netty's io_uring. */
    public static Transport ioUring() {
        IoUring.ensureAvailability();
        return new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                IoUringSocketChannel.class, IoUringDatagramChannel.class);
    }

    /** Native epoll. */
    public static Transport epoll() {
        Epoll.ensureAvailability();
        return new Transport("epoll", new EpollStayRegistered(), EpollServerSocketChannel.class,
                EpollSocketChannel.class, EpollDatagramChannel.class);
    }

    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class,
                NioDatagramChannel.class);
    }

    public boolean isEpoll() {
        return socketChannel == EpollSocketChannel.class;
    }

    public boolean isIoUring() {
        return socketChannel == IoUringSocketChannel.class;
    }

    /** Whether this is one of Linux's native transports, which have {@code SO_REUSEPORT}. */
    public boolean isNative() {
        return isEpoll() || isIoUring();
    }

    /** Makes IPv4 listening sockets of this transport. */
    ChannelFactory<ServerSocketChannel> serverChannelFactory() {
        if (isIoUring()) {
            return IoUringServerSocketChannel::new;
        }
        return isEpoll() ? () -> new EpollServerSocketChannel(SocketProtocolFamily.INET)
                : () -> new NioServerSocketChannel(SelectorProvider.provider(), SocketProtocolFamily.INET);
    }

    /**
     * Makes IPv4 client sockets of this transport: an IPv4 target needs no dual-stack socket, whose
     * making costs a connection one more system call ({@code IPV6_V6ONLY}).
     */
    public ChannelFactory<SocketChannel> ipv4SocketChannelFactory() {
        if (isIoUring()) {
            return IoUringSocketChannel::new;
        }
        return isEpoll() ? () -> new EpollSocketChannel(SocketProtocolFamily.INET)
                : () -> new NioSocketChannel(SelectorProvider.provider(), SocketProtocolFamily.INET);
    }

    /**
     * A new IPv4 TCP socket, not yet registered, for a connection an NLB node makes from its own
     * address (it binds that address before it connects): on epoll, {@code IP_BIND_ADDRESS_NO_PORT}
     * lets the kernel choose the port at connect time, by the whole 4-tuple, instead of at bind
     * time, by address alone, where thousands of TIME_WAIT sockets on the node's address make the
     * search slow and then fail. The same on io_uring, through the raw socket option.
     */
    SocketChannel newNodeSocketChannel() {
        if (isIoUring()) {
            SocketChannel ch = new IoUringSocketChannel();
            ch.config().setOption(IP_BIND_ADDRESS_NO_PORT, 1);
            return ch;
        }
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
