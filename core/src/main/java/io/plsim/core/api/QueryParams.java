package io.plsim.core.api;

import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.control.Filter;
import io.plsim.core.control.PageRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of an EC2 Query request: a form-encoded body (and, for GET, the query string),
 * with lists flattened as {@code Name.1}, {@code Name.2} and structures as {@code Name.1.Field}.
 * Every read that finds a malformed value throws the {@link ControlPlaneException} EC2 answers.
 */
final class QueryParams {

    private final Map<String, String> values;

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
                if (values.putIfAbsent(name, value) != null) {
                    throw new ControlPlaneException("InvalidParameterValue", "The parameter " + name + " is given twice");
                }
            }
        }
        return new QueryParams(values);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ControlPlaneException("MalformedQueryString", "The request is not valid form encoding near '"
                    + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "': " + e.getMessage());
        }
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

    /** {@code Name.1}, {@code Name.2}, ... in index order. */
    List<String> list(String name) {
        Map<Integer, String> byIndex = new TreeMap<>();
        String prefix = name + ".";
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                String rest = k.substring(prefix.length());
                if (rest.matches("\\d{1,6}")) {
                    byIndex.put(Integer.parseInt(rest), v);
                }
            }
        });
        return new ArrayList<>(byIndex.values());
    }

    /** The indexes N of {@code Name.N.*} structures, in order. */
    List<Integer> structures(String name) {
        List<Integer> out = new ArrayList<>();
        String prefix = name + ".";
        for (String k : values.keySet()) {
            if (k.startsWith(prefix)) {
                String rest = k.substring(prefix.length());
                int dot = rest.indexOf('.');
                if (dot > 0 && rest.substring(0, dot).matches("\\d{1,6}")) {
                    int i = Integer.parseInt(rest.substring(0, dot));
                    if (!out.contains(i)) {
                        out.add(i);
                    }
                }
            }
        }
        out.sort(Integer::compare);
        return out;
    }

    /** {@code Filter.N.Name} and {@code Filter.N.Value.M}. */
    List<Filter> filters() {
        List<Filter> out = new ArrayList<>();
        for (int i : structures("Filter")) {
            String filterName = values.get("Filter." + i + ".Name");
            if (filterName == null) {
                throw new ControlPlaneException("InvalidParameterValue", "Filter." + i + " has no Name");
            }
            out.add(new Filter(filterName, list("Filter." + i + ".Value")));
        }
        return out;
    }

    /** {@code Tag.N.Key} / {@code Tag.N.Value} under a prefix such as {@code Tag} or {@code TagSpecification.1.Tag}. */
    Map<String, String> tags(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i : structures(prefix)) {
            String key = values.get(prefix + "." + i + ".Key");
            if (key == null || key.isEmpty()) {
                throw new ControlPlaneException("InvalidParameterValue", prefix + "." + i + " has no Key");
            }
            out.put(key, values.getOrDefault(prefix + "." + i + ".Value", ""));
        }
        return out;
    }

    PageRequest page() {
        return new PageRequest(integer("MaxResults"), string("NextToken"));
    }
}
