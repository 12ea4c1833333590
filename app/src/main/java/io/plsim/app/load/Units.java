package io.plsim.app.load;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the values {@code plsim load} takes on its command line: durations ({@code 10s},
 * {@code 500ms}, {@code 2m}, {@code 1h}, a bare number of seconds), rates ({@code 500/s},
 * {@code 500}, {@code max}) and byte sizes ({@code 64}, {@code 64k}, {@code 8m}, {@code 1g}, binary).
 * Each failure is an {@link IllegalArgumentException} whose message says what was expected.
 */
public final class Units {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/\\s*s)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(k|m|g|kb|mb|gb|kib|mib|gib|b)?");

    private Units() {
    }

    /** A duration such as {@code 10s}, {@code 250ms}, {@code 1.5s}, {@code 2m}, {@code 1h} or {@code 10} (seconds). */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (e.g. 10s, 500ms, 2m, 1h): " + text);
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanos = switch (unit) {
            case "ms" -> n * 1e6;
            case "s" -> n * 1e9;
            case "m" -> n * 60e9;
            default -> n * 3600e9;
        };
        if (nanos > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("duration too long: " + text);
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** Requests per second: {@code 500/s} or {@code 500}; {@code max} is 0. */
    public static double rate(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("max")) {
            return 0;
        }
        Matcher m = RATE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a rate (e.g. 500/s, 500 or max): " + text);
        }
        double r = Double.parseDouble(m.group(1));
        if (r <= 0) {
            throw new IllegalArgumentException("a rate must be above 0 (or max): " + text);
        }
        return r;
    }

    /** A byte count: {@code 64}, {@code 64k}, {@code 8m}, {@code 1g} (powers of 1024). */
    public static long size(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a byte size (e.g. 64, 16k, 8m, 1g): " + text);
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("byte size too large: " + text);
        }
        String unit = m.group(2) == null ? "b" : m.group(2).substring(0, 1);
        int shift = switch (unit) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> (shift + 1))) {
            throw new IllegalArgumentException("byte size too large: " + text);
        }
        return n << shift;
    }

    /** A duration for people: {@code 10s}, {@code 1.5s}, {@code 250ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms >= 1000 ? String.format(Locale.ROOT, "%.3fs", ms / 1000.0) : ms + "ms";
    }

    /** A rate for people: {@code 500/s}, {@code 12.5/s}, {@code max}. */
    public static String formatRate(double rate) {
        if (rate <= 0) {
            return "max";
        }
        return (rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate)) + "/s";
    }

    /** A byte count for people: {@code 64 B}, {@code 16 KiB}, {@code 8 MiB}. */
    public static String formatSize(long bytes) {
        if (bytes >= 1 << 30 && bytes % (1 << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
