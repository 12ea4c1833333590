package io.plsim.dataplane.builtin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.plsim.core.model.LoadBalancer.TargetKind;
import java.net.InetSocketAddress;

/**
 * A target plsim runs itself, so a user can try the whole path before pointing it at their own
 * service: {@code echo} takes a leading Proxy Protocol header off the stream and writes back the
 * rest; {@code pp2-inspect} first answers with one JSON line describing the header it received,
 * then echoes.
 */
public final class BuiltinTargetServer implements AutoCloseable {

    private final TargetKind kind;
    private final Channel channel;

    private BuiltinTargetServer(TargetKind kind, Channel channel) {
        this.kind = kind;
        this.channel = channel;
    }

    /**
     * Binds a built-in target and waits until it listens.
     *
     * @param address where to listen; port 0 picks a free port
     */
    public static BuiltinTargetServer start(TargetKind kind, InetSocketAddress address, EventLoopGroup group,
                                            Class<? extends ServerSocketChannel> channelClass)
            throws InterruptedException {
        return start(kind, address, group, channelClass, new io.netty.channel.ChannelInboundHandlerAdapter());
    }

    /**
     * The same, with {@code acceptErrors} on the listening socket: what an accept that failed is
     * told to (the data plane's says it in one line rather than a trace).
     */
    public static BuiltinTargetServer start(TargetKind kind, InetSocketAddress address, EventLoopGroup group,
                                            Class<? extends ServerSocketChannel> channelClass,
                                            io.netty.channel.ChannelHandler acceptErrors)
            throws InterruptedException {
        if (kind == TargetKind.ADDRESS) {
            throw new IllegalArgumentException("an address target is the user's own service, not a built-in one");
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .handler(acceptErrors)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Pp2InspectHandler(kind == TargetKind.PP2_INSPECT));
                    }
                });
        Channel ch = b.bind(address).sync().channel();
        return new BuiltinTargetServer(kind, ch);
    }

    public TargetKind kind() {
        return kind;
    }

    /** The address it listens on, with the port it was given. */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops listening; connections already open end with their peers. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
