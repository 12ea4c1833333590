package io.plsim.dataplane.fault;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * {@code timeout}: lets no data through in its direction, and closes the connection {@code timeout}
 * milliseconds after it opened (never, when 0).
 */
final class Timeout extends ChannelOutboundHandlerAdapter {

    private final FaultInForce f;

    private Timeout(FaultInForce f) {
        this.f = f;
    }

    static void install(FaultInForce f, Link link) {
        link.add(f.fault().stream(), () -> new Timeout(f));
        if (f.param("timeout") > 0) {
            link.schedule(() -> {
                if (f.active()) {
                    link.close();
                }
            }, f.param("timeout"));
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (f.active() && msg instanceof ByteBuf) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        } else {
            ctx.write(msg, promise);
        }
    }
}
