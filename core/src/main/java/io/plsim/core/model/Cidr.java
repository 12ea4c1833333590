package io.plsim.core.model;

import java.util.Optional;

/**
 * An IPv4 CIDR block. Addresses are kept as unsigned 32-bit values in an {@code int}.
 */
public record Cidr(int network, int prefixLength) {

    public Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0-32: " + prefixLength);
        }
        if ((network & mask(prefixLength)) != network) {
            throw new IllegalArgumentException("host bits set in " + Ipv4.format(network) + "/" + prefixLength);
        }
    }

    /** Parses {@code a.b.c.d/n}; empty when the text is not such a block or has host bits set. */
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        Optional<Integer> ip = Ipv4.parse(text.substring(0, slash));
        String len = text.substring(slash + 1);
        if (ip.isEmpty() || !len.matches("\\d{1,2}")) {
            return Optional.empty();
        }
        int n = Integer.parseInt(len);
        if (n > 32 || (ip.get() & mask(n)) != ip.get()) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(ip.get(), n));
    }

    static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public long size() {
        return 1L << (32 - prefixLength);
    }

    public boolean contains(int address) {
        return (address & mask(prefixLength)) == network;
    }

    public boolean contains(Cidr other) {
        return other.prefixLength >= prefixLength && contains(other.network);
    }

    public boolean overlaps(Cidr other) {
        return contains(other.network) || other.contains(network);
    }

    /** The address at the given offset from the start of the block. */
    public int address(long offset) {
        return (int) (Integer.toUnsignedLong(network) + offset);
    }

    @Override
    public String toString() {
        return Ipv4.format(network) + "/" + prefixLength;
    }
}
