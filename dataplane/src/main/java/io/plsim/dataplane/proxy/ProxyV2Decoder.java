package io.plsim.dataplane.proxy;

import static io.plsim.dataplane.proxy.ProxyV2Format.FIXED_LENGTH;
import static io.plsim.dataplane.proxy.ProxyV2Format.SUBTYPE_AWS_VPCE_ID;
import static io.plsim.dataplane.proxy.ProxyV2Format.TLV_HEADER_LENGTH;
import static io.plsim.dataplane.proxy.ProxyV2Format.TYPE_AWS;
import static io.plsim.dataplane.proxy.ProxyV2Format.TYPE_CRC32C;

import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;
import io.plsim.dataplane.proxy.ProxyHeader.Crc;
import io.plsim.dataplane.proxy.ProxyHeader.Tlv;
import io.plsim.dataplane.proxy.ProxyHeaderParser.Result;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a binary v2 header whose 12-byte signature is already known to be present. Checks run in wire
 * order and fail on the first problem, and everything decidable from the 16 fixed bytes (version, command,
 * family, length bounds) is decided before waiting for the rest, so a bad header is reported without buffering.
 */
final class ProxyV2Decoder {

    /** The address families and transports the spec defines, with their address block sizes. */
    enum Family {
        UNSPEC(0x00, "UNSPEC", 0),
        TCP4(0x11, "TCP over IPv4", 12),
        UDP4(0x12, "UDP over IPv4", 12),
        TCP6(0x21, "TCP over IPv6", 36),
        UDP6(0x22, "UDP over IPv6", 36),
        UNIX_STREAM(0x31, "stream over UNIX", 216),
        UNIX_DGRAM(0x32, "datagram over UNIX", 216);

        final int code;
        final String description;
        final int blockLength;

        Family(int code, String description, int blockLength) {
            this.code = code;
            this.description = description;
            this.blockLength = blockLength;
        }

        static Family of(int code) {
            for (Family f : values()) {
                if (f.code == code) {
                    return f;
                }
            }
            return null;
        }
    }

    private static final int UNIX_PATH_LENGTH = 108;

    private ProxyV2Decoder() {
    }

    static Result decode(ByteBuf in, int base, int readable) {
        if (readable < FIXED_LENGTH) {
            return Result.NEED_MORE_DATA;
        }
        int versionCommand = in.getUnsignedByte(base + 12);
        if (versionCommand >>> 4 != 2) {
            return Result.malformed(String.format("unsupported version 0x%X (expected 0x2)", versionCommand >>> 4));
        }
        int command = versionCommand & 0xF;
        if (command > 1) {
            return Result.malformed(
                    String.format("unsupported command 0x%X (expected 0x0 LOCAL or 0x1 PROXY)", command));
        }
        int familyByte = in.getUnsignedByte(base + 13);
        Family family = Family.of(familyByte);
        if (family == null) {
            return Result.malformed(String.format("unsupported address family and transport 0x%02X", familyByte));
        }
        int length = in.getUnsignedShort(base + 14);
        int total = FIXED_LENGTH + length;
        if (total > ProxyHeaderParser.MAX_V2_HEADER_BYTES) {
            return Result.malformed(String.format("length %d exceeds the maximum of %d this parser accepts",
                    length, ProxyHeaderParser.MAX_V2_HEADER_BYTES - FIXED_LENGTH));
        }
        if (command == 1 && length < family.blockLength) {
            // A LOCAL's block is discarded whatever its family says, so only PROXY needs one.
            return Result.malformed(String.format("length %d too short for %s address block (%d)",
                    length, family.description, family.blockLength));
        }
        if (readable < total) {
            return Result.NEED_MORE_DATA;
        }
        byte[] h = new byte[total];
        in.getBytes(base, h);
        return decodeComplete(h, command == 1, family);
    }

    /** The TLVs of a header read from one offset, or why they cannot be. */
    private record Tlvs(List<Tlv> list, String vpceId, Crc crc, String error) {
    }

    private static Result decodeComplete(byte[] h, boolean proxy, Family family) {
        int blockEnd = FIXED_LENGTH + family.blockLength;
        Tlvs tlvs = blockEnd <= h.length ? tlvs(h, blockEnd) : null;
        if (!proxy && family.blockLength > 0 && (tlvs == null || tlvs.crc() != Crc.VALID)) {
            // A LOCAL header's block is to be discarded whatever the family says, and NLB's health
            // checks put their TLVs right after the length although the family is TCP over IPv4:
            // the TLVs are where the checksum checks out.
            Tlvs unblocked = tlvs(h, FIXED_LENGTH);
            if (tlvs == null || unblocked.error() == null && (unblocked.crc() == Crc.VALID || tlvs.error() != null)) {
                tlvs = unblocked;
            }
        }
        if (tlvs.error() != null) {
            return Result.malformed(tlvs.error());
        }
        String vpceId = tlvs.vpceId();
        Crc crc = tlvs.crc();
        String command = proxy ? "PROXY" : "LOCAL";
        if (!proxy || family == Family.UNSPEC) {
            // LOCAL: the spec says to ignore the block and use the real endpoints; UNSPEC: there is none.
            return Result.parsed(new ProxyHeader(2, command, family.name(), null, 0, null, 0, tlvs.list(), vpceId,
                    crc, h.length));
        }
        int a = FIXED_LENGTH;
        ProxyHeader header = switch (family) {
            case TCP4, UDP4 -> new ProxyHeader(2, command, family.name(), ip(h, a, 4), u16(h, a + 8),
                    ip(h, a + 4, 4), u16(h, a + 10), tlvs.list(), vpceId, crc, h.length);
            case TCP6, UDP6 -> new ProxyHeader(2, command, family.name(), ip(h, a, 16), u16(h, a + 32),
                    ip(h, a + 16, 16), u16(h, a + 34), tlvs.list(), vpceId, crc, h.length);
            default -> new ProxyHeader(2, command, family.name(), path(h, a), 0, path(h, a + UNIX_PATH_LENGTH), 0,
                    tlvs.list(), vpceId, crc, h.length);
        };
        return Result.parsed(header);
    }

    private static Tlvs tlvs(byte[] h, int from) {
        List<Tlv> tlvs = new ArrayList<>();
        String vpceId = null;
        int crcAt = -1;
        int at = from;
        while (at < h.length) {
            int left = h.length - at;
            if (left < TLV_HEADER_LENGTH) {
                return failed(String.format("TLV header at offset %d truncated: %d byte(s) left", at, left));
            }
            int type = h[at] & 0xFF;
            int len = u16(h, at + 1);
            int value = at + TLV_HEADER_LENGTH;
            if (len > h.length - value) {
                return failed(String.format("TLV %s overruns header: length %d at offset %d, %d byte(s) left",
                        ProxyV2Format.hexByte(type), len, at, h.length - value));
            }
            if (type == TYPE_CRC32C) {
                if (len != 4) {
                    return failed("CRC32C TLV 0x03 has length " + len + ", expected 4");
                }
                if (crcAt >= 0) {
                    return failed("more than one CRC32C TLV 0x03");
                }
                crcAt = value;
            } else if (type == TYPE_AWS && len >= 1 && h[value] == SUBTYPE_AWS_VPCE_ID && vpceId == null) {
                vpceId = ProxyV2Format.ascii(h, value + 1, len - 1);
            }
            tlvs.add(new Tlv(type, Arrays.copyOfRange(h, value, value + len)));
            at = value + len;
        }
        return new Tlvs(tlvs, vpceId, crcAt < 0 ? Crc.ABSENT : verify(h, crcAt), null);
    }

    private static Tlvs failed(String error) {
        return new Tlvs(List.of(), null, Crc.ABSENT, error);
    }

    /** Checks the CRC32C stored at {@code valueAt} against the header with that field zeroed. */
    private static Crc verify(byte[] h, int valueAt) {
        int stated = u16(h, valueAt) << 16 | u16(h, valueAt + 2);
        byte[] zeroed = h.clone();
        Arrays.fill(zeroed, valueAt, valueAt + 4, (byte) 0);
        return ProxyV2Format.crc32c(zeroed) == stated ? Crc.VALID : Crc.INVALID;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    /** Dotted quad, or RFC 5952 text for IPv6; never a lookup. */
    private static String ip(byte[] b, int at, int length) {
        return NetUtil.bytesToIpAddress(b, at, length);
    }

    /** A NUL-terminated (or full-length) UNIX socket path. */
    private static String path(byte[] b, int at) {
        int end = at;
        while (end < at + UNIX_PATH_LENGTH && b[end] != 0) {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.UTF_8);
    }
}
