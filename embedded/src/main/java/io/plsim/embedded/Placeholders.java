package io.plsim.embedded;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${name}} in a world file, filled from values given in code: a target's port known only
 * when the test's own server has started, say. Every placeholder must have a value and every value
 * a placeholder, so a typo on either side is refused by name rather than left as text the loader
 * then reads as something else.
 */
final class Placeholders {

    /** A name: letters, digits, dots, dashes and underscores. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private Placeholders() {
    }

    /**
     * The text with each placeholder replaced by its value's {@code toString()}.
     *
     * @throws PlsimException naming the first placeholder without a value (with its line), or the
     *                        values no placeholder uses
     */
    static String fill(String source, String yaml, Map<String, String> values) {
        if (values.isEmpty() && !yaml.contains("${")) {
            return yaml;
        }
        Set<String> used = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(yaml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = values.get(name);
            if (value == null) {
                throw new PlsimException(source + " line " + line(yaml, m.start()) + ": placeholder ${" + name
                        + "} has no value; give it with .with(\"" + name + "\", value)"
                        + (values.isEmpty() ? "" : " (values given: " + values.keySet() + ")"));
            }
            used.add(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        Map<String, String> unused = new LinkedHashMap<>(values);
        unused.keySet().removeAll(used);
        if (!unused.isEmpty()) {
            throw new PlsimException(source + ": no placeholder ${" + unused.keySet().iterator().next()
                    + "} for the value given" + (used.isEmpty() ? "; the file has none" : "; it has " + used));
        }
        return out.toString();
    }

    static String checkedName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("placeholder name " + name
                    + " is not letters, digits, '.', '-' and '_'");
        }
        return name;
    }

    private static int line(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
