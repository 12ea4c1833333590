package io.plsim.dataplane;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The client side of one TCP health check: once connected, it sends the Proxy Protocol LOCAL
 * header when the target group has Proxy Protocol on (as NLB's health checks do), then closes.
 * The connect itself is the check.
 */
@ChannelHandler.Sharable
final class HealthProbe extends ChannelInboundHandlerAdapter {

    static final HealthProbe PLAIN = new HealthProbe(null);

    private final byte[] header;

    HealthProbe(byte[] header) {
        this.header = header;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (header == null) {
            ctx.close();
        } else {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(header)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        io.netty.util.ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
