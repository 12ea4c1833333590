package io.plsim.dataplane.proxy;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A decoded proxy protocol header, v1 or v2, as the {@code pp2-inspect} target reports it.
 *
 * <p>Addresses are kept as the text a person would compare against ({@code 127.0.0.1}, {@code 2001:db8::1} in RFC 5952 form,
 * a UNIX path) rather than {@code InetAddress}, because the header is evidence to display and no lookup must
 * ever happen on it. For {@code LOCAL}, {@code UNSPEC} and v1 {@code UNKNOWN} headers they are {@code null} and
 * the ports 0; UNIX families have paths and ports 0.
 *
 * @param version 1 (text) or 2 (binary)
 * @param command {@code "PROXY"} or {@code "LOCAL"} (v1 knows only PROXY)
 * @param family {@code "TCP4"}, {@code "UDP4"}, {@code "TCP6"}, {@code "UDP6"}, {@code "UNIX_STREAM"},
 *     {@code "UNIX_DGRAM"} or {@code "UNSPEC"}; v1 also {@code "UNKNOWN"}
 * @param sourceAddress client address, or {@code null} when the header carries none
 * @param sourcePort client port, or 0
 * @param destinationAddress address the client connected to, or {@code null}
 * @param destinationPort port the client connected to, or 0
 * @param tlvs every top-level TLV in wire order (v1: none)
 * @param vpceId the endpoint ID from the AWS TLV (0xEA, subtype 0x01), or {@code null}
 * @param crc outcome of checking the CRC32C TLV
 * @param headerLength bytes the header occupied on the wire, CRLF or TLVs included
 */
public record ProxyHeader(int version, String command, String family, String sourceAddress, int sourcePort,
        String destinationAddress, int destinationPort, List<Tlv> tlvs, String vpceId, Crc crc,
        int headerLength) {

    /** Whether the header had a CRC32C TLV and whether it matched. */
    public enum Crc {
        /** No CRC32C TLV (always so for v1). */
        ABSENT,
        /** The CRC32C TLV matches the header. */
        VALID,
        /** The CRC32C TLV does not match: the spec says to treat the connection as invalid. */
        INVALID;

        /** The lower-case form used in JSON. */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One type-length-value entry. The array is copied in and out so the record stays immutable, and
     * equality compares contents, which a plain record over {@code byte[]} would not.
     *
     * @param type the type byte, 0..255
     * @param value the value; its length is the TLV's length field
     */
    public record Tlv(int type, byte[] value) {

        public Tlv {
            if (type < 0 || type > 0xFF) {
                throw new IllegalArgumentException("TLV type " + type + " is outside 0..255");
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        /** The TLV's length field. */
        public int length() {
            return value.length;
        }

        /** The value as lower-case hex, two digits per byte. */
        public String valueHex() {
            StringBuilder sb = new StringBuilder(value.length * 2);
            for (byte b : value) {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tlv t && t.type == type && Arrays.equals(t.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Tlv[type=" + ProxyV2Format.hexByte(type) + ", value=" + valueHex() + "]";
        }
    }

    public ProxyHeader {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(crc, "crc");
        tlvs = List.copyOf(tlvs);
    }

    /**
     * The header as one line of JSON with a fixed key order, every key always present ({@code null} where the
     * header has no value), e.g. {@code {"version":2,"command":"PROXY","family":"TCP4","source":"127.0.0.1:40000",
     * "destination":"127.1.1.4:443","tlvs":[{"type":"0x03","name":"CRC32C","length":4,"value":"..."},...],
     * "vpceEndpointId":"vpce-...","crc32c":"valid","headerLength":100,"shape":{"aws":true,
     * "kind":"aws-privatelink","differences":[]}}}: the TLVs in wire order, and whether the header is shaped as
     * AWS's ({@link ProxyHeaderShape}). IPv6 endpoints are written {@code [addr]:port}, UNIX ones
     * as the bare path.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder(160 + 64 * tlvs.size());
        sb.append("{\"version\":").append(version);
        sb.append(",\"command\":");
        jsonString(sb, command);
        sb.append(",\"family\":");
        jsonString(sb, family);
        sb.append(",\"source\":");
        jsonString(sb, endpoint(sourceAddress, sourcePort));
        sb.append(",\"destination\":");
        jsonString(sb, endpoint(destinationAddress, destinationPort));
        sb.append(",\"tlvs\":[");
        for (int i = 0; i < tlvs.size(); i++) {
            Tlv t = tlvs.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"type\":\"").append(ProxyV2Format.hexByte(t.type()))
                    .append("\",\"name\":\"").append(ProxyHeaderShape.tlvName(t.type()))
                    .append("\",\"length\":").append(t.length())
                    .append(",\"value\":\"").append(t.valueHex()).append("\"}");
        }
        sb.append("],\"vpceEndpointId\":");
        jsonString(sb, vpceId);
        sb.append(",\"crc32c\":\"").append(crc.json()).append("\"");
        sb.append(",\"headerLength\":").append(headerLength);
        sb.append(",\"shape\":").append(shape().toJson()).append('}');
        return sb.toString();
    }

    /** Whether this is one of the two shapes AWS NLB sends, and how it differs if not. */
    public ProxyHeaderShape shape() {
        return ProxyHeaderShape.of(this);
    }

    private String endpoint(String address, int port) {
        if (address == null) {
            return null;
        }
        if (family.startsWith("UNIX")) {
            return address;
        }
        return address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
    }

    /** Appends a JSON string literal (RFC 8259 escaping; control characters as \\u00XX), or null. */
    static void jsonString(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
