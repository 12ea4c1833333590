package io.plsim.dataplane.proxy;

import static io.plsim.dataplane.proxy.ProxyHeaderWriterTest.DST;
import static io.plsim.dataplane.proxy.ProxyHeaderWriterTest.DST_PORT;
import static io.plsim.dataplane.proxy.ProxyHeaderWriterTest.SRC;
import static io.plsim.dataplane.proxy.ProxyHeaderWriterTest.SRC_PORT;
import static io.plsim.dataplane.proxy.ProxyHeaderWriterTest.VPCE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.plsim.dataplane.proxy.ProxyHeader.Crc;
import io.plsim.dataplane.proxy.ProxyHeaderParser.Result;
import io.plsim.dataplane.proxy.ProxyHeaderParser.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks against a third-party implementation: our writer's bytes through Netty's
 * {@link HAProxyMessageDecoder}, and Netty's {@link HAProxyMessageEncoder} output through our parser.
 */
class ProxyHeaderNettyInteropTest {

    private static final byte[] PAYLOAD = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void nettyReadsOurProxyHeaderAndAwsTlv() {
        ByteBuf header = ProxyHeaderWriter.minimal(VPCE, false)
                .write(PooledByteBufAllocator.DEFAULT, SRC, SRC_PORT, DST, DST_PORT);
        decodeWithNetty(header, msg -> {
            assertProxyTcp4(msg);
            assertEquals(1, msg.tlvs().size());
            assertAwsTlv(msg.tlvs().get(0));
        });
    }

    @Test
    void nettyReadsOurCrcTlvAfterTheAwsTlv() {
        ProxyHeaderWriter writer = ProxyHeaderWriter.minimal(VPCE, true);
        byte[] bytes = writer.toBytes(SRC, SRC_PORT, DST, DST_PORT);
        ByteBuf header = writer.write(PooledByteBufAllocator.DEFAULT, SRC, SRC_PORT, DST, DST_PORT);
        decodeWithNetty(header, msg -> {
            assertProxyTcp4(msg);
            List<HAProxyTLV> tlvs = msg.tlvs();
            assertEquals(2, tlvs.size());
            assertAwsTlv(tlvs.get(0));
            HAProxyTLV crc = tlvs.get(1);
            // Netty 4.2 has no enum constant for PP2_TYPE_CRC32C: it reports type OTHER with the raw byte 0x03.
            assertEquals(HAProxyTLV.Type.OTHER, crc.type());
            assertEquals(0x03, crc.typeByteValue());
            byte[] stated = java.util.Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length);
            assertArrayEquals(stated, ByteBufUtil.getBytes(crc.content()));
        });
    }

    @Test
    void nettyReadsOurHeaderWithoutTlvs() {
        ByteBuf header = ProxyHeaderWriter.minimal(null, false)
                .write(PooledByteBufAllocator.DEFAULT, SRC, SRC_PORT, DST, DST_PORT);
        decodeWithNetty(header, msg -> {
            assertProxyTcp4(msg);
            assertTrue(msg.tlvs().isEmpty());
        });
    }

    @Test
    void nettyReadsOurLocalHeaders() {
        for (boolean crc : new boolean[] {false, true}) {
            decodeWithNetty(Unpooled.wrappedBuffer(ProxyHeaderWriter.minimalLocalBytes(crc)), msg -> {
                assertEquals(HAProxyProtocolVersion.V2, msg.protocolVersion());
                assertEquals(HAProxyCommand.LOCAL, msg.command());
                assertEquals(HAProxyProxiedProtocol.UNKNOWN, msg.proxiedProtocol());
                assertNull(msg.sourceAddress());
            });
        }
    }

    @Test
    void ourParserReadsNettysTcp6HeaderWithTlvs() {
        HAProxyMessage msg = new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP6, "2001:db8::1", "2001:db8::2:3", 40000, 443,
                List.of(new HAProxyTLV((byte) 0xEA, Unpooled.wrappedBuffer(new byte[] {1, 'v', 'p', 'c', 'e'})),
                        new HAProxyTLV(HAProxyTLV.Type.PP2_TYPE_ALPN, Unpooled.wrappedBuffer(new byte[] {'h', '2'}))));
        ProxyHeader h = parseNettyEncoded(msg);
        assertEquals("TCP6", h.family());
        assertEquals("2001:db8::1", h.sourceAddress());
        assertEquals(40000, h.sourcePort());
        assertEquals("2001:db8::2:3", h.destinationAddress());
        assertEquals(443, h.destinationPort());
        assertEquals("vpce", h.vpceId());
        assertEquals(List.of(new ProxyHeader.Tlv(0xEA, new byte[] {1, 'v', 'p', 'c', 'e'}),
                new ProxyHeader.Tlv(0x01, new byte[] {'h', '2'})), h.tlvs());
        assertEquals(Crc.ABSENT, h.crc());
        assertEquals(16 + 36 + 8 + 5, h.headerLength());
    }

    @Test
    void ourParserReadsNettysUdp4AndUnixAndV1Headers() {
        ProxyHeader udp = parseNettyEncoded(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.UDP4, "10.0.0.1", "10.0.0.2", 53, 5353));
        assertEquals("UDP4", udp.family());
        assertEquals("10.0.0.1", udp.sourceAddress());
        assertEquals(5353, udp.destinationPort());

        ProxyHeader unix = parseNettyEncoded(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.UNIX_STREAM, "/run/client.sock", "/run/server.sock", 0, 0));
        assertEquals("UNIX_STREAM", unix.family());
        assertEquals("/run/client.sock", unix.sourceAddress());
        assertEquals("/run/server.sock", unix.destinationAddress());
        assertEquals(16 + 216, unix.headerLength());

        ProxyHeader v1 = parseNettyEncoded(new HAProxyMessage(HAProxyProtocolVersion.V1, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP4, "192.168.0.1", "192.168.0.11", 56324, 443));
        assertEquals(1, v1.version());
        assertEquals("192.168.0.1", v1.sourceAddress());
        assertEquals(56324, v1.sourcePort());
        assertEquals("192.168.0.11", v1.destinationAddress());
        assertEquals(443, v1.destinationPort());
    }

    /**
     * Writes {@code header} followed by a payload into a channel running Netty's decoder, hands the decoded
     * message to {@code check}, asserts the payload comes out intact behind it, and releases everything.
     */
    private static void decodeWithNetty(ByteBuf header, Consumer<HAProxyMessage> check) {
        EmbeddedChannel channel = new EmbeddedChannel(new HAProxyMessageDecoder());
        try {
            assertTrue(channel.writeInbound(Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(PAYLOAD))));
            Object first = channel.readInbound();
            assertTrue(first instanceof HAProxyMessage, () -> "decoded " + first);
            HAProxyMessage msg = (HAProxyMessage) first;
            try {
                check.accept(msg);
            } finally {
                msg.release();
            }
            ByteBuf rest = channel.readInbound();
            assertNotNull(rest, "payload after the header");
            try {
                assertArrayEquals(PAYLOAD, ByteBufUtil.getBytes(rest));
            } finally {
                rest.release();
            }
        } finally {
            assertFalse(channel.finishAndReleaseAll(), "nothing else left in the channel");
        }
    }

    private static ProxyHeader parseNettyEncoded(HAProxyMessage msg) {
        EmbeddedChannel channel = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        try {
            assertTrue(channel.writeOutbound(msg)); // the encoder releases msg
            ByteBuf encoded = channel.readOutbound();
            try {
                int length = encoded.readableBytes();
                Result result = ProxyHeaderParser.parse(encoded);
                assertEquals(Status.PARSED, result.status(), result::error);
                assertEquals(length, result.consumed());
                assertEquals(0, encoded.readableBytes());
                return result.header();
            } finally {
                encoded.release();
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static void assertProxyTcp4(HAProxyMessage msg) {
        assertEquals(HAProxyProtocolVersion.V2, msg.protocolVersion());
        assertEquals(HAProxyCommand.PROXY, msg.command());
        assertEquals(HAProxyProxiedProtocol.TCP4, msg.proxiedProtocol());
        assertEquals("127.0.0.1", msg.sourceAddress());
        assertEquals(SRC_PORT, msg.sourcePort());
        assertEquals("127.1.1.4", msg.destinationAddress());
        assertEquals(DST_PORT, msg.destinationPort());
    }

    private static void assertAwsTlv(HAProxyTLV tlv) {
        assertEquals(HAProxyTLV.Type.OTHER, tlv.type());
        assertEquals((byte) 0xEA, tlv.typeByteValue());
        ByteBuf content = tlv.content();
        assertEquals(1 + VPCE.length(), content.readableBytes());
        assertEquals(0x01, content.getByte(content.readerIndex()));
        assertEquals(VPCE, content.toString(content.readerIndex() + 1, VPCE.length(), StandardCharsets.US_ASCII));
    }
}
