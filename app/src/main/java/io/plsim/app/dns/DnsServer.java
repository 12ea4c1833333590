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
import java.util.Optional;
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
 * <pre>
 *   dig @127.0.0.1 -p 8053 +short vpce-0123...-abcdefgh.vpce-svc-0123....us-east-1.vpce.amazonaws.com
 * </pre>
 */
public final class DnsServer implements AutoCloseable {

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

    private DnsServer(EventLoopGroup group, Channel tcp, Channel udp) {
        this.group = group;
        this.tcp = tcp;
        this.udp = udp;
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
        return start(bind, transport, resolver, Duration.ofSeconds(TCP_IDLE_SECONDS));
    }

    /** The same with another deadline for a TCP query, for tests that cannot wait the default's. */
    static DnsServer start(InetSocketAddress bind, Transport transport,
                           Function<String, Optional<List<String>>> resolver, Duration tcpDeadline) {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(resolver, "resolver");
        if (bind.isUnresolved()) {
            throw new IllegalStateException("cannot listen on " + bind + ": unresolved address");
        }
        EventLoopGroup group = transport.newGroup(1, "plsim-dns");
        DnsQueryHandler handler = new DnsQueryHandler(new DnsResponder(resolver));
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
                return new DnsServer(group, t.channel(), u.channel());
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
        udp.close().awaitUninterruptibly();
        tcp.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
