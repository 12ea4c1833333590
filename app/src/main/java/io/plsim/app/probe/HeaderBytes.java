package io.plsim.app.probe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Builds Proxy Protocol v2 headers field by field, right or deliberately wrong, for the probe's cases.
 * The data plane's writer only makes the two headers NLB sends; a conformance probe also needs headers
 * no sender should make (a wrong length, a TLV past the end, a bad checksum), so this builder lets every
 * field be set on its own and checks nothing.
 *
 * <p>{@link #crc32c()} adds a CRC32C TLV whose value {@link #build()} fills in over the finished header,
 * so whatever else is wrong with it, the checksum is right unless {@link #breakCrc()} says otherwise: a case
 * then fails a parser only for the defect it is about.
 */
final class HeaderBytes {

    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    static final int LOCAL = 0x20;
    static final int PROXY = 0x21;
    static final int UNSPEC = 0x00;
    static final int TCP4 = 0x11;
    static final int TCP6 = 0x21;
    static final int TYPE_CRC32C = 0x03;
    static final int TYPE_NOOP = 0x04;
    static final int TYPE_AWS = 0xEA;

    private byte[] signature = SIGNATURE;
    private int versionCommand = PROXY;
    private int family = TCP4;
    private byte[] block = new byte[0];
    private final ByteArrayOutputStream tlvs = new ByteArrayOutputStream();
    private int crcAt = -1;
    private int lengthDelta;
    private byte[] trailing = new byte[0];
    private boolean breakCrc;
    private int padTo;

    static HeaderBytes proxy() {
        return new HeaderBytes();
    }

    static HeaderBytes local() {
        return new HeaderBytes().command(LOCAL);
    }

    HeaderBytes command(int versionCommand) {
        this.versionCommand = versionCommand;
        return this;
    }

    HeaderBytes family(int family) {
        this.family = family;
        return this;
    }

    HeaderBytes signature(byte[] signature) {
        this.signature = signature.clone();
        return this;
    }

    /** A TCP/IPv4 address block: source, destination, source port, destination port. */
    HeaderBytes ipv4(int[] src, int[] dst, int srcPort, int dstPort) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int v : src) {
            b.write(v);
        }
        for (int v : dst) {
            b.write(v);
        }
        short16(b, srcPort);
        short16(b, dstPort);
        block = b.toByteArray();
        return this;
    }

    /** A TCP/IPv6 address block of 16-byte addresses. */
    HeaderBytes ipv6(byte[] src, byte[] dst, int srcPort, int dstPort) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(src);
        b.writeBytes(dst);
        short16(b, srcPort);
        short16(b, dstPort);
        block = b.toByteArray();
        return this;
    }

    HeaderBytes tlv(int type, byte[] value) {
        return tlv(type, value.length, value);
    }

    /** A TLV whose length field says {@code length}, whatever the value's size. */
    HeaderBytes tlv(int type, int length, byte[] value) {
        tlvs.write(type);
        short16(tlvs, length);
        tlvs.writeBytes(value);
        return this;
    }

    HeaderBytes crc32c() {
        tlvs.write(TYPE_CRC32C);
        short16(tlvs, 4);
        crcAt = tlvs.size();
        tlvs.writeBytes(new byte[4]);
        return this;
    }

    HeaderBytes aws(String vpceId) {
        byte[] id = vpceId.getBytes(StandardCharsets.US_ASCII);
        byte[] value = new byte[1 + id.length];
        value[0] = 0x01;
        System.arraycopy(id, 0, value, 1, id.length);
        return tlv(TYPE_AWS, value);
    }

    HeaderBytes noop(int length) {
        return tlv(TYPE_NOOP, new byte[length]);
    }

    /** A NOOP TLV that makes the whole header {@code total} bytes, as NLB pads to 100. */
    HeaderBytes padTo(int total) {
        this.padTo = total;
        return this;
    }

    /** The length field says {@code delta} bytes more (or fewer) than the header holds. */
    HeaderBytes lengthDelta(int delta) {
        this.lengthDelta = delta;
        return this;
    }

    /**
     * Bytes that follow the header on the wire and that the CRC32C covers as if they were part of it: with
     * {@link #lengthDelta} they are what a parser trusting the length field takes into the header.
     */
    HeaderBytes coveredByCrc(byte[] trailing) {
        this.trailing = trailing.clone();
        return this;
    }

    HeaderBytes breakCrc() {
        this.breakCrc = true;
        return this;
    }

    byte[] build() {
        if (padTo > 0) {
            int unpadded = 16 + block.length + tlvs.size() + 3;
            noop(Math.max(0, padTo - unpadded));
        }
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(signature);
        h.write(versionCommand);
        h.write(family);
        short16(h, block.length + tlvs.size() + lengthDelta);
        h.writeBytes(block);
        int tlvStart = h.size();
        h.writeBytes(tlvs.toByteArray());
        byte[] header = h.toByteArray();
        if (crcAt >= 0) {
            CRC32C crc = new CRC32C();
            crc.update(header);
            crc.update(trailing);
            int value = (int) crc.getValue() ^ (breakCrc ? 0x00010000 : 0);
            int at = tlvStart + crcAt;
            header[at] = (byte) (value >>> 24);
            header[at + 1] = (byte) (value >>> 16);
            header[at + 2] = (byte) (value >>> 8);
            header[at + 3] = (byte) value;
        }
        return header;
    }

    private static void short16(ByteArrayOutputStream b, int v) {
        b.write(v >>> 8);
        b.write(v);
    }
}
