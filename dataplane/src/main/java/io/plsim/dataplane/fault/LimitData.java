package io.plsim.dataplane.fault;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/** {@code limit-data}: lets exactly {@code bytes} bytes through in its direction, then closes the connection. */
final class LimitData extends ChannelOutboundHandlerAdapter {

    private final FaultInForce f;
    private final Link link;
    private long sent;
    private boolean closing;

    LimitData(FaultInForce f, Link link) {
        this.f = f;
        this.link = link;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!f.active() || !(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        long limit = f.param("bytes");
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
