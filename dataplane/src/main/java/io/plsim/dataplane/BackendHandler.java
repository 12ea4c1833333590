package io.plsim.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The target's side of a relayed connection: what the target sends goes to the consumer, and
 * reading stops while the consumer cannot take more.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private final Flow flow;
    private final InterfaceCounters counters;

    BackendHandler(Flow flow, InterfaceCounters counters) {
        this.flow = flow;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!flow.frontend.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (flow.swallowIfStalled(msg)) {
            return;
        }
        flow.touch();
        if (msg instanceof ByteBuf b) {
            counters.bytesDown.add(b.readableBytes());
            if (flow.crossZone != null) {
                flow.crossZoneDown += b.readableBytes();
            }
        }
        flow.frontend.write(msg, flow.frontend.voidPromise());
        if (!flow.frontend.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Counted before the bytes go: whoever has read them finds them counted.
        if (flow.crossZone != null) {
            flow.settleCrossZone();
        }
        flow.frontend.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !flow.frontendInputShut) {
            // Not when its input is shut: there is nothing more to read, and on epoll asking for
            // EPOLLIN again after the input was shut is a way into the lost registration.
            flow.frontend.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            flow.backendInputShut = true;
            Flow.shutdownOutputAfterFlush(flow.frontend);
            flow.closeIfBothShut();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (flow.crossZone != null) {
            flow.settleCrossZone();
        }
        Flow.flushAndClose(flow.frontend);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The target reset or failed: the consumer sees a reset too, as through NLB.
        flow.reset();
    }
}
