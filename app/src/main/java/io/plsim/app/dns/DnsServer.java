package io.plsim.app.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.plsim.app.limits.ConnectionLimits;
import io.plsim.dataplane.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The endpoint DNS server: answers, over UDP and TCP on one port of loopback, the A records of the
 * interface endpoints' DNS names (zone {@value #ZONE}), as Route 53 does for PrivateLink: a zonal
 * name gives its interface's IP, a regional name the IPs of the zones whose NLB node has a healthy
 * target (all of them when none has). Which names exist and what they hold is the resolver's
 * business (in {@code plsim run}, {@code DataPlane::dnsAnswer}); this class speaks DNS. See
 * {@link DnsResponder} for every answer it gives.
 *
 * <p>It may listen on further addresses of loopback, on the same port ({@link #listenOn}): a VPC's
 * resolver, where names outside the zone are answered as that VPC sees them ({@link OtherNames}).
 *
 * <pre>
 *   dig @127.0.0.1 -p 8053 +short vpce-0123...-abcdefgh.vpce-svc-0123....us-east-1.vpce.amazonaws.com
 * </pre>
 */
public final class DnsServer implements AutoCloseable {

    /**
     * What the server answers for a name outside {@value #ZONE}, by the address the query came to.
     * Called on the server's event loop, so it must be quick.
     */
    @FunctionalInterface
    public interface OtherNames {
        /**
         * The records of {@code name} (lower case, no trailing dot) asked at {@code local}; null when
         * the server knows nothing of it there (REFUSED, as for any name outside its zone).
         */
        Records lookup(String name, java.net.InetAddress local);

        /** Knows no other name: every name outside the zone is refused. */
        OtherNames NONE = (name, local) -> null;
    }

    /** The A records (dotted quads) and TXT strings of one name. */
    public record Records(List<String> addresses, List<String> texts) {
        public Records {
            addresses = List.copyOf(addresses);
            texts = List.copyOf(texts);
        }
    }

    /** The default port of {@code plsim run --dns-port}. */
    public static final int DEFAULT_PORT = 8053;
    /** The zone the server is authoritative for; every other name is refused. */
    public static final String ZONE = "vpce.amazonaws.com";
    /** The TTL of every A record, as AWS gives endpoint names. */
    public static final long TTL_SECONDS = 60;
    /** How long a TCP connection may take to send a complete query, from its opening or the last answer. */
    static final int TCP_IDLE_SECONDS = 30;

    private final EventLoopGroup group;
    private final Channel tcp;
    private final Channel udp;
    private final ServerBootstrap tcpBoot;
    private final Bootstrap udpBoot;
    /** The further addresses listened on, each the TCP and UDP channels once bound (or the failure). */
    private final Map<java.net.InetAddress, CompletableFuture<List<Channel>>> more = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private DnsServer(EventLoopGroup group, Channel tcp, Channel udp, ServerBootstrap tcpBoot, Bootstrap udpBoot) {
        this.group = group;
        this.tcp = tcp;
        this.udp = udp;
        this.tcpBoot = tcpBoot;
        this.udpBoot = udpBoot;
    }

    /**
     * Binds TCP and UDP on the same port of {@code bind}'s address and waits until both listen. Port
     * 0 picks a port free for both.
     *
     * @param resolver the addresses of a name (lower case, no trailing dot), empty for a name that
     *                 does not exist; called on the server's event loop, so it must be quick
     * @throws IllegalStateException naming the address and protocol when it cannot be bound
     */
    public static DnsServer start(InetSocketAddress bind, Transport transport,
                                  Function<String, Optional<List<String>>> resolver) {
        return start(bind, transport, resolver, OtherNames.NONE, Duration.ofSeconds(TCP_IDLE_SECONDS));
    }

    /** The same, answering names outside the zone with {@code others}. */
    public static DnsServer start(InetSocketAddress bind, Transport transport,
                                  Function<String, Optional<List<String>>> resolver, OtherNames others) {
        return start(bind, transport, resolver, others, Duration.ofSeconds(TCP_IDLE_SECONDS));
    }

    /** The same with another deadline for a TCP query, for tests that cannot wait the default's. */
    static DnsServer start(InetSocketAddress bind, Transport transport,
                           Function<String, Optional<List<String>>> resolver, Duration tcpDeadline) {
        return start(bind, transport, resolver, OtherNames.NONE, tcpDeadline);
    }

    private static DnsServer start(InetSocketAddress bind, Transport transport,
                                   Function<String, Optional<List<String>>> resolver, OtherNames others,
                                   Duration tcpDeadline) {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(others, "others");
        if (bind.isUnresolved()) {
            throw new IllegalStateException("cannot listen on " + bind + ": unresolved address");
        }
        EventLoopGroup group = transport.newGroup(1, "plsim-dns");
        DnsQueryHandler handler = new DnsQueryHandler(new DnsResponder(resolver, others));
        // A query complete within the deadline of the connection opening or the last answer, however
        // slowly its bytes come; at most so many connections, a further one closed at once.
        ConnectionLimits tcpLimits = new ConnectionLimits("DNS over TCP on " + bind, ConnectionLimits.MAX_CONNECTIONS,
                tcpDeadline, m -> m instanceof io.netty.handler.codec.dns.DnsQuery,
                m -> m instanceof io.netty.handler.codec.dns.DnsResponse, null);
        ServerBootstrap tcpBoot = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(io.plsim.dataplane.FileDescriptors.process().acceptErrors("DNS over TCP on " + bind))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                tcpLimits.handler(),
                                new TcpDnsQueryDecoder(),
                                new TcpDnsResponseEncoder(),
                                tcpLimits.deadline(),
                                handler);
                    }
                });
        // No SO_REUSEADDR on UDP: on Linux it would let two servers share the port silently.
        Bootstrap udpBoot = new Bootstrap()
                .group(group)
                .channel(transport.datagramChannel())
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(
                                new DnsQueryHandler.LenientDatagramDnsQueryDecoder(),
                                new DatagramDnsResponseEncoder(),
                                handler);
                    }
                });
        String failure = null;
        int attempts = bind.getPort() == 0 ? 10 : 1;
        for (int i = 0; i < attempts; i++) {
            ChannelFuture t = tcpBoot.bind(bind).awaitUninterruptibly();
            if (!t.isSuccess()) {
                failure = "cannot listen on " + hostPort(bind.getAddress().getHostAddress(), bind.getPort())
                        + " (tcp): " + message(t.cause());
                break;
            }
            int port = ((InetSocketAddress) t.channel().localAddress()).getPort();
            ChannelFuture u = udpBoot.bind(new InetSocketAddress(bind.getAddress(), port)).awaitUninterruptibly();
            if (u.isSuccess()) {
                return new DnsServer(group, t.channel(), u.channel(), tcpBoot, udpBoot);
            }
            t.channel().close().awaitUninterruptibly();
            failure = "cannot listen on " + hostPort(bind.getAddress().getHostAddress(), port) + " (udp): "
                    + message(u.cause());
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        throw new IllegalStateException(failure);
    }

    /** The address both protocols listen on. */
    public InetSocketAddress address() {
        return (InetSocketAddress) tcp.localAddress();
    }

    /** {@code host:port}, for messages and {@code dig @host -p port}. */
    public String hostPort() {
        return hostPort(address().getAddress().getHostAddress(), address().getPort());
    }

    /**
     * Listens on {@code address} too, TCP and UDP on this server's port, without waiting: the future
     * completes with {@code host:port} once both listen, or fails naming the address and protocol.
     * Asking again for the same address answers the first attempt.
     */
    public CompletableFuture<String> listenOn(java.net.InetAddress address) {
        Objects.requireNonNull(address, "address");
        int port = address().getPort();
        String where = hostPort(address.getHostAddress(), port);
        CompletableFuture<List<Channel>> bound = more.computeIfAbsent(address, a -> {
            CompletableFuture<List<Channel>> f = new CompletableFuture<>();
            if (closed) {
                f.completeExceptionally(new IllegalStateException("cannot listen on " + where + ": the server is closed"));
                return f;
            }
            tcpBoot.bind(a, port).addListener((ChannelFuture t) -> {
                if (!t.isSuccess()) {
                    f.completeExceptionally(new IllegalStateException("cannot listen on " + where + " (tcp): "
                            + message(t.cause())));
                    return;
                }
                udpBoot.bind(a, port).addListener((ChannelFuture u) -> {
                    if (u.isSuccess()) {
                        f.complete(List.of(t.channel(), u.channel()));
                    } else {
                        t.channel().close();
                        f.completeExceptionally(new IllegalStateException("cannot listen on " + where + " (udp): "
                                + message(u.cause())));
                    }
                });
            });
            return f;
        });
        return bound.thenApply(channels -> where);
    }

    private static String hostPort(String host, int port) {
        return host + ":" + port;
    }

    private static String message(Throwable t) {
        String m = t == null ? null : t.getMessage();
        return m == null ? String.valueOf(t) : m;
    }

    /** Stops answering and frees both sockets; idempotent. */
    @Override
    public void close() {
        closed = true;
        udp.close().awaitUninterruptibly();
        tcp.close().awaitUninterruptibly();
        for (CompletableFuture<List<Channel>> f : more.values()) {
            // One still binding, or failed, has nothing to close here; the group's shutdown ends the rest.
            if (f.isDone() && !f.isCompletedExceptionally()) {
                f.join().forEach(c -> c.close().awaitUninterruptibly());
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
