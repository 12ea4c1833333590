package io.plsim.dataplane.proxy;

import static io.plsim.dataplane.proxy.ProxyHeaderTestBytes.SIGNATURE;
import static io.plsim.dataplane.proxy.ProxyHeaderTestBytes.unhex;
import static io.plsim.dataplane.proxy.ProxyHeaderWriterTest.DST;
import static io.plsim.dataplane.proxy.ProxyHeaderWriterTest.DST_PORT;
import static io.plsim.dataplane.proxy.ProxyHeaderWriterTest.GOLDEN_CRC;
import static io.plsim.dataplane.proxy.ProxyHeaderWriterTest.SRC;
import static io.plsim.dataplane.proxy.ProxyHeaderWriterTest.SRC_PORT;
import static io.plsim.dataplane.proxy.ProxyHeaderWriterTest.VPCE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.plsim.dataplane.proxy.ProxyHeader.Crc;
import io.plsim.dataplane.proxy.ProxyHeader.Tlv;
import io.plsim.dataplane.proxy.ProxyHeaderParser.Result;
import io.plsim.dataplane.proxy.ProxyHeaderParser.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyHeaderParserTest {

    private static final ProxyHeaderWriter WITH_CRC = ProxyHeaderWriter.minimal(VPCE, true);
    private static final ProxyHeaderWriter NO_CRC = ProxyHeaderWriter.minimal(VPCE, false);

    @Test
    void roundTripsWriterOutputAndConsumesOnlyTheHeader() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer();
        try {
            buf.writeBytes(new byte[] {9, 9}).skipBytes(2); // a non-zero reader index
            WITH_CRC.writeTo(buf, SRC, SRC_PORT, DST, DST_PORT);
            buf.writeBytes("payload".getBytes(StandardCharsets.US_ASCII));
            Result r = ProxyHeaderParser.parse(buf);
            assertEquals(Status.PARSED, r.status(), r.error());
            assertEquals(WITH_CRC.headerLength(), r.consumed());
            assertEquals(2 + WITH_CRC.headerLength(), buf.readerIndex());
            assertEquals("payload", buf.toString(StandardCharsets.US_ASCII));
            ProxyHeader h = r.header();
            assertEquals(2, h.version());
            assertEquals("PROXY", h.command());
            assertEquals("TCP4", h.family());
            assertEquals("127.0.0.1", h.sourceAddress());
            assertEquals(40000, h.sourcePort());
            assertEquals("127.1.1.4", h.destinationAddress());
            assertEquals(443, h.destinationPort());
            assertEquals(VPCE, h.vpceId());
            assertEquals(Crc.VALID, h.crc());
            assertEquals(61, h.headerLength());
            assertEquals(2, h.tlvs().size());
            assertEquals(new Tlv(0xEA, ("\u0001" + VPCE).getBytes(StandardCharsets.US_ASCII)), h.tlvs().get(0));
            assertEquals(0x03, h.tlvs().get(1).type());
        } finally {
            buf.release();
        }
    }

    @Test
    void roundTripsWithoutCrcAndLocal() {
        ProxyHeader plain = parsed(NO_CRC.toBytes(0x0A000001, 1, 0xC0A80001, 65535));
        assertEquals("10.0.0.1", plain.sourceAddress());
        assertEquals("192.168.0.1", plain.destinationAddress());
        assertEquals(65535, plain.destinationPort());
        assertEquals(Crc.ABSENT, plain.crc());

        for (boolean crc : new boolean[] {false, true}) {
            ProxyHeader local = parsed(ProxyHeaderWriter.minimalLocalBytes(crc));
            assertEquals("LOCAL", local.command());
            assertEquals("UNSPEC", local.family());
            assertNull(local.sourceAddress());
            assertEquals(0, local.sourcePort());
            assertNull(local.destinationAddress());
            assertNull(local.vpceId());
            assertEquals(crc ? Crc.VALID : Crc.ABSENT, local.crc());
            assertEquals(crc ? 23 : 16, local.headerLength());
        }
    }

    @Test
    void needsMoreDataForEveryProperPrefixAndConsumesNothing() {
        for (byte[] header : List.of(WITH_CRC.toBytes(SRC, SRC_PORT, DST, DST_PORT), ProxyHeaderWriter.minimalLocalBytes(false),
                ascii("PROXY TCP4 127.0.0.1 127.1.1.4 40000 443\r\n"))) {
            for (int n = 0; n < header.length; n++) {
                ByteBuf prefix = PooledByteBufAllocator.DEFAULT.heapBuffer(n).writeBytes(header, 0, n);
                try {
                    assertEquals(Status.NEED_MORE_DATA, ProxyHeaderParser.parse(prefix).status(), "prefix " + n);
                    assertEquals(0, prefix.readerIndex());
                } finally {
                    prefix.release();
                }
            }
            assertEquals(Status.PARSED, ProxyHeaderParser.parse(header).status());
        }
    }

    @Test
    void plainTrafficIsNotAProxyHeader() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer().writeBytes(ascii("GET / HTTP/1.1\r\n"));
        try {
            assertEquals(Status.NOT_PROXY, ProxyHeaderParser.parse(buf).status());
            assertEquals(0, buf.readerIndex());
        } finally {
            buf.release();
        }
        assertEquals(Status.NOT_PROXY, ProxyHeaderParser.parse(ascii("PROXZ")).status());
        // A prefix of either signature is not yet a verdict.
        assertEquals(Status.NEED_MORE_DATA, ProxyHeaderParser.parse(ascii("P")).status());
        assertEquals(Status.NEED_MORE_DATA, ProxyHeaderParser.parse(unhex("0d0a0d0a00")).status());
        assertEquals(Status.NOT_PROXY, ProxyHeaderParser.parse(unhex("0d0a0d0a0a")).status());
        assertEquals(Status.NOT_PROXY, ProxyHeaderParser.parse(unhex("16030100")).status()); // a TLS ClientHello
    }

    @Test
    void reportsMalformedV2HeadersPrecisely() {
        assertMalformed("unsupported version 0x3 (expected 0x2)", SIGNATURE + "31 11 000c" + "00".repeat(12));
        assertMalformed("unsupported version 0x1 (expected 0x2)", SIGNATURE + "11 11 000c");
        assertMalformed("unsupported command 0x2 (expected 0x0 LOCAL or 0x1 PROXY)", SIGNATURE + "22 11 000c");
        assertMalformed("unsupported address family and transport 0x13", SIGNATURE + "21 13 000c");
        assertMalformed("length 9 too short for TCP over IPv4 address block (12)", SIGNATURE + "21 11 0009");
        assertMalformed("length 35 too short for TCP over IPv6 address block (36)", SIGNATURE + "21 21 0023");
        assertMalformed("length 4081 exceeds the maximum of 4080 this parser accepts", SIGNATURE + "21 11 0ff1");
        assertMalformed("length 65535 exceeds the maximum of 4080 this parser accepts", SIGNATURE + "21 11 ffff");
        // AWS TLV claims 200 bytes but only 23 follow.
        assertMalformed("TLV 0xEA overruns header: length 200 at offset 28, 23 byte(s) left",
                SIGNATURE + "21 11 0026 7f000001 7f010104 9c40 01bb ea 00c8 01"
                        + "767063652d30313233343536373839616263646566 30");
        assertMalformed("TLV header at offset 28 truncated: 2 byte(s) left",
                SIGNATURE + "21 11 000e 7f000001 7f010104 9c40 01bb ea00");
        assertMalformed("CRC32C TLV 0x03 has length 3, expected 4",
                SIGNATURE + "21 11 0012 7f000001 7f010104 9c40 01bb 030003 000000");
        assertMalformed("more than one CRC32C TLV 0x03",
                SIGNATURE + "21 11 001a 7f000001 7f010104 9c40 01bb 030004 00000000 030004 00000000");
    }

    @Test
    void acceptsTheLargestAllowedHeader() {
        // 12-byte address block, then one NOOP TLV padding the header to exactly 4096 bytes.
        int padding = 4096 - 16 - 12 - 3;
        byte[] h = unhex(SIGNATURE + "21 11 0ff0 7f000001 7f010104 9c40 01bb 04" + String.format("%04x", padding)
                + "00".repeat(padding));
        ProxyHeader header = parsed(h);
        assertEquals(4096, header.headerLength());
        assertEquals(padding, header.tlvs().get(0).length());
    }

    @Test
    void flippingAnyHeaderByteOutsideTheLengthFieldsInvalidatesTheCrc() {
        byte[] good = WITH_CRC.toBytes(SRC, SRC_PORT, DST, DST_PORT);
        // Address block, AWS subtype and ID, and the checksum itself. (Flipping framing bytes makes it malformed.)
        for (int i : new int[] {16, 19, 24, 27, 31, 32, 40, 52, 57, 60}) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            assertEquals(Crc.INVALID, parsed(bad).crc(), "flipped byte " + i);
        }
    }

    @Test
    void parsesV1TextHeaders() {
        ProxyHeader tcp4 = parsed(ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\nGET /"));
        assertEquals(1, tcp4.version());
        assertEquals("PROXY", tcp4.command());
        assertEquals("TCP4", tcp4.family());
        assertEquals("192.168.0.1", tcp4.sourceAddress());
        assertEquals(56324, tcp4.sourcePort());
        assertEquals("192.168.0.11", tcp4.destinationAddress());
        assertEquals(443, tcp4.destinationPort());
        assertEquals(List.of(), tcp4.tlvs());
        assertEquals(Crc.ABSENT, tcp4.crc());
        assertEquals(47, tcp4.headerLength());
        assertEquals(47, ProxyHeaderParser.parse(ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\nGET /"))
                .consumed());

        ProxyHeader tcp6 = parsed(ascii("PROXY TCP6 2001:db8::1 ::1 65535 0\r\n"));
        assertEquals("TCP6", tcp6.family());
        assertEquals("2001:db8::1", tcp6.sourceAddress());
        assertEquals("::1", tcp6.destinationAddress());
        assertEquals(65535, tcp6.sourcePort());

        ProxyHeader unknown = parsed(ascii("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"));
        assertEquals("UNKNOWN", unknown.family());
        assertNull(unknown.sourceAddress());

        // The longest legal v1 header is exactly 107 bytes.
        String longest = "PROXY UNKNOWN " + "f".repeat(39) + " " + "f".repeat(39) + " 65535 65535\r\n";
        assertEquals(107, longest.length());
        assertEquals(107, parsed(ascii(longest)).headerLength());
    }

    @Test
    void reportsMalformedV1HeadersPrecisely() {
        assertMalformed("v1 header: no CRLF within 107 bytes", ascii("PROXY UNKNOWN " + "f".repeat(100)));
        assertMalformed("v1 header: no CRLF within 107 bytes",
                ascii("PROXY UNKNOWN " + "f".repeat(40) + " " + "f".repeat(39) + " 65535 65535\r\n"));
        assertMalformed("v1 header: unsupported protocol \"UDP4\"", ascii("PROXY UDP4 1.2.3.4 1.2.3.5 1 2\r\n"));
        assertMalformed("v1 TCP4 header has 5 fields, expected 6", ascii("PROXY TCP4 1.2.3.4 1.2.3.5 1\r\n"));
        assertMalformed("v1 header: \"1.2.3.256\" is not an IPv4 address",
                ascii("PROXY TCP4 1.2.3.4 1.2.3.256 1 2\r\n"));
        assertMalformed("v1 header: \"::1\" is not an IPv4 address", ascii("PROXY TCP4 ::1 1.2.3.5 1 2\r\n"));
        assertMalformed("v1 header: \"1.2.3.4\" is not an IPv6 address", ascii("PROXY TCP6 1.2.3.4 ::1 1 2\r\n"));
        assertMalformed("v1 header: \"[::1]\" is not an IPv6 address", ascii("PROXY TCP6 [::1] ::1 1 2\r\n"));
        assertMalformed("v1 header: \"65536\" is not a port", ascii("PROXY TCP4 1.2.3.4 1.2.3.5 65536 2\r\n"));
        assertMalformed("v1 header: \"-1\" is not a port", ascii("PROXY TCP4 1.2.3.4 1.2.3.5 1 -1\r\n"));
        assertMalformed("v1 header: CR at offset 13 not followed by LF", ascii("PROXY UNKNOWN\rx"));
        assertMalformed("v1 header: byte 0x0A at offset 13", ascii("PROXY UNKNOWN\n"));
        assertMalformed("v1 header: byte 0x00 at offset 6", ascii("PROXY \0"));
    }

    @Test
    void jsonForAKnownHeaderIsExact() {
        String crc = GOLDEN_CRC.substring(GOLDEN_CRC.length() - 8);
        assertEquals("{\"version\":2,\"command\":\"PROXY\",\"family\":\"TCP4\",\"source\":\"127.0.0.1:40000\","
                + "\"destination\":\"127.1.1.4:443\",\"tlvs\":[{\"type\":\"0xEA\",\"name\":\"AWS\",\"length\":23,"
                + "\"value\":\"01767063652d3031323334353637383961626364656630\"},"
                + "{\"type\":\"0x03\",\"name\":\"CRC32C\",\"length\":4,\"value\":\"" + crc
                + "\"}],\"vpceEndpointId\":\"vpce-0123456789abcdef0\",\"crc32c\":\"valid\",\"headerLength\":61,"
                + "\"shape\":{\"aws\":false,\"kind\":\"other\",\"differences\":[\"header is 61 bytes (NLB pads its"
                + " headers to 100)\",\"TLVs [AWS, CRC32C] (NLB sends [CRC32C, AWS, NOOP])\"]}}",
                parsed(unhex(GOLDEN_CRC)).toJson());
        assertEquals("{\"version\":2,\"command\":\"LOCAL\",\"family\":\"UNSPEC\",\"source\":null,"
                + "\"destination\":null,\"tlvs\":[],\"vpceEndpointId\":null,\"crc32c\":\"absent\",\"headerLength\":16,"
                + "\"shape\":{\"aws\":false,\"kind\":\"other\",\"differences\":[\"family UNSPEC (NLB sends TCP4, even"
                + " in a LOCAL header)\",\"header is 16 bytes (NLB pads its headers to 100)\",\"TLVs [] (NLB sends"
                + " [CRC32C, NOOP])\",\"CRC32C absent (NLB's is always present and valid)\"]}}",
                parsed(ProxyHeaderWriter.minimalLocalBytes(false)).toJson());
        assertEquals("{\"version\":1,\"command\":\"PROXY\",\"family\":\"TCP6\",\"source\":\"[2001:db8::1]:1\","
                + "\"destination\":\"[::1]:2\",\"tlvs\":[],\"vpceEndpointId\":null,\"crc32c\":\"absent\","
                + "\"headerLength\":32,\"shape\":{\"aws\":false,\"kind\":\"other\",\"differences\":[\"version 1"
                + " (NLB sends version 2)\"]}}",
                parsed(ascii("PROXY TCP6 2001:db8::1 ::1 1 2\r\n")).toJson());
    }

    @Test
    void nlbsTwoShapesAreRecognisedAndNamed() {
        ProxyHeader proxy = parsed(ProxyHeaderWriter.aws(VPCE).toBytes(SRC, SRC_PORT, DST, DST_PORT));
        assertEquals(new ProxyHeaderShape("aws-privatelink", List.of()), proxy.shape());
        assertEquals(List.of(0x03, 0xEA, 0x04), proxy.tlvs().stream().map(ProxyHeader.Tlv::type).toList());
        assertEquals(List.of(4, 23, 36), proxy.tlvs().stream().map(ProxyHeader.Tlv::length).toList());
        assertEquals(Crc.VALID, proxy.crc());
        assertEquals(VPCE, proxy.vpceId());

        // The family says TCP4, yet the TLVs start right after the length: read where the CRC checks out.
        ProxyHeader local = parsed(ProxyHeaderWriter.awsLocalBytes());
        assertEquals("LOCAL", local.command());
        assertEquals("TCP4", local.family());
        assertEquals(List.of(0x03, 0x04), local.tlvs().stream().map(ProxyHeader.Tlv::type).toList());
        assertEquals(List.of(4, 74), local.tlvs().stream().map(ProxyHeader.Tlv::length).toList());
        assertEquals(Crc.VALID, local.crc());
        assertEquals(new ProxyHeaderShape("aws-health-check", List.of()), local.shape());
        assertTrue(local.toJson().endsWith(",\"headerLength\":100,\"shape\":{\"aws\":true,\"kind\":\"aws-health-check\","
                + "\"differences\":[]}}"), local.toJson());
    }

    @Test
    void aLocalHeaderShorterThanItsFamilysBlockIsStillALocalHeader() {
        ProxyHeader empty = parsed(unhex(ProxyHeaderTestBytes.SIGNATURE + "20110000"));
        assertEquals("LOCAL", empty.command());
        assertEquals(List.of(), empty.tlvs());
        ProxyHeader crcOnly = parsed(unhex(ProxyHeaderTestBytes.withCrcTlv(ProxyHeaderTestBytes.SIGNATURE + "20110007")));
        assertEquals(Crc.VALID, crcOnly.crc());
        assertEquals(23, crcOnly.headerLength());
        // A PROXY header still needs its block.
        assertMalformed("length 7 too short for TCP over IPv4 address block (12)",
                unhex(ProxyHeaderTestBytes.withCrcTlv(ProxyHeaderTestBytes.SIGNATURE + "21110007")));
    }

    @Test
    void aLocalHeaderWithAnAddressBlockKeepsItsTlvsAfterTheBlock() {
        // LOCAL, TCP4, a real address block, then a CRC32C TLV: the TLVs are after the block.
        String before = ProxyHeaderTestBytes.SIGNATURE + "20110013" + "7f0000017f0101049c4001bb";
        ProxyHeader h = parsed(unhex(ProxyHeaderTestBytes.withCrcTlv(before)));
        assertEquals(Crc.VALID, h.crc());
        assertEquals(List.of(0x03), h.tlvs().stream().map(ProxyHeader.Tlv::type).toList());
        assertEquals(List.of("header is 35 bytes (NLB pads its headers to 100)", "TLVs [CRC32C] (NLB sends [CRC32C, NOOP])",
                "TLVs after an address block (NLB puts them right after the length)"), h.shape().differences());
    }

    @Test
    void jsonEscapesStrings() {
        ProxyHeader h = new ProxyHeader(2, "PROXY", "UNIX_STREAM", "/tmp/a\"b\\c", 0, "/tmp/\n\u0001", 0, List.of(),
                "vpce-\t", Crc.INVALID, 232);
        assertEquals("{\"version\":2,\"command\":\"PROXY\",\"family\":\"UNIX_STREAM\",\"source\":\"/tmp/a\\\"b\\\\c\","
                + "\"destination\":\"/tmp/\\n\\u0001\",\"tlvs\":[],\"vpceEndpointId\":\"vpce-\\t\","
                + "\"crc32c\":\"invalid\",\"headerLength\":232,\"shape\":{\"aws\":false,\"kind\":\"other\","
                + "\"differences\":[\"family UNIX_STREAM (NLB sends TCP4)\",\"header is 232 bytes (NLB pads its headers"
                + " to 100)\",\"TLVs [] (NLB sends [CRC32C, AWS, NOOP])\",\"CRC32C invalid (NLB's is always present and"
                + " valid)\"]}}", h.toJson());
    }

    @Test
    void tlvComparesContentsAndIsImmutable() {
        byte[] value = {1, 2};
        Tlv tlv = new Tlv(0xEA, value);
        value[0] = 9;
        assertEquals(new Tlv(0xEA, new byte[] {1, 2}), tlv);
        assertEquals(new Tlv(0xEA, new byte[] {1, 2}).hashCode(), tlv.hashCode());
        assertNotEquals(new Tlv(0xEB, new byte[] {1, 2}), tlv);
        tlv.value()[0] = 9;
        assertEquals("0102", tlv.valueHex());
        assertEquals("Tlv[type=0xEA, value=0102]", tlv.toString());
    }

    private static ProxyHeader parsed(byte[] bytes) {
        Result r = ProxyHeaderParser.parse(bytes);
        assertEquals(Status.PARSED, r.status(), r::error);
        return r.header();
    }

    private static void assertMalformed(String message, String hex) {
        assertMalformed(message, unhex(hex));
    }

    /** Asserts the message for both the byte[] and the ByteBuf entry point, and that nothing was consumed. */
    private static void assertMalformed(String message, byte[] bytes) {
        byte[] before = bytes.clone();
        Result r = ProxyHeaderParser.parse(bytes);
        assertArrayEquals(before, bytes);
        assertEquals(Status.MALFORMED, r.status(), () -> "expected malformed: " + message + ", got " + r);
        assertEquals(message, r.error());
        assertEquals(0, r.consumed());
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        try {
            assertEquals(message, ProxyHeaderParser.parse(buf).error());
            assertEquals(0, buf.readerIndex());
        } finally {
            buf.release();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
