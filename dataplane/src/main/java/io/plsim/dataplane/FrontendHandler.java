package io.plsim.dataplane;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.plsim.core.model.Simulation;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The consumer's side of a connection to an endpoint network interface: admission, target
 * selection by the NLB node, the upstream connection from the node's own address on this
 * channel's event loop, the Proxy Protocol header, and the relay towards the target with
 * backpressure (reading stops while the target side cannot take more).
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
        Channel ch = ctx.channel();
        if (!iface.gate().admit(ch)) {
            deny(ctx, DataPlaneStats.DENIED_ENDPOINT + iface.gate().state().wire());
            return;
        }
        if (!iface.faults().isEmpty()) {
            String verdict = iface.faults().admission(iface);
            if (verdict != null) {
                faultDeny(ctx, verdict);
                return;
            }
        }
        flow = new Flow(ch);
        InetSocketAddress client = (InetSocketAddress) ch.remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ch.localAddress();
        int clientIp = Addresses.ipv4(client.getAddress());
        NlbNode node = iface.node();
        int hash = FlowHash.of(clientIp, client.getPort(), iface.ip(), local.getPort(), node.nextSequence());
        TargetRuntime target = node.select(hash);
        if (target == null) {
            iface.stats().deny(DataPlaneStats.DENIED_NO_TARGET);
            Flow.rst(ch);
            return;
        }
        if (!iface.faults().isEmpty() && iface.faults().unreachable(target)) {
            // The target is down or its zone is out: the node's connect is refused.
            iface.stats().deny(DataPlaneStats.DENIED_TARGET_UNREACHABLE);
            Flow.rst(ch);
            return;
        }
        flow.target = target;
        Bootstrap b = new Bootstrap()
                .group(ch.eventLoop())
                .channel(iface.transport().socketChannel())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .localAddress(new InetSocketAddress(node.ip, 0))
                .handler(new BackendHandler(flow, iface));
        b.connect(target.address).addListener((ChannelFutureListener) f -> {
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
            iface.stats().admitted.increment();
            iface.stats().open.increment();
            ch.closeFuture().addListener(c -> iface.stats().open.decrement());
            target.flows.increment();
            node.track(target, ch);
            if ((node.health(target) == TargetHealth.UNHEALTHY && node.selector.hasHealthyTarget(node.lb.crossZone()))
                    || (!iface.faults().isEmpty() && iface.faults().unreachable(target))) {
                // The target went down while the node was connecting, after the reset pass (unless
                // every target is down and the node fails open, as it chose to).
                flow.reset();
                return;
            }
            if (iface.header() != null) {
                ByteBuf header = backend.alloc().buffer(iface.header().headerLength());
                iface.header().writeTo(header, clientIp, client.getPort(), iface.ip(), local.getPort());
                backend.writeAndFlush(header);
            }
            if (!iface.faults().isEmpty()) {
                for (FaultTable.Entry e : iface.faults().connectionFaults(iface, target)) {
                    Toxics.install(e, flow, ch, backend);
                }
            }
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
        });
    }

    private void releaseEarly() {
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
            early = null;
        }
    }

    /** A fault refuses the connection ("reset:reason") or lets it go nowhere ("blackhole:reason"). */
    private void faultDeny(ChannelHandlerContext ctx, String verdict) {
        int colon = verdict.indexOf(':');
        iface.stats().deny(verdict.substring(colon + 1));
        if (verdict.startsWith("blackhole")) {
            holdSilent(ctx);
        } else {
            Flow.rst(ctx.channel());
        }
    }

    /**
     * Holds a denied connection silent: what it sends is read and dropped, nothing is answered, until
     * the client gives up (its close is seen, so the socket does not linger) or the idle timeout.
     */
    private static void holdSilent(ChannelHandlerContext ctx, int idleTimeoutSeconds) {
        Channel ch = ctx.channel();
        var timer = ch.eventLoop().schedule(() -> Flow.rst(ch), idleTimeoutSeconds, TimeUnit.SECONDS);
        ch.closeFuture().addListener(f -> timer.cancel(false));
        ch.config().setAutoRead(true);
    }

    private void holdSilent(ChannelHandlerContext ctx) {
        holdSilent(ctx, iface.idleTimeoutSeconds());
    }

    private void deny(ChannelHandlerContext ctx, String reason) {
        iface.stats().deny(reason);
        if (iface.admission() == Simulation.Admission.BLACKHOLE) {
            holdSilent(ctx);
        } else {
            Flow.rst(ctx.channel());
        }
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
        if (flow.swallowIfStalled(iface, msg)) {
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
