package io.plsim.core.model;

import java.util.Optional;

/** Dotted-quad IPv4 text to and from an {@code int}, without touching name resolution. */
public final class Ipv4 {

    /** 127.0.0.0/8, where every simulated address lives so that traffic never leaves the machine. */
    public static final Cidr LOOPBACK = new Cidr(0x7f000000, 8);

    private Ipv4() {
    }

    public static Optional<Integer> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        int value = 0;
        for (String part : parts) {
            if (!part.matches("\\d{1,3}") || (part.length() > 1 && part.startsWith("0"))) {
                return Optional.empty();
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return Optional.empty();
            }
            value = value << 8 | octet;
        }
        return Optional.of(value);
    }

    public static String format(int address) {
        return (address >>> 24) + "." + (address >> 16 & 0xff) + "." + (address >> 8 & 0xff) + "." + (address & 0xff);
    }
}
