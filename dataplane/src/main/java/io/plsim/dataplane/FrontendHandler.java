package io.plsim.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.plsim.core.elb.TargetGroupSettings;
import io.plsim.core.model.LoadBalancer.ProxyProtocol.HeaderPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The consumer's side of a connection to an endpoint network interface: the relay skeleton. One
 * call ({@link Admission#decide}) says whether the connection is let in and to which target; then
 * the node connects from its own address on this channel's event loop, sends the Proxy Protocol
 * header, and the relay carries bytes towards the target with backpressure (reading stops while
 * the target side cannot take more).
 *
 * <p>The connect is the hot path of a new connection, so it is done by hand rather than with a
 * {@code Bootstrap}: one channel made directly (no reflection, no options map), this handler as
 * the connect's listener (no lambda), and what the consumer sent meanwhile written with the header
 * in one flush (one system call, and the target sees the header and the request together).
 *
 * <p>The Proxy Protocol header goes to the target with the consumer's first bytes, as NLB's default
 * header placement ({@code on_first_ack_with_payload}) does: a target that speaks first waits. With
 * {@code on_first_ack} it goes as soon as the target is connected.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter implements ChannelFutureListener {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** At most this much of what the consumer sends is held while the node connects; then reading stops. */
    private static final int EARLY_LIMIT_BYTES = 64 * 1024;

    private final EndpointInterfaceRuntime iface;
    private Flow flow;
    private Admission.Admit admit;
    /** Counted among the interface's open connections, until it closes. */
    private boolean open;
    /**
     * What the consumer sent before the connection to the target was up: read, and held in order,
     * so that it goes out with the header.
     */
    private List<Object> early;
    private int earlyBytes;

    FrontendHandler(EndpointInterfaceRuntime iface) {
        this.iface = iface;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        acceptedAt = System.nanoTime();
        FileDescriptors fds = FileDescriptors.process();
        if (!fds.above(fds.dataPlaneReserve())) {
            // Near the file limit: turned away while the health checks, the API and DNS still have room.
            iface.counters().deny(InterfaceCounters.DENIED_FILE_LIMIT);
            fds.sayRefusing("endpoint interface " + iface.eni().privateIp());
            Flow.rst(ctx.channel());
            return;
        }
        Admission.Decision decision = Admission.decide(iface, ctx.channel());
        iface.placed(ctx.channel(), decision);
        if (decision instanceof Admission.Deny deny) {
            refuse(ctx, deny);
        } else {
            connect(ctx, (Admission.Admit) decision);
        }
    }

    /** When the consumer's connection was accepted, and when the node began to connect to the target. */
    private long acceptedAt;
    private long connectingAt;

    /** The node connects to the target from its own address, on this channel's event loop. */
    private void connect(ChannelHandlerContext ctx, Admission.Admit admit) {
        Channel ch = ctx.channel();
        this.admit = admit;
        flow = new Flow(ch, iface, admit.target());
        SocketChannel backend = iface.transport().newNodeSocketChannel();
        backend.config().setAllowHalfClosure(true);
        backend.config().setConnectTimeoutMillis(CONNECT_TIMEOUT_MILLIS);
        backend.config().setWriteBufferWaterMark(Flow.WATER_MARK);
        backend.pipeline().addLast(new BackendHandler(flow, iface.counters()));
        ChannelFuture registered = ch.eventLoop().register(backend);
        if (registered.isDone() && !registered.isSuccess()) {
            // The event loop is shutting down: nothing is open yet but this socket.
            backend.unsafe().closeForcibly();
            iface.counters().deny(InterfaceCounters.DENIED_TARGET_UNREACHABLE);
            Flow.rst(ch);
            return;
        }
        connectingAt = System.nanoTime();
        backend.connect(admit.target().address, iface.node().source).addListener(this);
        ch.config().setAutoRead(true);
    }

    /** The node's connect to the target is done. */
    @Override
    public void operationComplete(ChannelFuture f) {
        Channel ch = flow.frontend;
        if (!f.isSuccess()) {
            // The socket is still open after a refused connect (on epoll it would wait, and wake
            // its loop, forever): closed here, as Bootstrap's CLOSE_ON_FAILURE did.
            f.channel().close();
            iface.counters().deny(InterfaceCounters.DENIED_TARGET_UNREACHABLE);
            releaseEarly();
            Flow.rst(ch);
            return;
        }
        long now = System.nanoTime();
        iface.counters().connectTimes.record(now - acceptedAt);
        admit.target().connectTimes.record(now - connectingAt);
        Channel backend = f.channel();
        flow.backend = backend;
        if (!ch.isActive()) {
            // The consumer left, or the endpoint was rejected, while the node was connecting.
            releaseEarly();
            Flow.rst(backend);
            return;
        }
        TargetRuntime target = admit.target();
        iface.counters().admitted.increment();
        iface.counters().open.increment();
        open = true;
        target.countFlow(iface.endpointId());
        iface.node().track(target, ch);
        flow.startIdleTimeout();
        if (Admission.targetLost(iface, target)) {
            flow.reset();
            return;
        }
        TargetGroupSettings group = iface.node().lb.settings().targetGroups();
        if (group.proxyProtocol()) {
            ByteBuf header = backend.alloc().buffer(iface.header().headerLength());
            iface.header().writeTo(header, admit.clientIp(), admit.clientPort(), iface.ip(), admit.localPort());
            backend.write(header, backend.voidPromise());
        }
        flow.installFaults();
        if (early != null) {
            for (Object msg : early) {
                if (msg instanceof ByteBuf buf) {
                    iface.counters().bytesUp.add(buf.readableBytes());
                    if (flow.crossZone != null) {
                        flow.crossZoneUp += buf.readableBytes();
                    }
                }
                backend.write(msg, backend.voidPromise());
            }
            early = null;
            if (flow.crossZone != null) {
                flow.settleCrossZone();
            }
            backend.flush();
        } else if (group.placement() == HeaderPlacement.ON_FIRST_ACK) {
            backend.flush();
        }
        // Else the header waits, written but not flushed, for the consumer's first bytes (or its
        // FIN), as NLB's default header placement (on_first_ack_with_payload) sends it: with the
        // first payload, in one segment.
        if (flow.frontendInputShut) {
            // The consumer half-closed before the target was connected: pass the FIN on now.
            Flow.shutdownOutputAfterFlush(backend);
        } else if (!ch.config().isAutoRead()) {
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
        iface.counters().deny(deny.reason());
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
        if (flow != null) {
            flow.touch();
        }
        Channel backend = flow == null ? null : flow.backend;
        if (backend == null && flow != null && iface.gate().isOpen()) {
            if (early == null) {
                early = new ArrayList<>(2);
            }
            early.add(msg);
            if (msg instanceof ByteBuf b && (earlyBytes += b.readableBytes()) >= EARLY_LIMIT_BYTES) {
                ctx.channel().config().setAutoRead(false);
            }
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
            iface.counters().bytesUp.add(b.readableBytes());
            if (flow.crossZone != null) {
                flow.crossZoneUp += b.readableBytes();
            }
        }
        backend.write(msg, backend.voidPromise());
        if (!backend.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel backend = flow == null ? null : flow.backend;
        if (backend != null) {
            // Counted before the bytes go: whoever has read them finds them counted.
            if (flow.crossZone != null) {
                flow.settleCrossZone();
            }
            backend.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel backend = flow == null ? null : flow.backend;
        if (backend != null && ctx.channel().isWritable() && !flow.backendInputShut) {
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
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        if (open) {
            open = false;
            iface.counters().open.decrement();
        }
        if (flow != null) {
            flow.ended();
            if (flow.crossZone != null) {
                // A read batch that ended with the channel, without its read-complete.
                flow.settleCrossZone();
            }
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
