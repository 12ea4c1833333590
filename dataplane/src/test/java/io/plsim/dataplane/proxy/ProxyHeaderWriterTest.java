package io.plsim.dataplane.proxy;

import static io.plsim.dataplane.proxy.ProxyHeaderTestBytes.SIGNATURE;
import static io.plsim.dataplane.proxy.ProxyHeaderTestBytes.crc32cBitwise;
import static io.plsim.dataplane.proxy.ProxyHeaderTestBytes.hex;
import static io.plsim.dataplane.proxy.ProxyHeaderTestBytes.unhex;
import static io.plsim.dataplane.proxy.ProxyHeaderTestBytes.withCrcTlv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyHeaderWriterTest {

    static final String VPCE = "vpce-0123456789abcdef0";
    static final int SRC = 0x7F000001; // 127.0.0.1
    static final int DST = 0x7F010104; // 127.1.1.4
    static final int SRC_PORT = 40000;
    static final int DST_PORT = 443;

    /** Written out field by field from the spec, not produced by the code. */
    static final String ADDRESSES = "7f000001 7f010104 9c40 01bb";
    static final String AWS_TLV = "ea 0017 01 767063652d30313233343536373839616263646566 30";
    static final String GOLDEN_NO_CRC = SIGNATURE + " 21 11 0026 " + ADDRESSES + " " + AWS_TLV;
    static final String GOLDEN_CRC = withCrcTlv(SIGNATURE + " 21 11 002d " + ADDRESSES + " " + AWS_TLV);
    static final String GOLDEN_LOCAL = SIGNATURE + " 20 00 0000";
    static final String GOLDEN_LOCAL_CRC = withCrcTlv(SIGNATURE + " 20 00 0007");

    static final List<ByteBufAllocator> ALLOCATORS = List.of(
            UnpooledByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT,
            new PooledByteBufAllocator(true), new UnpooledByteBufAllocator(true));

    @Test
    void bitwiseCrcMatchesTheStandardCheckValue() {
        assertEquals(0xE3069283, crc32cBitwise("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void goldenProxyHeaderWithoutCrc() {
        assertGolden(GOLDEN_NO_CRC, ProxyHeaderWriter.minimal(VPCE, false));
    }

    @Test
    void goldenProxyHeaderWithCrc() {
        assertTrue(GOLDEN_CRC.startsWith(SIGNATURE + "2111002d"));
        assertGolden(GOLDEN_CRC, ProxyHeaderWriter.minimal(VPCE, true));
    }

    @Test
    void goldenProxyHeaderWithoutAwsTlv() {
        assertGolden(SIGNATURE + "2111000c" + ADDRESSES.replace(" ", ""), ProxyHeaderWriter.minimal(null, false));
        assertGolden(withCrcTlv(SIGNATURE + "21110013" + ADDRESSES), ProxyHeaderWriter.minimal(null, true));
    }

    @Test
    void goldenLocalHeaders() {
        assertEquals(GOLDEN_LOCAL.replace(" ", ""), hex(ProxyHeaderWriter.minimalLocalBytes(false)));
        assertEquals(GOLDEN_LOCAL_CRC, hex(ProxyHeaderWriter.minimalLocalBytes(true)));
    }

    /**
     * AWS's own capture of a connection through PrivateLink (FACTS.md; the test
     * {@code Compatibility_AwsNetworkLoadBalancerTest} of AWS's {@code elastic-load-balancing-tools}): 100 bytes,
     * CRC32C first, then the AWS TLV, then NOOP padding. Its CRC is valid, so nothing needs substituting: the
     * writer given the capture's addresses, ports and endpoint ID must give the capture.
     */
    static final String AWS_PRIVATELINK_CAPTURE = SIGNATURE + " 21 11 0054 ac1f0771 ac1f0a1f c8f2 0050"
            + " 030004 e8d6892d"
            + " ea0017 01 7670 6365 2d30 3864 3262 6631 3566 6163 3530 3031 6339"
            + " 040024" + "00".repeat(36);

    /** A user's tcpdump of an NLB health check (kubernetes/kubernetes issue 57250), CRC valid as captured. */
    static final String AWS_HEALTH_CHECK_CAPTURE = SIGNATURE + " 20 11 0054 030004 bce5951f 04004a" + "00".repeat(74);

    @Test
    void awsLayoutIsTheCaptureOfAConnectionThroughPrivateLink() throws Exception {
        ProxyHeaderWriter w = ProxyHeaderWriter.aws("vpce-08d2bf15fac5001c9");
        int src = ProxyHeaderWriter.ipv4((Inet4Address) InetAddress.getByName("172.31.7.113"));
        int dst = ProxyHeaderWriter.ipv4((Inet4Address) InetAddress.getByName("172.31.10.31"));
        assertEquals(100, w.headerLength());
        assertEquals(AWS_PRIVATELINK_CAPTURE.replace(" ", ""), hex(w.toBytes(src, 0xC8F2, dst, 80)));
        for (ByteBufAllocator alloc : ALLOCATORS) {
            assertBuffer(AWS_PRIVATELINK_CAPTURE.replace(" ", ""), w.write(alloc, src, 0xC8F2, dst, 80));
        }
    }

    @Test
    void awsLayoutWithOtherAddressesOnlyMovesTheAddressesAndTheChecksum() {
        String expected = SIGNATURE + "21110054" + ADDRESSES.replace(" ", "") + "030004" + "%s"
                + "ea0017" + "01" + hex(VPCE.getBytes(StandardCharsets.US_ASCII)) + "040024" + "00".repeat(36);
        byte[] zeroed = unhex(expected.formatted("00000000"));
        String golden = expected.formatted(String.format("%08x", crc32cBitwise(zeroed)));
        assertGolden(golden, ProxyHeaderWriter.aws(VPCE));
    }

    @Test
    void awsLayoutWithoutAnEndpointIdPadsTheChecksumTo100Bytes() {
        String expected = SIGNATURE + "21110054" + ADDRESSES.replace(" ", "") + "030004%s" + "04003e" + "00".repeat(62);
        String golden = expected.formatted(String.format("%08x", crc32cBitwise(unhex(expected.formatted("00000000")))));
        assertGolden(golden, ProxyHeaderWriter.aws(null));
    }

    @Test
    void awsLayoutPaddingShrinksForLongerIdsAndNeverGoesNegative() {
        assertEquals(100, ProxyHeaderWriter.aws("vpce-" + "a".repeat(40)).headerLength());
        // 16 + 12 + 7 + 4 + id + 3 = 100 when the id is 58 bytes: a zero-length NOOP TLV
        ProxyHeaderWriter exact = ProxyHeaderWriter.aws("x".repeat(58));
        assertEquals(100, exact.headerLength());
        byte[] h = exact.toBytes(SRC, SRC_PORT, DST, DST_PORT);
        assertEquals("040000", hex(java.util.Arrays.copyOfRange(h, 97, 100)));
        assertEquals(101, ProxyHeaderWriter.aws("x".repeat(59)).headerLength());
    }

    @Test
    void awsLocalIsTheCaptureOfAHealthCheck() {
        assertEquals(AWS_HEALTH_CHECK_CAPTURE.replace(" ", ""), hex(ProxyHeaderWriter.awsLocalBytes()));
        assertTrue(ProxyHeaderWriter.awsLocalBytes() != ProxyHeaderWriter.awsLocalBytes(), "a fresh array each time");
    }

    @Test
    void staticConvenienceMatchesTemplate() {
        assertBuffer(GOLDEN_CRC, ProxyHeaderWriter.proxyTcp4(
                UnpooledByteBufAllocator.DEFAULT, SRC, SRC_PORT, DST, DST_PORT, VPCE, true));
    }

    @Test
    void writeToAppendsAfterExistingBytesInDirectAndHeapBuffers() {
        ProxyHeaderWriter writer = ProxyHeaderWriter.minimal(VPCE, true);
        for (ByteBufAllocator alloc : ALLOCATORS) {
            ByteBuf out = alloc.buffer(8);
            try {
                out.writeBytes(new byte[] {1, 2, 3});
                writer.writeTo(out, SRC, SRC_PORT, DST, DST_PORT);
                assertEquals(3 + writer.headerLength(), out.readableBytes());
                assertEquals("010203" + GOLDEN_CRC, ByteBufUtil.hexDump(out), alloc.toString());
            } finally {
                out.release();
            }
        }
    }

    @Test
    void writeToSpanningCompositeComponentsStillChecksumsCorrectly() {
        CompositeByteBuf out = UnpooledByteBufAllocator.DEFAULT.compositeBuffer();
        try {
            out.addComponent(true, UnpooledByteBufAllocator.DEFAULT.directBuffer(10, 10).writeZero(10));
            ProxyHeaderWriter.minimal(VPCE, true).writeTo(out, SRC, SRC_PORT, DST, DST_PORT);
            assertTrue(out.nioBufferCount() > 1, "test needs a multi-component buffer");
            assertEquals(GOLDEN_CRC, ByteBufUtil.hexDump(out, 10, out.readableBytes() - 10));
        } finally {
            out.release();
        }
    }

    @Test
    void writeSizesExactlySoTheBufferNeverGrows() {
        for (String id : new String[] {null, VPCE, "vpce-" + "f".repeat(300)}) {
            for (boolean crc : new boolean[] {false, true}) {
                ProxyHeaderWriter writer = ProxyHeaderWriter.minimal(id, crc);
                for (ByteBufAllocator alloc : ALLOCATORS) {
                    ByteBuf buf = writer.write(alloc, SRC, SRC_PORT, DST, DST_PORT);
                    try {
                        assertEquals(writer.headerLength(), buf.readableBytes());
                        assertEquals(buf.readableBytes(), buf.capacity());
                        assertEquals(buf.capacity(), buf.maxCapacity());
                        assertArrayEquals(writer.toBytes(SRC, SRC_PORT, DST, DST_PORT), ByteBufUtil.getBytes(buf));
                    } finally {
                        buf.release();
                    }
                }
            }
        }
        assertEquals(23, ProxyHeaderWriter.minimalLocalBytes(true).length);
    }

    @Test
    void headerLengthCoversTheLengthField() {
        assertEquals(16 + 38, ProxyHeaderWriter.minimal(VPCE, false).headerLength());
        assertEquals(16 + 45, ProxyHeaderWriter.minimal(VPCE, true).headerLength());
        assertEquals(16 + 12, ProxyHeaderWriter.minimal(null, false).headerLength());
    }

    @Test
    void longestIdsFillTheLengthFieldExactly() {
        assertEquals(16 + 0xFFFF, ProxyHeaderWriter.minimal("v".repeat(65519), false).headerLength());
        assertEquals(16 + 0xFFFF, ProxyHeaderWriter.minimal("v".repeat(65512), true).headerLength());
        assertMessage("65520 bytes, more than the 65519",
                () -> ProxyHeaderWriter.minimal("v".repeat(65520), false));
        assertMessage("65513 bytes, more than the 65512",
                () -> ProxyHeaderWriter.minimal("v".repeat(65513), true));
    }

    @Test
    void rejectsBadIdsAtConstruction() {
        assertMessage("vpceId is empty", () -> ProxyHeaderWriter.minimal("", false));
        assertMessage("U+00E9 at index 4", () -> ProxyHeaderWriter.minimal("vpce\u00e9", false));
        assertMessage("U+0020 at index 4", () -> ProxyHeaderWriter.minimal("vpce 1", true));
        assertMessage("U+000A at index 0", () -> ProxyHeaderWriter.minimal("\nx", true));
    }

    @Test
    void rejectsPortsOutOfRangeBeforeAllocatingOrWriting() {
        ProxyHeaderWriter writer = ProxyHeaderWriter.minimal(VPCE, false);
        assertMessage("srcPort -1 is outside 0..65535", () -> writer.toBytes(SRC, -1, DST, DST_PORT));
        assertMessage("dstPort 65536 is outside 0..65535", () -> writer.toBytes(SRC, SRC_PORT, DST, 65536));
        assertMessage("srcPort 70000", () -> writer.write(PooledByteBufAllocator.DEFAULT, SRC, 70000, DST, 1));
        ByteBuf out = UnpooledByteBufAllocator.DEFAULT.heapBuffer();
        try {
            assertMessage("dstPort -5", () -> writer.writeTo(out, SRC, 1, DST, -5));
            assertEquals(0, out.writerIndex());
        } finally {
            out.release();
        }
        assertEquals(0xFFFF, ProxyHeaderParser.parse(writer.toBytes(SRC, 0, DST, 65535)).header().destinationPort());
    }

    @Test
    void convertsAddressesToBigEndianInts() throws Exception {
        assertEquals(DST, ProxyHeaderWriter.ipv4((Inet4Address) InetAddress.getByName("127.1.1.4")));
        assertEquals(0xC0A800FF, ProxyHeaderWriter.ipv4(new InetSocketAddress("192.168.0.255", 80)));
        assertEquals(0xFFFFFFFF, ProxyHeaderWriter.ipv4(new InetSocketAddress("255.255.255.255", 80)));
        assertMessage("is unresolved",
                () -> ProxyHeaderWriter.ipv4(InetSocketAddress.createUnresolved("example.com", 80)));
        assertMessage("is not IPv4", () -> ProxyHeaderWriter.ipv4(new InetSocketAddress("::1", 80)));
    }

    @Test
    void exposesItsConfiguration() {
        ProxyHeaderWriter writer = ProxyHeaderWriter.minimal(VPCE, true);
        assertEquals(VPCE, writer.vpceId());
        assertTrue(writer.crc32c());
    }

    private static void assertGolden(String expectedHex, ProxyHeaderWriter writer) {
        String expected = expectedHex.replace(" ", "");
        assertEquals(expected, hex(writer.toBytes(SRC, SRC_PORT, DST, DST_PORT)));
        assertArrayEquals(unhex(expected), writer.toBytes(SRC, SRC_PORT, DST, DST_PORT));
        for (ByteBufAllocator alloc : ALLOCATORS) {
            assertBuffer(expected, writer.write(alloc, SRC, SRC_PORT, DST, DST_PORT));
        }
    }

    /** Asserts the buffer's readable bytes and releases it. */
    private static void assertBuffer(String expectedHex, ByteBuf buf) {
        try {
            assertEquals(expectedHex.replace(" ", ""), ByteBufUtil.hexDump(buf));
        } finally {
            buf.release();
        }
    }

    private static void assertMessage(String expectedPart, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedPart), () -> "message was: " + e.getMessage());
    }
}
