package io.plsim.dataplane;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The consumer's side of a connection to an endpoint network interface: the relay skeleton. One
 * call ({@link Admission#decide}) says whether the connection is let in and to which target; then
 * the node connects from its own address on this channel's event loop, sends the Proxy Protocol
 * header, and the relay carries bytes towards the target with backpressure (reading stops while
 * the target side cannot take more).
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final EndpointInterfaceRuntime iface;
    private Flow flow;
    /**
     * What the consumer sent before the connection to the target was up. Reading is off until then,
     * but a peer's FIN makes the epoll transport read what is pending anyway (EPOLLRDHUP), so a
     * short request sent with its FIN arrives here early; it is held, in order, not dropped.
     */
    private List<Object> early;

    FrontendHandler(EndpointInterfaceRuntime iface) {
        this.iface = iface;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Admission.Decision decision = Admission.decide(iface, ctx.channel());
        if (decision instanceof Admission.Deny deny) {
            refuse(ctx, deny);
        } else {
            connect(ctx, (Admission.Admit) decision);
        }
    }

    /** The node connects to the target from its own address, on this channel's event loop. */
    private void connect(ChannelHandlerContext ctx, Admission.Admit admit) {
        flow = new Flow(ctx.channel(), iface, admit.target());
        new Bootstrap()
                .group(ctx.channel().eventLoop())
                .channel(iface.transport().socketChannel())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .localAddress(new InetSocketAddress(iface.node().ip, 0))
                .handler(new BackendHandler(flow, iface.stats()))
                .connect(admit.target().address)
                .addListener((ChannelFutureListener) f -> connected(ctx.channel(), f, admit));
    }

    private void connected(Channel ch, ChannelFuture f, Admission.Admit admit) {
        if (!f.isSuccess()) {
            iface.stats().deny(DataPlaneStats.DENIED_TARGET_UNREACHABLE);
            releaseEarly();
            Flow.rst(ch);
            return;
        }
        Channel backend = f.channel();
        flow.backend = backend;
        if (!ch.isActive()) {
            // The consumer left, or the endpoint was rejected, while the node was connecting.
            releaseEarly();
            Flow.rst(backend);
            return;
        }
        TargetRuntime target = admit.target();
        iface.stats().admitted.increment();
        iface.stats().open.increment();
        ch.closeFuture().addListener(c -> iface.stats().open.decrement());
        target.flows.increment();
        iface.node().track(target, ch);
        if (Admission.targetLost(iface, target)) {
            flow.reset();
            return;
        }
        if (iface.header() != null) {
            ByteBuf header = backend.alloc().buffer(iface.header().headerLength());
            iface.header().writeTo(header, admit.clientIp(), admit.clientPort(), iface.ip(), admit.localPort());
            backend.writeAndFlush(header);
        }
        flow.installFaults();
        if (early != null) {
            for (Object msg : early) {
                if (msg instanceof ByteBuf buf) {
                    iface.stats().bytesUp.add(buf.readableBytes());
                }
                backend.write(msg);
            }
            early = null;
            backend.flush();
        }
        if (flow.frontendInputShut) {
            // The consumer half-closed before the target was connected: pass the FIN on now.
            Flow.shutdownOutputAfterFlush(backend);
        } else {
            ch.config().setAutoRead(true);
        }
    }

    private void releaseEarly() {
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
            early = null;
        }
    }

    /** Resets a connection that is not let in, or holds it silent. */
    private void refuse(ChannelHandlerContext ctx, Admission.Deny deny) {
        iface.stats().deny(deny.reason());
        if (deny.silent()) {
            holdSilent(ctx.channel(), iface.idleTimeoutSeconds());
        } else {
            Flow.rst(ctx.channel());
        }
    }

    /**
     * Holds a denied connection silent: what it sends is read and dropped, nothing is answered, until
     * the client gives up (its close is seen, so the socket does not linger) or the idle timeout.
     */
    private static void holdSilent(Channel ch, int idleTimeoutSeconds) {
        var timer = ch.eventLoop().schedule(() -> Flow.rst(ch), idleTimeoutSeconds, TimeUnit.SECONDS);
        ch.closeFuture().addListener(f -> timer.cancel(false));
        ch.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel backend = flow == null ? null : flow.backend;
        if (backend == null && flow != null && iface.gate().isOpen()) {
            if (early == null) {
                early = new ArrayList<>(2);
            }
            early.add(msg);
            return;
        }
        if (backend == null || !iface.gate().isOpen()) {
            ReferenceCountUtil.release(msg);
            if (flow != null) {
                flow.reset();
            }
            return;
        }
        if (flow.swallowIfStalled(msg)) {
            return;
        }
        if (msg instanceof ByteBuf b) {
            iface.stats().bytesUp.add(b.readableBytes());
        }
        backend.write(msg);
        if (!backend.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel backend = flow == null ? null : flow.backend;
        if (backend != null) {
            backend.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel backend = flow == null ? null : flow.backend;
        if (backend != null && ctx.channel().isWritable()) {
            backend.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (flow != null && evt instanceof ChannelInputShutdownEvent) {
            flow.frontendInputShut = true;
            Flow.shutdownOutputAfterFlush(flow.backend);
            flow.closeIfBothShut();
        } else if (flow == null && evt instanceof ChannelInputShutdownEvent) {
            // A held-silent client gave up.
            ctx.close();
        } else if (evt instanceof IdleStateEvent) {
            iface.stats().idleTimeouts.increment();
            if (flow != null) {
                flow.reset();
            } else {
                Flow.rst(ctx.channel());
            }
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        if (flow != null) {
            Flow.flushAndClose(flow.backend);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (flow != null) {
            flow.reset();
        } else {
            Flow.rst(ctx.channel());
        }
    }
}
