package io.plsim.core.control;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An EC2 filter: a name and values, any of which may match. Values may use the wildcards
 * {@code *} (any run of characters) and {@code ?} (one character), as EC2 filters do.
 */
public record Filter(String name, List<String> values) {

    public Filter {
        values = List.copyOf(values);
    }

    public static Filter of(String name, String... values) {
        return new Filter(name, List.of(values));
    }

    /** Whether any of the given values of a resource matches any value of this filter. */
    public boolean matches(Iterable<String> candidates) {
        for (String v : values) {
            Pattern p = glob(v);
            for (String c : candidates) {
                if (c != null && p.matcher(c).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean matches(String candidate) {
        return matches(List.of(candidate == null ? "" : candidate));
    }

    private static Pattern glob(String value) {
        StringBuilder re = new StringBuilder();
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
