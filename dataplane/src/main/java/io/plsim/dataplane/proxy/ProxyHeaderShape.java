package io.plsim.dataplane.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a decoded header is shaped as AWS NLB shapes its own, and if not, how it differs: the question a
 * user asks of {@code pp2-inspect} before trusting that a parser which copes with plsim copes with AWS.
 *
 * <p>NLB sends two shapes (FACTS.md has the captures). Through PrivateLink: {@code PROXY}, TCP over IPv4,
 * 100 bytes, TLVs CRC32C (valid), AWS (subtype 0x01, the endpoint ID), NOOP (zeros). For a health check:
 * {@code LOCAL}, family TCP over IPv4, 100 bytes, TLVs CRC32C (valid) and NOOP right after the length, with no
 * address block. Anything else is {@code other}, with every difference from the nearer of the two named.
 *
 * @param kind        {@code aws-privatelink}, {@code aws-health-check}, or {@code other}
 * @param differences what departs from the AWS shape of the same command, in wire order; empty unless
 *                    {@code other}
 */
public record ProxyHeaderShape(String kind, List<String> differences) {

    public ProxyHeaderShape {
        differences = List.copyOf(differences);
    }

    /** Whether the header is one of the two shapes NLB sends. */
    public boolean aws() {
        return differences.isEmpty();
    }

    /** The shape of {@code header}. */
    public static ProxyHeaderShape of(ProxyHeader header) {
        List<String> d = new ArrayList<>();
        boolean proxy = "PROXY".equals(header.command());
        if (header.version() != 2) {
            d.add("version " + header.version() + " (NLB sends version 2)");
            return new ProxyHeaderShape("other", d);
        }
        if (!"TCP4".equals(header.family())) {
            d.add("family " + header.family() + " (NLB sends TCP4"
                    + (proxy ? ")" : ", even in a LOCAL header)"));
        }
        if (header.headerLength() != ProxyHeaderWriter.AWS_HEADER_LENGTH) {
            d.add("header is " + header.headerLength() + " bytes (NLB pads its headers to "
                    + ProxyHeaderWriter.AWS_HEADER_LENGTH + ")");
        }
        List<Integer> expected = proxy
                ? List.of(ProxyV2Format.TYPE_CRC32C, ProxyV2Format.TYPE_AWS, ProxyV2Format.TYPE_NOOP)
                : List.of(ProxyV2Format.TYPE_CRC32C, ProxyV2Format.TYPE_NOOP);
        List<Integer> types = header.tlvs().stream().map(ProxyHeader.Tlv::type).toList();
        if (!types.equals(expected)) {
            d.add("TLVs " + names(types) + " (NLB sends " + names(expected) + ")");
        }
        if (header.crc() != ProxyHeader.Crc.VALID) {
            d.add("CRC32C " + header.crc().json() + " (NLB's is always present and valid)");
        }
        if (proxy && header.tlvs().size() == expected.size() && types.equals(expected) && header.vpceId() == null) {
            d.add("AWS TLV without subtype 0x01 (the endpoint ID)");
        }
        if (!proxy && "TCP4".equals(header.family()) && tlvBytes(header) != header.headerLength() - 16) {
            d.add("TLVs after an address block (NLB puts them right after the length)");
        }
        for (ProxyHeader.Tlv t : header.tlvs()) {
            if (t.type() == ProxyV2Format.TYPE_NOOP && !zeros(t.value())) {
                d.add("NOOP TLV with non-zero bytes (NLB pads with zeros)");
            }
        }
        String kind = !d.isEmpty() ? "other" : proxy ? "aws-privatelink" : "aws-health-check";
        return new ProxyHeaderShape(kind, d);
    }

    /** The common name of a TLV type, as the spec and {@code pp2-inspect}'s report give it. */
    public static String tlvName(int type) {
        return switch (type) {
            case 0x01 -> "ALPN";
            case 0x02 -> "AUTHORITY";
            case ProxyV2Format.TYPE_CRC32C -> "CRC32C";
            case ProxyV2Format.TYPE_NOOP -> "NOOP";
            case 0x05 -> "UNIQUE_ID";
            case 0x20 -> "SSL";
            case 0x30 -> "NETNS";
            case ProxyV2Format.TYPE_AWS -> "AWS";
            default -> type >= 0xE0 && type <= 0xEF ? "CUSTOM" : "UNKNOWN";
        };
    }

    /** The shape as JSON: {@code {"aws":true,"kind":"aws-privatelink","differences":[]}}. */
    String toJson() {
        StringBuilder sb = new StringBuilder("{\"aws\":").append(aws()).append(",\"kind\":\"").append(kind)
                .append("\",\"differences\":[");
        for (int i = 0; i < differences.size(); i++) {
            sb.append(i == 0 ? "" : ",");
            ProxyHeader.jsonString(sb, differences.get(i));
        }
        return sb.append("]}").toString();
    }

    private static int tlvBytes(ProxyHeader header) {
        int n = 0;
        for (ProxyHeader.Tlv t : header.tlvs()) {
            n += ProxyV2Format.TLV_HEADER_LENGTH + t.length();
        }
        return n;
    }

    private static boolean zeros(byte[] value) {
        for (byte b : value) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String names(List<Integer> types) {
        List<String> out = new ArrayList<>();
        for (int t : types) {
            out.add(tlvName(t));
        }
        return out.toString();
    }
}
