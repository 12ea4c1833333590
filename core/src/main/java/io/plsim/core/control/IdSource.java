package io.plsim.core.control;

import java.util.SplittableRandom;

/**
 * Random parts of resource IDs and DNS names. Seeded, so a world built twice from the same
 * sim-config gets the same IDs.
 */
final class IdSource {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final SplittableRandom random;

    IdSource(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** {@code prefix} followed by 17 lowercase hex digits, as EC2 resource IDs are formed. */
    String id(String prefix) {
        return prefix + draw(HEX, 17);
    }

    /** The 8 characters that follow an endpoint ID in its DNS names. */
    String dnsSuffix() {
        return draw(ALNUM, 8);
    }

    /** The first label of a private DNS name's verification record, as {@code _1d367jvbg34znqvyefrj}. */
    String verificationName() {
        return "_" + draw(ALNUM, 20);
    }

    /** The value of a private DNS name's verification record, as {@code vpce:qUAth3FdeABCApUiXabc}. */
    String verificationValue() {
        return "vpce:" + draw(MIXED, 20);
    }

    private String draw(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
