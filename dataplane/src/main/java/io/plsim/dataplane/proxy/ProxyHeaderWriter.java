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
import static io.plsim.dataplane.proxy.ProxyV2Format.VERSION_COMMAND_LOCAL;
import static io.plsim.dataplane.proxy.ProxyV2Format.VERSION_COMMAND_PROXY;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Encodes the Proxy Protocol v2 headers an NLB node puts in front of every connection it forwards for a
 * PrivateLink endpoint service: {@code PROXY} over TCP/IPv4 followed by the AWS TLV (type 0xEA, subtype 0x01,
 * the {@code vpce-} endpoint ID) and, optionally, a CRC32C TLV; and the {@code LOCAL} header health checks
 * carry.
 *
 * <p>This runs once per accepted connection, so an instance is a template for one endpoint: {@link #forEndpoint}
 * validates the ID once and pre-renders every byte that does not depend on the connection (signature,
 * version, family, length, TLVs). {@link #writeTo} then only copies the template around the 12-byte address
 * block and, when asked, checksums the result; there is no String, regex or per-call validation beyond two
 * port range checks, and {@link #write} allocates a buffer of exactly {@link #headerLength()} bytes that
 * never grows. TLV order is AWS first, CRC32C last, as the CRC covers everything before it anyway and a
 * reader finds it in a fixed place.
 *
 * <p>Instances are immutable and thread-safe: keep one per endpoint and share it across event loops.
 * Addresses are IPv4 addresses as big-endian ints (see {@link #ipv4(Inet4Address)}).
 */
public final class ProxyHeaderWriter {

    private static final int ADDRESS_OFFSET = FIXED_LENGTH;
    private static final int TLV_OFFSET = FIXED_LENGTH + IPV4_BLOCK_LENGTH;
    /** The 16-bit header length must cover address block (12), AWS TLV header (3) and subtype (1) besides the ID. */
    private static final int MAX_VPCE_ID_BYTES = MAX_U16 - IPV4_BLOCK_LENGTH - TLV_HEADER_LENGTH - 1;

    private static final byte[] LOCAL = localTemplate(false);
    private static final byte[] LOCAL_WITH_CRC = localTemplate(true);

    private final String vpceId;
    private final boolean crc32c;
    /** The whole header with the address block and the checksum value zeroed. */
    private final byte[] template;

    private ProxyHeaderWriter(String vpceId, boolean crc32c, byte[] template) {
        this.vpceId = vpceId;
        this.crc32c = crc32c;
        this.template = template;
    }

    /**
     * A writer for connections to one endpoint.
     *
     * @param vpceId the endpoint ID written into the AWS TLV, or {@code null} for a header without it; must be
     *     non-empty printable ASCII without spaces (0x21-0x7E), short enough for the 16-bit length fields
     *     (at most 65,519 bytes, 65,512 with a CRC32C TLV)
     * @param crc32c whether to append a CRC32C TLV
     * @throws IllegalArgumentException naming the problem with {@code vpceId}
     */
    public static ProxyHeaderWriter forEndpoint(String vpceId, boolean crc32c) {
        byte[] id = vpceId == null ? null : asciiId(vpceId, crc32c);
        int tlvs = (id == null ? 0 : TLV_HEADER_LENGTH + 1 + id.length) + (crc32c ? CRC_TLV_LENGTH : 0);
        byte[] t = new byte[TLV_OFFSET + tlvs];
        System.arraycopy(SIGNATURE, 0, t, 0, SIGNATURE.length);
        t[12] = (byte) VERSION_COMMAND_PROXY;
        t[13] = (byte) FAMILY_TCP4;
        ProxyV2Format.putShort(t, 14, IPV4_BLOCK_LENGTH + tlvs);
        int at = TLV_OFFSET;
        if (id != null) {
            t[at] = (byte) TYPE_AWS;
            ProxyV2Format.putShort(t, at + 1, 1 + id.length);
            t[at + 3] = (byte) SUBTYPE_AWS_VPCE_ID;
            System.arraycopy(id, 0, t, at + 4, id.length);
            at += TLV_HEADER_LENGTH + 1 + id.length;
        }
        if (crc32c) {
            t[at] = (byte) TYPE_CRC32C;
            ProxyV2Format.putShort(t, at + 1, 4);
        }
        return new ProxyHeaderWriter(vpceId, crc32c, t);
    }

    /**
     * One-off convenience for {@code forEndpoint(vpceId, crc32c).write(...)}. It validates and renders the
     * template on every call, so per-connection code should hold a {@link #forEndpoint} instance instead.
     */
    public static ByteBuf proxyTcp4(ByteBufAllocator alloc, int srcIpv4, int srcPort, int dstIpv4, int dstPort,
            String vpceId, boolean crc32c) {
        return forEndpoint(vpceId, crc32c).write(alloc, srcIpv4, srcPort, dstIpv4, dstPort);
    }

    /**
     * A new buffer holding the {@code LOCAL} header (no client information, family UNSPEC): 16 bytes, or 23 with
     * the CRC32C TLV. The bytes are constant, so this is one copy.
     */
    public static ByteBuf local(ByteBufAllocator alloc, boolean crc32c) {
        byte[] header = crc32c ? LOCAL_WITH_CRC : LOCAL;
        return alloc.buffer(header.length, header.length).writeBytes(header);
    }

    /** The {@code LOCAL} header as a fresh array. */
    public static byte[] localBytes(boolean crc32c) {
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
        if (crc32c) {
            ProxyV2Format.putInt(out, out.length - 4, ProxyV2Format.crc32c(out));
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

    /** Whether headers end with a CRC32C TLV. */
    public boolean crc32c() {
        return crc32c;
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
        if (crc32c) {
            out.setInt(start + template.length - 4, crc(srcIpv4, srcPort, dstIpv4, dstPort));
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

    private static byte[] asciiId(String vpceId, boolean crc32c) {
        int max = MAX_VPCE_ID_BYTES - (crc32c ? CRC_TLV_LENGTH : 0);
        if (vpceId.isEmpty()) {
            throw new IllegalArgumentException("vpceId is empty; pass null for a header without the AWS TLV");
        }
        if (vpceId.length() > max) {
            throw new IllegalArgumentException("vpceId is " + vpceId.length() + " bytes, more than the " + max
                    + " that fit the 16-bit length fields" + (crc32c ? " next to a CRC32C TLV" : ""));
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

    private static byte[] localTemplate(boolean crc32c) {
        byte[] t = new byte[FIXED_LENGTH + (crc32c ? CRC_TLV_LENGTH : 0)];
        System.arraycopy(SIGNATURE, 0, t, 0, SIGNATURE.length);
        t[12] = (byte) VERSION_COMMAND_LOCAL;
        t[13] = (byte) FAMILY_UNSPEC;
        ProxyV2Format.putShort(t, 14, t.length - FIXED_LENGTH);
        if (crc32c) {
            t[FIXED_LENGTH] = (byte) TYPE_CRC32C;
            ProxyV2Format.putShort(t, FIXED_LENGTH + 1, 4);
            ProxyV2Format.putInt(t, t.length - 4, ProxyV2Format.crc32c(t));
        }
        return t;
    }
}
