package io.plsim.dataplane.proxy;

/**
 * Hex conversion and an independent, bitwise CRC32C for the proxy header tests. The CRC is deliberately not
 * {@code java.util.zip.CRC32C}, so golden values are not computed by the same path the code under test uses.
 */
final class ProxyHeaderTestBytes {

    /** The 12-byte v2 signature. */
    static final String SIGNATURE = "0d0a0d0a000d0a515549540a";

    private ProxyHeaderTestBytes() {
    }

    /** Bytes from hex; spaces are ignored so golden values can be grouped by field. */
    static byte[] unhex(String hex) {
        String h = hex.replace(" ", "");
        if (h.length() % 2 != 0) {
            throw new IllegalArgumentException("odd hex length: " + h);
        }
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h, 2 * i, 2 * i + 2, 16);
        }
        return out;
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }

    /** CRC32C bit by bit: reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF. */
    static int crc32cBitwise(byte[] data) {
        int crc = 0xFFFFFFFF;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
            }
        }
        return ~crc;
    }

    /**
     * The hex of a header that ends in a CRC32C TLV, given everything before the TLV: appends {@code 03 0004} and
     * the checksum computed over the header with the value zeroed.
     */
    static String withCrcTlv(String hexBeforeCrcTlv) {
        int crc = crc32cBitwise(unhex(hexBeforeCrcTlv + "030004" + "00000000"));
        return hexBeforeCrcTlv.replace(" ", "") + "030004" + String.format("%08x", crc);
    }
}
