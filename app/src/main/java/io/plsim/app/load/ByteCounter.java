package io.plsim.app.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes a request-answer connection writes and reads, at the head of its pipeline, so what an
 * HTTP codec or a Proxy Protocol header adds is counted as it goes on the wire.
 */
@ChannelHandler.Sharable
final class ByteCounter extends ChannelDuplexHandler {

    private final LongAdder out;
    private final LongAdder in;

    ByteCounter(LongAdder out, LongAdder in) {
        this.out = out;
        this.in = in;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        in.add(size(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        out.add(size(msg));
        ctx.write(msg, promise);
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf b) {
            return b.readableBytes();
        }
        return msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
    }
}
