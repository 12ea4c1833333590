package io.plsim.dataplane.proxy;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Wire constants of Proxy Protocol v2 (HAProxy {@code doc/proxy-protocol.txt}) shared by the writer and the
 * parser, so both sides agree on one definition of every magic number, and the CRC32C routine both use.
 */
final class ProxyV2Format {

    /** The 12-byte v2 signature; nothing else on the wire starts with it (it contains a NUL and "QUIT"). */
    static final byte[] SIGNATURE = {
        0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
    };
    /** Signature (12), version/command (1), family/transport (1), length (2). */
    static final int FIXED_LENGTH = 16;
    /** Version 2 in the high nibble, LOCAL (0x0) in the low nibble. */
    static final int VERSION_COMMAND_LOCAL = 0x20;
    /** Version 2 in the high nibble, PROXY (0x1) in the low nibble. */
    static final int VERSION_COMMAND_PROXY = 0x21;
    /** AF_UNSPEC, transport UNSPEC: no address block. */
    static final int FAMILY_UNSPEC = 0x00;
    /** AF_INET, STREAM: TCP over IPv4. */
    static final int FAMILY_TCP4 = 0x11;
    /** src addr (4), dst addr (4), src port (2), dst port (2). */
    static final int IPV4_BLOCK_LENGTH = 12;
    /** Type (1) and big-endian length (2) in front of every TLV value. */
    static final int TLV_HEADER_LENGTH = 3;
    /** PP2_TYPE_CRC32C: 4-byte CRC32C of the whole header with this field zeroed. */
    static final int TYPE_CRC32C = 0x03;
    /** Complete CRC32C TLV: header (3) plus the 4-byte checksum. */
    static final int CRC_TLV_LENGTH = TLV_HEADER_LENGTH + 4;
    /** PP2_TYPE_NOOP: ignored by receivers; NLB pads its headers with one. */
    static final int TYPE_NOOP = 0x04;
    /** PP2_TYPE_AWS, the custom type NLB uses for PrivateLink metadata. */
    static final int TYPE_AWS = 0xEA;
    /** PP2_SUBTYPE_AWS_VPCE_ID: the rest of the AWS TLV value is the endpoint ID in ASCII. */
    static final int SUBTYPE_AWS_VPCE_ID = 0x01;
    /** A TLV length field, like the header length field, is an unsigned 16-bit value. */
    static final int MAX_U16 = 0xFFFF;

    private ProxyV2Format() {
    }

    /** CRC32C of a whole array, as a big-endian-ready int. */
    static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** Stores {@code value} big-endian at {@code offset}. */
    static void putInt(byte[] to, int offset, int value) {
        to[offset] = (byte) (value >>> 24);
        to[offset + 1] = (byte) (value >>> 16);
        to[offset + 2] = (byte) (value >>> 8);
        to[offset + 3] = (byte) value;
    }

    /** Stores the low 16 bits of {@code value} big-endian at {@code offset}. */
    static void putShort(byte[] to, int offset, int value) {
        to[offset] = (byte) (value >>> 8);
        to[offset + 1] = (byte) value;
    }

    /** Two upper-case hex digits with a 0x prefix, the form every message and the JSON use for a type byte. */
    static String hexByte(int value) {
        return String.format("0x%02X", value & 0xFF);
    }

    /** ASCII decoding for IDs and v1 lines; bytes above 0x7F become U+FFFD rather than failing. */
    static String ascii(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.US_ASCII);
    }
}
