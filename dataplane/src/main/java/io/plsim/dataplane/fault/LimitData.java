package io.plsim.dataplane.fault;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.Arrays;

/**
 * {@code limit-data}: lets exactly {@code bytes} bytes through in its direction, then closes the
 * connection. Each limit-data fault in force that joined it counts from when it reached the
 * connection, and the first to run out closes it: with all there from the start, the smallest.
 */
final class LimitData extends ChannelOutboundHandlerAdapter implements FaultStages.Stage {

    private static final long NO_LIMIT = Long.MAX_VALUE;
    private final Members members;
    private final Link link;
    /** Per member, the count of {@link #sent} at which it has let its bytes through. */
    private long[] until = new long[1];
    /** The smallest of {@link #until} of the members in force, NO_LIMIT when none is. */
    private long limit;
    private long sent;
    private boolean closing;

    LimitData(FaultInForce f, Link link) {
        this.members = new Members(f);
        this.link = link;
        until[0] = f.param("bytes");
    }

    @Override
    public void join(FaultInForce f) {
        if (members.size() == until.length) {
            until = Arrays.copyOf(until, until.length * 2);
        }
        until[members.size()] = sent + f.param("bytes");
        members.add(f);
    }

    private void compose() {
        limit = NO_LIMIT;
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).active()) {
                limit = Math.min(limit, until[i]);
            }
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (members.changed()) {
            compose();
        }
        if (limit == NO_LIMIT || !(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        long room = limit - sent;
        if (room >= buf.readableBytes()) {
            sent += buf.readableBytes();
            ctx.write(msg, promise);
            if (sent == limit) {
                closeSoon(ctx);
            }
            return;
        }
        if (room > 0) {
            sent = limit;
            ctx.write(buf.retainedSlice(buf.readerIndex(), (int) room), promise);
        } else {
            promise.trySuccess();
        }
        buf.release();
        closeSoon(ctx);
    }

    private void closeSoon(ChannelHandlerContext ctx) {
        if (!closing) {
            closing = true;
            ctx.flush();
            ctx.executor().execute(link::close);
        }
    }
}
