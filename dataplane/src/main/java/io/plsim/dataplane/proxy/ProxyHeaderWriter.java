package io.plsim.dataplane.proxy;

import static io.plsim.dataplane.proxy.ProxyV2Format.CRC_TLV_LENGTH;
import static io.plsim.dataplane.proxy.ProxyV2Format.FAMILY_TCP4;
import static io.plsim.dataplane.proxy.ProxyV2Format.FAMILY_UNSPEC;
import static io.plsim.dataplane.proxy.ProxyV2Format.FIXED_LENGTH;
import static io.plsim.dataplane.proxy.ProxyV2Format.IPV4_BLOCK_LENGTH;
import static io.plsim.dataplane.proxy.ProxyV2Format.MAX_U16;
import static io.plsim.dataplane.proxy.ProxyV2Format.SIGNATURE;
import static io.plsim.dataplane.proxy.ProxyV2Format.SUBTYPE_AWS_VPCE_ID;
import static io.plsim.dataplane.proxy.ProxyV2Format.TLV_HEADER_LENGTH;
import static io.plsim.dataplane.proxy.ProxyV2Format.TYPE_AWS;
import static io.plsim.dataplane.proxy.ProxyV2Format.TYPE_CRC32C;
import static io.plsim.dataplane.proxy.ProxyV2Format.TYPE_NOOP;
import static io.plsim.dataplane.proxy.ProxyV2Format.VERSION_COMMAND_LOCAL;
import static io.plsim.dataplane.proxy.ProxyV2Format.VERSION_COMMAND_PROXY;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Encodes the Proxy Protocol v2 headers an NLB node puts in front of every connection it forwards for a
 * PrivateLink endpoint service, and the {@code LOCAL} header its health checks carry, in one of two layouts:
 * <ul>
 *   <li>{@link #aws} is what NLB sends, byte for byte (FACTS.md has the captures): {@code PROXY} over TCP/IPv4,
 *       then the CRC32C TLV, then the AWS TLV (type 0xEA, subtype 0x01, the {@code vpce-} endpoint ID), then a
 *       NOOP TLV that pads the header to {@value #AWS_HEADER_LENGTH} bytes; {@link #awsLocalBytes} is NLB's
 *       100-byte health-check header, {@code LOCAL} with family TCP over IPv4 and the CRC32C and NOOP TLVs
 *       right after the length, with no address block.</li>
 *   <li>{@link #minimal} is the smallest header that carries the same facts: the AWS TLV and, when asked, a
 *       CRC32C TLV after it; {@link #minimalLocalBytes} is an empty {@code LOCAL} of family UNSPEC.</li>
 * </ul>
 *
 * <p>This runs once per accepted connection, so an instance is a template for one endpoint: the factories
 * validate the ID once and pre-render every byte that does not depend on the connection (signature,
 * version, family, length, TLVs). {@link #writeTo} then only copies the template around the 12-byte address
 * block and, when the layout has one, checksums the result; there is no String, regex or per-call validation
 * beyond two port range checks, and {@link #write} allocates a buffer of exactly {@link #headerLength()}
 * bytes that never grows.
 *
 * <p>Instances are immutable and thread-safe: keep one per endpoint and share it across event loops.
 * Addresses are IPv4 addresses as big-endian ints (see {@link #ipv4(Inet4Address)}).
 */
public final class ProxyHeaderWriter {

    private static final int ADDRESS_OFFSET = FIXED_LENGTH;
    private static final int TLV_OFFSET = FIXED_LENGTH + IPV4_BLOCK_LENGTH;
    /** The 16-bit header length must cover address block (12), AWS TLV header (3) and subtype (1) besides the ID. */
    private static final int MAX_VPCE_ID_BYTES = MAX_U16 - IPV4_BLOCK_LENGTH - TLV_HEADER_LENGTH - 1;
    /** Every header NLB sends, PROXY or LOCAL, is padded with a NOOP TLV to this many bytes. */
    public static final int AWS_HEADER_LENGTH = 100;

    private static final byte[] LOCAL = minimalLocalTemplate(false);
    private static final byte[] LOCAL_WITH_CRC = minimalLocalTemplate(true);
    private static final byte[] AWS_LOCAL = awsLocalTemplate();

    private final String vpceId;
    /** Where the 4-byte CRC32C value sits in the header, or -1 when the layout has none. */
    private final int crcAt;
    /** The whole header with the address block and the checksum value zeroed. */
    private final byte[] template;

    private ProxyHeaderWriter(String vpceId, int crcAt, byte[] template) {
        this.vpceId = vpceId;
        this.crcAt = crcAt;
        this.template = template;
    }

    /**
     * A writer of the header NLB sends for connections to one endpoint: CRC32C TLV, AWS TLV, NOOP padding.
     * With a {@code vpce-} ID of the usual 22 characters the header is {@value #AWS_HEADER_LENGTH} bytes, as
     * NLB's; a longer ID shortens the padding, and one too long for 100 bytes leaves a zero-length NOOP TLV.
     *
     * @param vpceId the endpoint ID written into the AWS TLV, or {@code null} for a header without it; must be
     *     non-empty printable ASCII without spaces (0x21-0x7E), short enough for the 16-bit length fields
     * @throws IllegalArgumentException naming the problem with {@code vpceId}
     */
    public static ProxyHeaderWriter aws(String vpceId) {
        byte[] id = vpceId == null ? null : asciiId(vpceId, CRC_TLV_LENGTH + TLV_HEADER_LENGTH);
        int unpadded = TLV_OFFSET + CRC_TLV_LENGTH + awsTlvLength(id) + TLV_HEADER_LENGTH;
        byte[] t = new byte[Math.max(AWS_HEADER_LENGTH, unpadded)];
        int at = proxyPrefix(t);
        int crcAt = crcTlv(t, at);
        at = awsTlv(t, crcAt + 4, id);
        noopTlv(t, at);
        return new ProxyHeaderWriter(vpceId, crcAt, t);
    }

    /**
     * A writer of the smallest header for connections to one endpoint: the AWS TLV, then, when asked, the
     * CRC32C TLV.
     *
     * @param vpceId the endpoint ID written into the AWS TLV, or {@code null} for a header without it; must be
     *     non-empty printable ASCII without spaces (0x21-0x7E), short enough for the 16-bit length fields
     *     (at most 65,519 bytes, 65,512 with a CRC32C TLV)
     * @param crc32c whether to append a CRC32C TLV
     * @throws IllegalArgumentException naming the problem with {@code vpceId}
     */
    public static ProxyHeaderWriter minimal(String vpceId, boolean crc32c) {
        byte[] id = vpceId == null ? null : asciiId(vpceId, crc32c ? CRC_TLV_LENGTH : 0);
        byte[] t = new byte[TLV_OFFSET + awsTlvLength(id) + (crc32c ? CRC_TLV_LENGTH : 0)];
        int at = awsTlv(t, proxyPrefix(t), id);
        return new ProxyHeaderWriter(vpceId, crc32c ? crcTlv(t, at) : -1, t);
    }

    /**
     * One-off convenience for {@code minimal(vpceId, crc32c).write(...)}. It validates and renders the
     * template on every call, so per-connection code should hold a {@link #minimal} instance instead.
     */
    public static ByteBuf proxyTcp4(ByteBufAllocator alloc, int srcIpv4, int srcPort, int dstIpv4, int dstPort,
            String vpceId, boolean crc32c) {
        return minimal(vpceId, crc32c).write(alloc, srcIpv4, srcPort, dstIpv4, dstPort);
    }

    /**
     * NLB's health-check header as a fresh array: {@code LOCAL}, family TCP over IPv4, length 84, then the
     * CRC32C TLV and a NOOP TLV of 74 zero bytes where an address block would be; 100 bytes, constant.
     */
    public static byte[] awsLocalBytes() {
        return AWS_LOCAL.clone();
    }

    /** The minimal {@code LOCAL} header (family UNSPEC) as a fresh array: 16 bytes, or 23 with the CRC32C TLV. */
    public static byte[] minimalLocalBytes(boolean crc32c) {
        return (crc32c ? LOCAL_WITH_CRC : LOCAL).clone();
    }

    /**
     * A new buffer from {@code alloc} holding the header for one connection, sized exactly (capacity and
     * maximum capacity equal {@link #headerLength()}). The caller owns the buffer.
     *
     * @throws IllegalArgumentException if a port is outside 0..65535 (nothing is allocated then)
     */
    public ByteBuf write(ByteBufAllocator alloc, int srcIpv4, int srcPort, int dstIpv4, int dstPort) {
        checkPorts(srcPort, dstPort);
        ByteBuf out = alloc.buffer(template.length, template.length);
        writeUnchecked(out, srcIpv4, srcPort, dstIpv4, dstPort);
        return out;
    }

    /**
     * Appends the header at {@code out}'s writer index, growing {@code out} at most once, up front.
     *
     * @throws IllegalArgumentException if a port is outside 0..65535 (nothing is written then)
     */
    public void writeTo(ByteBuf out, int srcIpv4, int srcPort, int dstIpv4, int dstPort) {
        checkPorts(srcPort, dstPort);
        out.ensureWritable(template.length);
        writeUnchecked(out, srcIpv4, srcPort, dstIpv4, dstPort);
    }

    /** The header as a fresh array, byte-for-byte what {@link #write} produces; for tests and benchmarks. */
    public byte[] toBytes(int srcIpv4, int srcPort, int dstIpv4, int dstPort) {
        checkPorts(srcPort, dstPort);
        byte[] out = template.clone();
        ProxyV2Format.putInt(out, ADDRESS_OFFSET, srcIpv4);
        ProxyV2Format.putInt(out, ADDRESS_OFFSET + 4, dstIpv4);
        ProxyV2Format.putShort(out, ADDRESS_OFFSET + 8, srcPort);
        ProxyV2Format.putShort(out, ADDRESS_OFFSET + 10, dstPort);
        if (crcAt >= 0) {
            ProxyV2Format.putInt(out, crcAt, ProxyV2Format.crc32c(out));
        }
        return out;
    }

    /** Total bytes of every header this writer produces: 16 + the value of its length field. */
    public int headerLength() {
        return template.length;
    }

    /** The endpoint ID written into the AWS TLV, or {@code null} if there is none. */
    public String vpceId() {
        return vpceId;
    }

    /** Whether headers carry a CRC32C TLV. */
    public boolean crc32c() {
        return crcAt >= 0;
    }

    /** The big-endian int form of an IPv4 address, as {@link #write} takes it. */
    public static int ipv4(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    /**
     * The big-endian int form of a socket address's IPv4 address.
     *
     * @throws IllegalArgumentException if it is unresolved or not IPv4 (this writer only emits TCP4 headers)
     */
    public static int ipv4(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("address " + address + " is unresolved");
        }
        if (!(ip instanceof Inet4Address)) {
            throw new IllegalArgumentException("address " + address + " is not IPv4");
        }
        return ipv4((Inet4Address) ip);
    }

    private void writeUnchecked(ByteBuf out, int srcIpv4, int srcPort, int dstIpv4, int dstPort) {
        int start = out.writerIndex();
        out.writeBytes(template, 0, ADDRESS_OFFSET)
                .writeInt(srcIpv4)
                .writeInt(dstIpv4)
                .writeShort(srcPort)
                .writeShort(dstPort)
                .writeBytes(template, TLV_OFFSET, template.length - TLV_OFFSET);
        if (crcAt >= 0) {
            out.setInt(start + crcAt, crc(srcIpv4, srcPort, dstIpv4, dstPort));
        }
    }

    /**
     * The CRC32C of the header, from the template and the address block, without reading the
     * buffer back: reading a pooled buffer through a fresh NIO view would allocate on every
     * connection.
     */
    private int crc(int srcIpv4, int srcPort, int dstIpv4, int dstPort) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(template, 0, ADDRESS_OFFSET);
        updateInt(crc, srcIpv4);
        updateInt(crc, dstIpv4);
        crc.update(srcPort >>> 8);
        crc.update(srcPort);
        crc.update(dstPort >>> 8);
        crc.update(dstPort);
        crc.update(template, TLV_OFFSET, template.length - TLV_OFFSET);
        return (int) crc.getValue();
    }

    private static void updateInt(java.util.zip.CRC32C crc, int v) {
        crc.update(v >>> 24);
        crc.update(v >>> 16);
        crc.update(v >>> 8);
        crc.update(v);
    }

    private static void checkPorts(int srcPort, int dstPort) {
        if ((srcPort & ~MAX_U16) != 0) {
            throw new IllegalArgumentException("srcPort " + srcPort + " is outside 0..65535");
        }
        if ((dstPort & ~MAX_U16) != 0) {
            throw new IllegalArgumentException("dstPort " + dstPort + " is outside 0..65535");
        }
    }

    /** The signature, PROXY, TCP4 and the length field; answers where the TLVs start. */
    private static int proxyPrefix(byte[] t) {
        fixedPart(t, VERSION_COMMAND_PROXY, FAMILY_TCP4);
        return TLV_OFFSET;
    }

    /** The 16 fixed bytes: signature, version and command, family, and the length of the rest of {@code t}. */
    private static void fixedPart(byte[] t, int versionCommand, int family) {
        System.arraycopy(SIGNATURE, 0, t, 0, SIGNATURE.length);
        t[12] = (byte) versionCommand;
        t[13] = (byte) family;
        ProxyV2Format.putShort(t, 14, t.length - FIXED_LENGTH);
    }

    /** A CRC32C TLV with its value zeroed at {@code at}; answers where the value is. */
    private static int crcTlv(byte[] t, int at) {
        t[at] = (byte) TYPE_CRC32C;
        ProxyV2Format.putShort(t, at + 1, 4);
        return at + TLV_HEADER_LENGTH;
    }

    private static int awsTlvLength(byte[] id) {
        return id == null ? 0 : TLV_HEADER_LENGTH + 1 + id.length;
    }

    /** The AWS TLV at {@code at}, or nothing when there is no ID; answers where the next TLV goes. */
    private static int awsTlv(byte[] t, int at, byte[] id) {
        if (id == null) {
            return at;
        }
        t[at] = (byte) TYPE_AWS;
        ProxyV2Format.putShort(t, at + 1, 1 + id.length);
        t[at + 3] = (byte) SUBTYPE_AWS_VPCE_ID;
        System.arraycopy(id, 0, t, at + 4, id.length);
        return at + awsTlvLength(id);
    }

    /** A NOOP TLV of zeros from {@code at} to the end of the header. */
    private static void noopTlv(byte[] t, int at) {
        t[at] = (byte) TYPE_NOOP;
        ProxyV2Format.putShort(t, at + 1, t.length - at - TLV_HEADER_LENGTH);
    }

    /**
     * @param besides bytes of other TLVs that share the 16-bit length with the ID
     */
    private static byte[] asciiId(String vpceId, int besides) {
        int max = MAX_VPCE_ID_BYTES - besides;
        if (vpceId.isEmpty()) {
            throw new IllegalArgumentException("vpceId is empty; pass null for a header without the AWS TLV");
        }
        if (vpceId.length() > max) {
            throw new IllegalArgumentException("vpceId is " + vpceId.length() + " bytes, more than the " + max
                    + " that fit the 16-bit length fields" + (besides > 0 ? " next to the other TLVs" : ""));
        }
        byte[] id = new byte[vpceId.length()];
        for (int i = 0; i < id.length; i++) {
            char c = vpceId.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException(String.format(
                        "vpceId has U+%04X at index %d; only printable ASCII without spaces is allowed", (int) c, i));
            }
            id[i] = (byte) c;
        }
        return id;
    }

    private static byte[] minimalLocalTemplate(boolean crc32c) {
        byte[] t = new byte[FIXED_LENGTH + (crc32c ? CRC_TLV_LENGTH : 0)];
        fixedPart(t, VERSION_COMMAND_LOCAL, FAMILY_UNSPEC);
        if (crc32c) {
            int crcAt = crcTlv(t, FIXED_LENGTH);
            ProxyV2Format.putInt(t, crcAt, ProxyV2Format.crc32c(t));
        }
        return t;
    }

    /**
     * NLB's health-check header. The family says TCP over IPv4 but no address block follows: the TLVs start
     * right after the length, which is why a receiver must skip {@code length} bytes of a LOCAL header
     * whatever its family says.
     */
    private static byte[] awsLocalTemplate() {
        byte[] t = new byte[AWS_HEADER_LENGTH];
        fixedPart(t, VERSION_COMMAND_LOCAL, FAMILY_TCP4);
        int crcAt = crcTlv(t, FIXED_LENGTH);
        noopTlv(t, crcAt + 4);
        ProxyV2Format.putInt(t, crcAt, ProxyV2Format.crc32c(t));
        return t;
    }
}
