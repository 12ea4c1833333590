package io.plsim.dataplane.fault;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.TimeUnit;

/**
 * {@code slow-close}: delays the end of its side by {@code delay} milliseconds: the close, and the
 * half-close that passes on a peer's FIN. The relay begins both with a write of an empty buffer and
 * acts once it is done, so that write is held until the delay has passed; data is not delayed. The
 * slow-close faults in force that joined it add their delays, as they would one after the other;
 * the sum is taken when the end is first asked for.
 */
final class SlowClose extends ChannelOutboundHandlerAdapter implements FaultStages.Stage {

    private final Members members;
    /** When the end may go out, once one was asked for; 0 before. */
    private long endNanos;

    SlowClose(FaultInForce f) {
        this.members = new Members(f);
    }

    @Override
    public void join(FaultInForce f) {
        members.add(f);
    }

    private long waitNanos() {
        if (endNanos == 0) {
            endNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(members.sumInForce("delay"));
        }
        return endNanos - System.nanoTime();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!members.anyInForce() || !(msg instanceof ByteBuf buf) || buf.isReadable()) {
            ctx.write(msg, promise);
            return;
        }
        long wait = waitNanos();
        if (wait <= 0) {
            ctx.write(msg, promise);
            return;
        }
        ctx.flush();
        ctx.executor().schedule(() -> {
            ctx.writeAndFlush(msg, promise);
        }, wait, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        long wait = members.anyInForce() ? waitNanos() : 0;
        if (wait <= 0) {
            ctx.close(promise);
            return;
        }
        ctx.flush();
        ctx.executor().schedule(() -> {
            ctx.close(promise);
        }, wait, TimeUnit.NANOSECONDS);
    }
}
