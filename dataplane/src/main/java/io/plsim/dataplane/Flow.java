package io.plsim.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.unix.Socket;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.plsim.core.model.Fault;
import io.plsim.dataplane.fault.FaultInForce;
import io.plsim.dataplane.fault.FaultStages;
import io.plsim.dataplane.fault.FaultTable;
import io.plsim.dataplane.fault.Link;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One relayed connection: the consumer's side (frontend) and the target's side (backend), both on
 * the frontend's event loop. Knows how to end the pair: gracefully (flush, then close), by
 * half-close, or by reset. It is the {@link Link} its connection faults act on.
 */
final class Flow implements Link {

    private static final AttributeKey<Flow> KEY = AttributeKey.valueOf(Flow.class, "flow");

    /**
     * How much either side may hold, written but not yet taken by its peer, before the other side
     * stops reading: 512 KiB, down to 256 KiB to read again. Netty's 64/32 KiB made a 1 MiB answer
     * stop and start reading (an epoll_ctl each way) every read or two; memory is still bounded,
     * and an idle connection holds none of it.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 512 * 1024);

    final Channel frontend;
    volatile Channel backend;
    /** The target the node picked. */
    final TargetRuntime target;
    /** The interface the connection came in on, as faults' scopes name it. */
    private final Fault.Location interfaceLocation;
    /** Where this connection is, with its target; made only once a fault is in force. */
    private Fault.Location location;
    private final FaultTable faults;
    private final InterfaceCounters counters;
    /**
     * Where its bytes are added when its interface and target are in different zones; null when they
     * share one, so that such a flow costs nothing more. Its bytes are summed here on the event loop and
     * added to the shared account once per read batch ({@link #settleCrossZone}), not once per read.
     */
    final CrossZoneLedger.Account crossZone;
    long crossZoneUp;
    long crossZoneDown;
    /**
     * Bytes were read and dropped while a fault stalled this flow. TCP would have retransmitted
     * them, never skipped them, so the flow cannot carry on once the stall ends: it is reset.
     */
    boolean lostBytes;
    boolean frontendInputShut;
    boolean backendInputShut;

    // The idle timeout ({@link IdleSweep}): this flow's place in its loop's sweep, and its activity:
    // the tick it last carried bytes in, the tick the sweep last saw, and the time it saw it at.
    private final IdleSweep idle;
    final long idleNanos;
    int activeTick;
    int sweptTick;
    long activeNanos;
    Flow idlePrev;
    Flow idleNext;

    Flow(Channel frontend, EndpointInterfaceRuntime iface, TargetRuntime target) {
        this.frontend = frontend;
        this.target = target;
        this.interfaceLocation = iface.location();
        this.faults = iface.faults();
        this.counters = iface.counters();
        this.crossZone = iface.node().lb.crossZoneBytes.accountOf(iface.endpointId(), iface.eni().zoneId(),
                target.zoneId());
        this.idle = IdleSweep.of(frontend.eventLoop(), iface.ticker());
        this.idleNanos = TimeUnit.SECONDS.toNanos(iface.idleTimeoutSeconds());
        frontend.attr(KEY).set(this);
    }

    /** Adds what this flow carried across zones since the last time to its account. On its event loop. */
    void settleCrossZone() {
        if (crossZoneUp != 0) {
            crossZone.toTarget.add(crossZoneUp);
            crossZoneUp = 0;
        }
        if (crossZoneDown != 0) {
            crossZone.toConsumer.add(crossZoneDown);
            crossZoneDown = 0;
        }
    }

    /** It carried bytes: its idle time starts again. */
    void touch() {
        activeTick = idle.tick;
    }

    /** Both sides are up: the idle timeout counts from now. */
    void startIdleTimeout() {
        idle.add(this);
    }

    /** It ended: it leaves the sweep. Only on its event loop. */
    void ended() {
        idle.remove(this);
    }

    /** Nothing went through it for its idle timeout: both sides are reset, as NLB does. */
    void idleTimeout() {
        counters.idleTimeouts.increment();
        reset();
    }

    /**
     * Drops {@code msg} when a fault stalls this flow (its bytes go nowhere), and resets the flow
     * when it carries data again after having lost some. Answers whether {@code msg} was consumed.
     */
    boolean swallowIfStalled(Object msg) {
        if (!faults.isEmpty() && faults.stalled(location(), target.location)) {
            if (msg instanceof ByteBuf dropped) {
                counters.bytesDropped.add(dropped.readableBytes());
            }
            ReferenceCountUtil.release(msg);
            lostBytes = true;
            return true;
        }
        if (lostBytes) {
            ReferenceCountUtil.release(msg);
            reset();
            return true;
        }
        return false;
    }

    /** The stages its connection faults act through; null until a fault reaches it. */
    private FaultStages faultStages;

    /** Puts the connection faults this flow gets to work, once both sides are up. */
    void installFaults() {
        if (!faults.isEmpty()) {
            faultStages = faults.install(location(), this);
        }
    }

    /**
     * Puts a connection fault that came into force after this flow opened to work on it, on its
     * event loop; nothing if the flow has ended or was shown it as it opened.
     */
    void installLate(FaultInForce e) {
        if (!frontend.eventLoop().inEventLoop()) {
            frontend.eventLoop().execute(() -> installLate(e));
            return;
        }
        if (backend != null && frontend.isActive() && backend.isActive()) {
            if (faultStages == null) {
                faultStages = new FaultStages(this);
            }
            faults.installLate(e, location(), faultStages);
        }
    }

    /** Only asked on the flow's event loop. */
    private Fault.Location location() {
        if (location == null) {
            location = interfaceLocation.withTarget(target.location.target());
        }
        return location;
    }

    // ---------------------------------------------------------------- the link faults see

    @Override
    public void addUpstream(ChannelHandler handler) {
        backend.pipeline().addFirst(handler);
    }

    @Override
    public void addDownstream(ChannelHandler handler) {
        frontend.pipeline().addFirst(handler);
    }

    @Override
    public void schedule(Runnable task, long delayMillis) {
        frontend.eventLoop().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        flushAndClose(frontend);
        flushAndClose(backend);
    }

    static Optional<Flow> of(Channel ch) {
        return Optional.ofNullable(ch.attr(KEY).get());
    }

    /** Resets both sides with a TCP RST, as NLB does on an idle timeout or a rejected endpoint. */
    @Override
    public void reset() {
        if (frontend.eventLoop().inEventLoop()) {
            rst(frontend);
            rst(backend);
        } else {
            frontend.eventLoop().execute(this::reset);
        }
    }

    static void rst(Channel ch) {
        if (ch != null && ch.isOpen()) {
            try {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                // The socket may be closing already; a plain close is then the best there is.
            }
            ch.close();
        }
    }

    /**
     * Closes a channel once what was written to it is flushed. With nothing left to send (all written, or
     * its output shut already) it closes at once: an empty write to mark the end would, on io_uring, go to
     * the kernel as a write of its own and fail with EPIPE, an exception and its stack trace, on a socket
     * whose output is shut.
     */
    static void flushAndClose(Channel ch) {
        if (ch == null) {
            return;
        }
        if (ch.isActive() && !(ch instanceof DuplexChannel d && d.isOutputShutdown())) {
            ch.flush();
            ChannelOutboundBuffer pending = ch.unsafe().outboundBuffer();
            if (pending != null && !pending.isEmpty()) {
                ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ch.close();
    }

    /** Passes a half-close on: the other side's output is shut once what was written to it is flushed. */
    static void shutdownOutputAfterFlush(Channel ch) {
        if (ch instanceof SocketChannel s && s.isActive()) {
            s.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(SHUTDOWN_OUTPUT);
        }
    }

    private static final ChannelFutureListener SHUTDOWN_OUTPUT = f -> {
        if (f.channel().isActive()) {
            SocketChannel s = (SocketChannel) f.channel();
            shutdownOutput(s);
            // Everything written is sent and so is the FIN: its input's end is now the flow's end,
            // closed at once, rather than a shutdown of its input first, which fails (ENOTCONN, with
            // an exception) on a socket that has sent and received its FIN, and then a close anyway.
            // Not before the flush: a close then would drop what is still queued.
            s.config().setAllowHalfClosure(false);
        }
    };

    /**
     * Sends a FIN, straight on the socket (epoll and io_uring): Netty's {@code shutdownOutput} makes an
     * exception, stack trace and all, to fail writes that might still be queued, on every call, and that
     * was a few per cent of the CPU of a new connection; here nothing is queued (this runs once what was
     * written is flushed) and nothing is written after. Netty's own shutdown on both transports is this
     * same system call.
     */
    private static void shutdownOutput(SocketChannel ch) {
        if (ch instanceof UnixChannel u && u.fd() instanceof Socket socket) {
            try {
                socket.shutdown(false, true);
            } catch (IOException ex) {
                ch.pipeline().fireExceptionCaught(ex);
            }
        } else {
            ch.shutdownOutput();
        }
    }

    /** Both directions have ended: close both sides. */
    void closeIfBothShut() {
        if (frontendInputShut && backendInputShut) {
            close();
        }
    }
}
