package io.plsim.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;

/**
 * One relayed connection: the consumer's side (frontend) and the target's side (backend), both on
 * the frontend's event loop. Knows how to end the pair: gracefully (flush, then close), by
 * half-close, or by reset.
 */
final class Flow {

    private static final AttributeKey<Flow> KEY = AttributeKey.valueOf(Flow.class, "flow");

    final Channel frontend;
    volatile Channel backend;
    /** The target the node picked, once it did. */
    volatile TargetRuntime target;
    /**
     * Bytes were read and dropped while a fault stalled this flow. TCP would have retransmitted
     * them, never skipped them, so the flow cannot carry on once the stall ends: it is reset.
     */
    boolean lostBytes;
    boolean frontendInputShut;
    boolean backendInputShut;

    Flow(Channel frontend) {
        this.frontend = frontend;
        frontend.attr(KEY).set(this);
    }

    /**
     * Drops {@code msg} when a fault stalls this flow (its bytes go nowhere), and resets the flow
     * when it carries data again after having lost some. Answers whether {@code msg} was consumed.
     */
    boolean swallowIfStalled(EndpointInterfaceRuntime iface, Object msg) {
        if (!iface.faults().isEmpty() && iface.faults().stalled(iface, target)) {
            if (msg instanceof ByteBuf dropped) {
                iface.stats().bytesDropped.add(dropped.readableBytes());
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

    static Optional<Flow> of(Channel ch) {
        return Optional.ofNullable(ch.attr(KEY).get());
    }

    /** Resets both sides with a TCP RST, as NLB does on an idle timeout or a rejected endpoint. */
    void reset() {
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

    /** Closes a channel once what was written to it is flushed. */
    static void flushAndClose(Channel ch) {
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (ch != null) {
            ch.close();
        }
    }

    /** Passes a half-close on: the other side's output is shut once what was written to it is flushed. */
    static void shutdownOutputAfterFlush(Channel ch) {
        if (ch instanceof SocketChannel s && s.isActive()) {
            s.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
                if (s.isActive()) {
                    s.shutdownOutput();
                }
            });
        }
    }

    /** Both directions have ended: close both sides. */
    void closeIfBothShut() {
        if (frontendInputShut && backendInputShut) {
            flushAndClose(frontend);
            flushAndClose(backend);
        }
    }
}
