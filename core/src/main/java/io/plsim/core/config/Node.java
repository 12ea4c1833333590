package io.plsim.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A value of the YAML tree together with where it is: its field path and its line. Every read that
 * finds the wrong shape records a {@link ConfigProblem} and answers empty, so that one pass over a
 * file reports all of its shape problems instead of the first.
 */
final class Node {

    private final JsonNode json;
    private final String path;
    private final String pointer;
    private final Source source;

    private Node(JsonNode json, String path, String pointer, Source source) {
        this.json = json;
        this.path = path;
        this.pointer = pointer;
        this.source = source;
    }

    static Node root(JsonNode json, Source source) {
        return new Node(json, "", "", source);
    }

    String path() {
        return path;
    }

    int line() {
        return source.line(pointer);
    }

    boolean isMissing() {
        return json == null || json.isMissingNode() || json.isNull();
    }

    void problem(String message) {
        source.problem(line(), path, message);
    }

    /** A field of this object; missing when absent. */
    Node get(String name) {
        JsonNode child = json == null ? null : json.get(name);
        return new Node(child == null ? MissingNode.getInstance() : child,
                path.isEmpty() ? name : path + "." + name, pointer + "/" + escape(name), source);
    }

    /**
     * The fields of this object after checking that every key is known and every required key is
     * present; empty when this is not an object.
     */
    Optional<Map<String, Node>> object(Set<String> allowed, Set<String> required) {
        if (isMissing()) {
            return Optional.empty();
        }
        if (!json.isObject()) {
            problem("expected a mapping of keys (" + String.join(", ", new TreeSet<>(allowed)) + "), found " + kind());
            return Optional.empty();
        }
        Map<String, Node> fields = new LinkedHashMap<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            Node child = get(name);
            if (!allowed.contains(name)) {
                child.problem("unknown key; expected one of: " + String.join(", ", new TreeSet<>(allowed)));
            } else {
                fields.put(name, child);
            }
        }
        for (String name : new TreeSet<>(required)) {
            if (!json.has(name) || json.get(name).isNull()) {
                problem("missing required key '" + name + "'");
            }
        }
        return Optional.of(fields);
    }

    /**
     * The entries of a free-form mapping (zone names, access keys, tags), in file order; empty when
     * absent, with a problem naming {@code expected} when not a mapping.
     */
    Map<String, Node> entries(String expected) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (isMissing()) {
            return out;
        }
        if (!json.isObject()) {
            problem("expected " + expected + ", found " + kind());
            return out;
        }
        json.fieldNames().forEachRemaining(name -> out.put(name, get(name)));
        return out;
    }

    boolean isMapping() {
        return !isMissing() && json.isObject();
    }

    boolean isList() {
        return !isMissing() && json.isArray();
    }

    boolean isBoolean() {
        return !isMissing() && json.isBoolean();
    }

    /** The items of this list; empty when absent, with a problem when not a list. */
    List<Node> list() {
        if (isMissing()) {
            return List.of();
        }
        if (!json.isArray()) {
            problem("expected a list, found " + kind());
            return List.of();
        }
        List<Node> items = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            Node item = new Node(json.get(i), path + "[" + i + "]", pointer + "/" + i, source);
            if (item.isMissing()) {
                // "- ~" or "- null": reading it as absent would drop the item without a word
                item.problem("an empty item (null); fill it in or remove it");
            } else {
                items.add(item);
            }
        }
        return items;
    }

    /**
     * A scalar that {@code parse} reads and {@code onLoopback} finds inside 127.0.0.0/8; empty, with a
     * problem, when it does not parse (the problem names {@code expected}) or lies outside.
     */
    <T> Optional<T> loopback(String expected, Function<String, Optional<T>> parse, Predicate<T> onLoopback) {
        return text().flatMap(text -> {
            Optional<T> value = parse.apply(text);
            if (value.isEmpty()) {
                problem("not " + expected + ": " + text);
            } else if (!onLoopback.test(value.get())) {
                problem(text + " is outside 127.0.0.0/8; simulated addresses stay on loopback");
                return Optional.empty();
            }
            return value;
        });
    }

    /** A scalar as text; numbers are taken as written. */
    Optional<String> text() {
        if (isMissing()) {
            return Optional.empty();
        }
        if (!json.isValueNode()) {
            problem("expected a single value, found " + kind());
            return Optional.empty();
        }
        String text = json.asText();
        if (text.isBlank()) {
            problem("must not be empty");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    Optional<Integer> integer(long min, long max) {
        if (isMissing()) {
            return Optional.empty();
        }
        if (!json.isIntegralNumber()) {
            problem("expected a whole number from " + min + " to " + max + ", found " + kind());
            return Optional.empty();
        }
        long v = json.asLong();
        if (v < min || v > max || !json.canConvertToLong()) {
            problem("must be from " + min + " to " + max + ", found " + json.asText());
            return Optional.empty();
        }
        return Optional.of((int) v);
    }

    /** A non-negative number of seconds, fractions allowed, as milliseconds. */
    Optional<Long> seconds(double min, double max) {
        if (isMissing()) {
            return Optional.empty();
        }
        if (!json.isNumber()) {
            problem("expected a number of seconds, found " + kind());
            return Optional.empty();
        }
        double v = json.asDouble();
        if (v < min || v > max) {
            problem("must be from " + min + " to " + max + " seconds, found " + json.asText());
            return Optional.empty();
        }
        return Optional.of(Math.round(v * 1000));
    }

    /** A number from {@code min} to {@code max}, fractions allowed. */
    Optional<Double> number(double min, double max) {
        if (isMissing()) {
            return Optional.empty();
        }
        if (!json.isNumber()) {
            problem("expected a number from " + min + " to " + max + ", found " + kind());
            return Optional.empty();
        }
        double v = json.asDouble();
        if (!(v >= min && v <= max)) {
            problem("must be from " + min + " to " + max + ", found " + json.asText());
            return Optional.empty();
        }
        return Optional.of(v);
    }

    Optional<Boolean> bool() {
        if (isMissing()) {
            return Optional.empty();
        }
        if (!json.isBoolean()) {
            problem("expected true or false, found " + kind());
            return Optional.empty();
        }
        return Optional.of(json.asBoolean());
    }

    /** A list of scalars, each checked as {@link #text()}. */
    List<String> texts() {
        List<String> out = new ArrayList<>();
        for (Node item : list()) {
            item.text().ifPresent(out::add);
        }
        return out;
    }

    private String kind() {
        if (json.isObject()) {
            return "a mapping";
        }
        if (json.isArray()) {
            return "a list";
        }
        if (json.isBoolean()) {
            return "a boolean (" + json.asText() + ")";
        }
        if (json.isNumber()) {
            return "a number (" + json.asText() + ")";
        }
        return "\"" + json.asText() + "\"";
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** Where lines and problems of one config are kept. */
    interface Source {
        int line(String pointer);

        void problem(int line, String path, String message);
    }
}
