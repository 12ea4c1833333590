package io.plsim.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;
import io.plsim.dataplane.proxy.ProxyHeader.Crc;
import io.plsim.dataplane.proxy.ProxyHeaderParser.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes a text v1 header ({@code PROXY TCP4 src dst sport dport\r\n}, {@code TCP6}, or {@code UNKNOWN}) whose
 * {@code "PROXY "} prefix is already known to be present. Clients and other proxies in front of the
 * simulator may send v1, and NLB forwards whatever header it receives, so the inspector must recognize it.
 * Addresses are validated as literals only; nothing here can trigger a DNS lookup.
 */
final class ProxyV1Decoder {

    private ProxyV1Decoder() {
    }

    static Result decode(ByteBuf in, int base, int readable) {
        int limit = Math.min(readable, ProxyHeaderParser.MAX_V1_HEADER_BYTES);
        int lineEnd = -1;
        for (int i = 0; i < limit; i++) {
            int b = in.getUnsignedByte(base + i);
            if (b == '\r') {
                if (i + 1 == ProxyHeaderParser.MAX_V1_HEADER_BYTES) {
                    break;
                }
                if (i + 1 == readable) {
                    return Result.NEED_MORE_DATA;
                }
                if (in.getByte(base + i + 1) != '\n') {
                    return Result.malformed("v1 header: CR at offset " + i + " not followed by LF");
                }
                lineEnd = i;
                break;
            }
            if (b < 0x20 || b > 0x7E) {
                return Result.malformed(String.format("v1 header: byte 0x%02X at offset %d", b, i));
            }
        }
        if (lineEnd < 0) {
            return readable >= ProxyHeaderParser.MAX_V1_HEADER_BYTES
                    ? Result.malformed("v1 header: no CRLF within " + ProxyHeaderParser.MAX_V1_HEADER_BYTES + " bytes")
                    : Result.NEED_MORE_DATA;
        }
        String[] f = in.toString(base, lineEnd, StandardCharsets.US_ASCII).split(" ", -1);
        int length = lineEnd + 2;
        String protocol = f[1];
        if (protocol.equals("UNKNOWN")) {
            return Result.parsed(new ProxyHeader(1, "PROXY", "UNKNOWN", null, 0, null, 0, List.of(), null,
                    Crc.ABSENT, length));
        }
        boolean v4 = protocol.equals("TCP4");
        if (!v4 && !protocol.equals("TCP6")) {
            return Result.malformed("v1 header: unsupported protocol \"" + protocol + "\"");
        }
        if (f.length != 6) {
            return Result.malformed("v1 " + protocol + " header has " + f.length + " fields, expected 6");
        }
        for (int i = 2; i <= 3; i++) {
            // No brackets or zone IDs: v1 carries bare literals, and JSON adds the brackets itself.
            boolean ok = v4 ? NetUtil.isValidIpV4Address(f[i])
                    : NetUtil.isValidIpV6Address(f[i]) && f[i].indexOf('[') < 0 && f[i].indexOf('%') < 0;
            if (!ok) {
                return Result.malformed("v1 header: \"" + f[i] + "\" is not an " + (v4 ? "IPv4" : "IPv6")
                        + " address");
            }
        }
        int sourcePort = port(f[4]);
        int destinationPort = port(f[5]);
        if (sourcePort < 0 || destinationPort < 0) {
            return Result.malformed("v1 header: \"" + f[sourcePort < 0 ? 4 : 5] + "\" is not a port");
        }
        return Result.parsed(new ProxyHeader(1, "PROXY", protocol, f[2], sourcePort, f[3], destinationPort,
                List.of(), null, Crc.ABSENT, length));
    }

    /** A decimal port 0..65535 of 1-5 digits, or -1. */
    private static int port(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 0xFFFF ? value : -1;
    }
}
