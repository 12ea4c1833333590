package io.plsim.core.api;

import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.control.Filter;
import io.plsim.core.control.PageRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The parameters of an EC2 Query request: a form-encoded body (and, for GET, the query string),
 * with lists flattened as {@code Name.1}, {@code Name.2} and structures as {@code Name.1.Field}.
 * Every read that finds a malformed value throws the {@link ControlPlaneException} EC2 answers.
 */
final class QueryParams {

    /** The longest parameter name taken. */
    static final int MAX_NAME = 256;

    /** A list index as EC2 numbers them: 1 to 6 digits. */
    private static final Pattern INDEX = Pattern.compile("\\d{1,6}");

    private final Map<String, String> values;
    /** {@link #structures(String)} by prefix, built on first use. */
    private Map<String, TreeSet<Integer>> structures;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    static QueryParams parse(String... encodedParts) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String encoded : encodedParts) {
            if (encoded == null || encoded.isEmpty()) {
                continue;
            }
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                refuseOutsideXml(name, value);
                if (values.putIfAbsent(name, value) != null) {
                    throw new ControlPlaneException("InvalidParameterValue", "The parameter " + name + " is given twice");
                }
            }
        }
        return new QueryParams(values);
    }

    /**
     * A character XML 1.0 does not allow (most control characters, lone surrogates, U+FFFE and U+FFFF)
     * is refused where it arrives, as EC2 refuses it in a tag: stored, it would make every later
     * answer that shows it malformed.
     */
    private static void refuseOutsideXml(String name, String value) {
        if (name.length() > MAX_NAME) {
            // EC2's longest parameter names are tens of characters; a long one would make reading the
            // structures of its dots cost its length squared.
            throw new ControlPlaneException("InvalidParameterValue", "A parameter name of " + name.length()
                    + " characters; a parameter name has at most " + MAX_NAME);
        }
        int bad = Xml.firstOutsideXml(name);
        if (bad >= 0) {
            throw new ControlPlaneException("InvalidParameterValue", "A parameter name contains the character "
                    + Xml.codePoint(name, bad) + ", which XML 1.0 does not allow");
        }
        bad = Xml.firstOutsideXml(value);
        if (bad >= 0) {
            throw new ControlPlaneException("InvalidParameterValue", "Value for parameter " + name + " is invalid:"
                    + " the character " + Xml.codePoint(value, bad) + " at position " + (bad + 1)
                    + " is not allowed (XML 1.0 does not allow it)");
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ControlPlaneException("MalformedQueryString", "The request is not valid form encoding near '"
                    + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "': " + e.getMessage());
        }
    }

    /** Every parameter, in name order: equal for two requests that ask the same. */
    String canonical() {
        return new TreeMap<>(values).toString();
    }

    String string(String name) {
        return values.get(name);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            throw new ControlPlaneException("MissingParameter", "The request must contain the parameter " + name);
        }
        return v;
    }

    Boolean bool(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ControlPlaneException("InvalidParameterValue",
                    "Value (" + v + ") for parameter " + name + " is invalid. Expected: 'true' or 'false'.");
        };
    }

    Integer integer(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ControlPlaneException("InvalidParameterValue",
                    "Value (" + v + ") for parameter " + name + " is invalid. Expected an integer.");
        }
    }

    /** {@code Name.1}, {@code Name.2}, ... in index order; a numeric index out of range is refused. */
    List<String> list(String name) {
        Map<Integer, String> byIndex = new TreeMap<>();
        String prefix = name + ".";
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                String rest = k.substring(prefix.length());
                if (index(k, rest)) {
                    byIndex.put(Integer.parseInt(rest), v);
                }
            }
        });
        return new ArrayList<>(byIndex.values());
    }

    /**
     * Whether {@code part} of parameter {@code name} is a list index, 1 to 999999. A part that is a
     * number but not such an index ({@code 0}, {@code -1}, {@code 9999999}) is refused: ignored, it
     * would turn "these IDs" into "every ID". Any other part is a field name, not an index.
     */
    private static boolean index(String name, String part) {
        if (INDEX.matcher(part).matches() && !part.startsWith("0")) {
            return true;
        }
        if (part.matches("[-+]?\\d+")) {
            throw new ControlPlaneException("InvalidParameterValue", "The parameter " + name + " has an index EC2"
                    + " does not number lists with: a list index runs from 1 to 999999");
        }
        return false;
    }

    /** The indexes N of {@code Name.N.*} structures, in order. */
    List<Integer> structures(String name) {
        if (structures == null) {
            structures = indexStructures();
        }
        TreeSet<Integer> found = structures.get(name);
        return found == null ? List.of() : new ArrayList<>(found);
    }

    /**
     * Every {@code Prefix.N.} of every parameter name, in one pass: actions look structures up by
     * prefix once per structure ({@code TagSpecification.N.Tag}), which must not cost a scan of all
     * parameters each time.
     */
    private Map<String, TreeSet<Integer>> indexStructures() {
        Map<String, TreeSet<Integer>> out = new HashMap<>();
        for (String k : values.keySet()) {
            for (int dot = k.indexOf('.'); dot >= 0; dot = k.indexOf('.', dot + 1)) {
                int next = k.indexOf('.', dot + 1);
                if (next < 0) {
                    break;
                }
                String digits = k.substring(dot + 1, next);
                if (index(k, digits)) {
                    out.computeIfAbsent(k.substring(0, dot), x -> new TreeSet<>()).add(Integer.parseInt(digits));
                }
            }
        }
        return out;
    }

    /**
     * {@code Filter.N.Name} and {@code Filter.N.Value.M}, in one pass over the parameters: a request
     * may carry tens of thousands of them within the body limit, and must not hold the server.
     */
    List<Filter> filters() {
        Map<Integer, String> names = new TreeMap<>();
        Map<Integer, Map<Integer, String>> valuesByFilter = new TreeMap<>();
        String prefix = "Filter.";
        values.forEach((k, v) -> {
            if (!k.startsWith(prefix)) {
                return;
            }
            String rest = k.substring(prefix.length());
            int dot = rest.indexOf('.');
            if (dot <= 0 || !index(k, rest.substring(0, dot))) {
                return;
            }
            int i = Integer.parseInt(rest.substring(0, dot));
            String field = rest.substring(dot + 1);
            Map<Integer, String> filterValues = valuesByFilter.computeIfAbsent(i, x -> new TreeMap<>());
            if (field.equals("Name")) {
                names.put(i, v);
            } else if (field.startsWith("Value.") && index(k, field.substring(6))) {
                filterValues.put(Integer.parseInt(field.substring(6)), v);
            }
        });
        List<Filter> out = new ArrayList<>();
        valuesByFilter.forEach((i, filterValues) -> {
            String filterName = names.get(i);
            if (filterName == null) {
                throw new ControlPlaneException("InvalidParameterValue", "Filter." + i + " has no Name");
            }
            out.add(new Filter(filterName, new ArrayList<>(filterValues.values())));
        });
        return out;
    }

    /** {@code Tag.N.Key} / {@code Tag.N.Value} under a prefix such as {@code Tag} or {@code TagSpecification.1.Tag}. */
    Map<String, String> tags(String prefix) {
        Map<String, String> out = tagsToMatch(prefix);
        out.replaceAll((k, v) -> v == null ? "" : v);
        return out;
    }

    /**
     * {@code Tag.N.Key} with an optional {@code Tag.N.Value}, as DeleteTags takes them: a key maps to
     * null when its value is absent (any value matches), to "" when it is given empty.
     */
    Map<String, String> tagsToMatch(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i : structures(prefix)) {
            String key = values.get(prefix + "." + i + ".Key");
            if (key == null || key.isEmpty()) {
                throw new ControlPlaneException("InvalidParameterValue", prefix + "." + i + " has no Key");
            }
            out.put(key, values.get(prefix + "." + i + ".Value"));
        }
        return out;
    }

    PageRequest page() {
        return new PageRequest(integer("MaxResults"), string("NextToken"));
    }
}
