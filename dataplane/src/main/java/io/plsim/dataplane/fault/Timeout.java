package io.plsim.dataplane.fault;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * {@code timeout}: lets no data through in its direction while any timeout fault that joined it is
 * in force. The close {@code timeout} milliseconds after the connection opened (never, when 0) is
 * the connection's {@link Deadline}: the shortest timeout in force closes it.
 */
final class Timeout extends ChannelOutboundHandlerAdapter implements FaultStages.Stage {

    private final Members members;

    Timeout(FaultInForce f) {
        this.members = new Members(f);
    }

    @Override
    public void join(FaultInForce f) {
        members.add(f);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf && members.anyInForce()) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        } else {
            ctx.write(msg, promise);
        }
    }
}
