package io.plsim.dataplane.builtin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.plsim.dataplane.proxy.ProxyHeaderParser;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Reads the Proxy Protocol header at the start of a connection with plsim's own parser, answers
 * with one JSON line describing it, then echoes the rest of the stream. The line starts with the
 * target's own address and the TCP peer it saw (the NLB node, not the consumer), then the header's
 * fields as {@link io.plsim.dataplane.proxy.ProxyHeader#toJson()} gives them.
 *
 * <p>A stream without a header gets {@code {"error":"no proxy protocol header",...}} and is echoed
 * whole; a malformed header gets the parser's reason and the connection is closed, as a receiver
 * must drop it. Once the peer has closed its side the connection is closed too, whether or not a
 * header was decided by then (see {@link #decodeLast}).
 */
final class Pp2InspectHandler extends ByteToMessageDecoder {

    private final boolean report;

    /**
     * @param report false for the {@code echo} target, which only takes a leading header off the
     *               stream so that a client gets back exactly what it sent
     */
    Pp2InspectHandler(boolean report) {
        this.report = report;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ProxyHeaderParser.Result r = ProxyHeaderParser.parse(in);
        switch (r.status()) {
            case NEED_MORE_DATA -> {
                return;
            }
            case PARSED -> {
                if (report) {
                    answer(ctx, r.header().toJson(), false);
                }
            }
            case NOT_PROXY -> {
                if (report) {
                    answer(ctx, "{\"error\":\"no proxy protocol header\"}", false);
                }
            }
            case MALFORMED -> {
                in.skipBytes(in.readableBytes());
                answer(ctx, "{\"error\":" + quote("malformed proxy protocol header: " + r.error()) + "}", true);
                return;
            }
        }
        ctx.pipeline().replace(this, "echo", new EchoHandler());
    }

    /**
     * The peer has closed its side (a FIN; the channel allows half-closure) while this handler still
     * waits to know whether a header leads the stream: nothing came (a bare connect-and-close, or an
     * NLB node's health check with Proxy Protocol off), or only the beginning of a header. Left
     * waiting, the connection would stay in CLOSE_WAIT, with its descriptor, for as long as plsim
     * runs, since no more bytes can come. A header that can no longer complete is none: what came is
     * the stream, so {@code pp2-inspect} says that it ended inside a header, and both targets hand it
     * to the echo, which writes it back and closes once that is written, on the input-shutdown event
     * that brought us here and that goes on to it.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!ctx.channel().isActive()) {
            // Closed already (a reset, a close from this side): nothing can be written back.
            return;
        }
        if (report && in.isReadable()) {
            answer(ctx, "{\"error\":\"stream ended before the proxy protocol header was complete\"}", false);
        }
        ctx.pipeline().replace(this, "echo", new EchoHandler());
    }

    private static void answer(ChannelHandlerContext ctx, String json, boolean close) {
        String prefix = "{\"target\":" + quote(address(ctx.channel().localAddress())) + ",\"peer\":"
                + quote(address(ctx.channel().remoteAddress())) + ",";
        String line = prefix + json.substring(1) + "\n";
        var f = ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), line));
        if (close) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String address(Object a) {
        return a instanceof InetSocketAddress s ? s.getAddress().getHostAddress() + ":" + s.getPort() : String.valueOf(a);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
