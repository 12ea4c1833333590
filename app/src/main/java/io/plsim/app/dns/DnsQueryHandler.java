package io.plsim.app.dns;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Answers decoded queries, on UDP and TCP alike, through a {@link DnsResponder}; releases every
 * message it reads. A datagram that is no DNS query is answered FORMERR when it has a query header
 * to answer to, and dropped otherwise; a TCP stream that carries a malformed message is closed.
 * Nothing is logged: a bad client must not fill the console.
 */
@Sharable
final class DnsQueryHandler extends ChannelInboundHandlerAdapter {

    private final DnsResponder responder;

    DnsQueryHandler(DnsResponder responder) {
        this.responder = responder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof DatagramDnsQuery q) {
                DatagramDnsResponse r = new DatagramDnsResponse(q.recipient(), q.sender(), q.id());
                reply(ctx, q, r, false, q.recipient().getAddress());
            } else if (msg instanceof DnsQuery q) {
                reply(ctx, q, new DefaultDnsResponse(q.id()), true,
                        ((InetSocketAddress) ctx.channel().localAddress()).getAddress());
            } else if (msg instanceof MalformedQuery m) {
                DatagramDnsResponse r = new DatagramDnsResponse(m.recipient(), m.sender(), m.id());
                DnsResponder.formErr(r, m.opCode(), m.recursionDesired());
                ctx.writeAndFlush(r, ctx.voidPromise());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** @param local the address the query came to: a VPC's resolver answers that VPC's private names */
    private void reply(ChannelHandlerContext ctx, DnsQuery q, DnsResponse r, boolean tcp, InetAddress local) {
        try {
            responder.respond(q, r, tcp, ctx.alloc(), local);
        } catch (RuntimeException e) {
            r.release();
            throw e;
        }
        ctx.writeAndFlush(r, ctx.voidPromise());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A TCP stream that is not DNS (the decoder failed), a read timeout, a reset: drop the
        // connection. The UDP channel stays open whatever a datagram carried.
        if (ctx.channel().parent() != null) {
            ctx.close();
        }
    }

    /** The header of a datagram the codec could not decode, enough to answer it FORMERR. */
    record MalformedQuery(int id, int opCode, boolean recursionDesired, InetSocketAddress sender,
                          InetSocketAddress recipient) {
    }

    /**
     * Netty's datagram query decoder, but a datagram it cannot decode becomes a {@link MalformedQuery}
     * (when it has a whole header with the query bit) or nothing, instead of an exception.
     */
    static final class LenientDatagramDnsQueryDecoder extends DatagramDnsQueryDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
            ByteBuf in = packet.content();
            int start = in.readerIndex();
            int length = in.readableBytes();
            try {
                super.decode(ctx, packet, out);
            } catch (Exception e) {
                if (length >= 12 && (in.getUnsignedByte(start + 2) & 0x80) == 0) {
                    int flags = in.getUnsignedShort(start + 2);
                    out.add(new MalformedQuery(in.getUnsignedShort(start), (flags >> 11) & 0xf,
                            (flags & 0x0100) != 0, packet.sender(), packet.recipient()));
                }
            }
        }
    }
}
