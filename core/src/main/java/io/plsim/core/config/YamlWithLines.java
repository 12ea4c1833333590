package io.plsim.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sim-config parsed into a tree, with the line each value starts on: the tree itself forgets
 * lines, and problems are found while reading it, long after parsing.
 *
 * <p>Lines are keyed by JSON pointer. A value with no line of its own, such as a missing field, is
 * placed on the line of its nearest ancestor that has one. {@code root} is never empty: an empty
 * file, like a YAML mistake, fails {@link #parse} instead.
 *
 * @param lines the first line of each value, by JSON pointer ({@code ""} for the root)
 */
record YamlWithLines(JsonNode root, PathLines lines) {

    /**
     * The line of every key and list item, as a tree of path segments: one entry per token, so that
     * reading is linear in the file however long its keys and deep its nesting (a map of whole
     * paths would hold a copy of every ancestor's keys for every token).
     */
    static final class PathLines {
        private final Entry root = new Entry();

        private static final class Entry {
            int line;
            private Map<String, Entry> children;

            Entry child(String segment) {
                if (children == null) {
                    children = new HashMap<>();
                }
                return children.computeIfAbsent(segment, k -> new Entry());
            }

            Entry find(String segment) {
                return children == null ? null : children.get(segment);
            }

            void mark(int at) {
                if (line == 0) {
                    line = at;
                }
            }
        }

        /** The line at a JSON pointer, or of its nearest ancestor with one; 0 if none has. */
        int line(String pointer) {
            Entry e = root;
            int best = root.line;
            if (!pointer.isEmpty()) {
                for (String segment : pointer.substring(1).split("/", -1)) {
                    e = e.find(segment.replace("~1", "/").replace("~0", "~"));
                    if (e == null) {
                        break;
                    }
                    if (e.line > 0) {
                        best = e.line;
                    }
                }
            }
            return best;
        }
    }

    /** One open mapping or list while reading: its entry, and where its next value goes. */
    private static final class Frame {
        final PathLines.Entry entry;
        final boolean list;
        int nextIndex;
        PathLines.Entry field;

        Frame(PathLines.Entry entry, boolean list) {
            this.entry = entry;
            this.list = list;
        }

        /** The entry of the value that comes now: the next item of a list, or the field just named. */
        PathLines.Entry value() {
            return list ? entry.child(String.valueOf(nextIndex++)) : field;
        }
    }

    /** The largest sim-config read: a world is kilobytes; this leaves room and bounds the time a file takes. */
    static final int MAX_FILE_CHARS = 1 << 20;
    /** The longest scalar: an ID, an address, a name, a description are far shorter. */
    static final int MAX_SCALAR_CHARS = 64 * 1024;
    /** The deepest nesting of mappings and lists: a sim-config needs about 6. */
    static final int MAX_DEPTH = 64;

    static YamlWithLines parse(String source, String yaml) throws SimConfigException {
        if (yaml.length() > MAX_FILE_CHARS) {
            throw SimConfigException.ofFile(source, "the file is " + yaml.length() + " characters long; a sim-config"
                    + " may be at most " + MAX_FILE_CHARS + " characters (1 MiB)");
        }
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_FILE_CHARS + 1024);
        YAMLFactory factory = YAMLFactory.builder().loaderOptions(options)
                .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                        .maxStringLength(MAX_SCALAR_CHARS).maxNestingDepth(MAX_DEPTH).build())
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        PathLines lines = new PathLines();
        java.util.ArrayDeque<Frame> open = new java.util.ArrayDeque<>();
        int deepestLine = 0;
        try (JsonParser p = factory.createParser(yaml)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            while (p.nextToken() != null) {
                int at = p.currentTokenLocation().getLineNr();
                deepestLine = at;
                if (p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser y && y.isCurrentAlias()) {
                    // Jackson reads an alias as the anchor's name, not its value: refused, not misread.
                    throw new SimConfigException(List.of(new ConfigProblem(source,
                            at, p.getParsingContext().pathAsPointer().toString()
                            .replaceFirst("^/", "").replace('/', '.'), "YAML aliases (*" + p.getText()
                            + ") are not supported: write the value out")));
                }
                if (p.currentToken() == JsonToken.VALUE_STRING && p.getTextLength() > MAX_SCALAR_CHARS) {
                    throw new SimConfigException(List.of(new ConfigProblem(source, at, "",
                            "a value of " + p.getTextLength()
                            + " characters; a value may be at most " + MAX_SCALAR_CHARS)));
                }
                JsonToken token = p.currentToken();
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    open.pop();
                } else if (token == JsonToken.FIELD_NAME) {
                    Frame f = open.peek();
                    f.field = f.entry.child(p.currentName());
                    f.field.mark(at);
                } else {
                    PathLines.Entry here = open.isEmpty() ? lines.root : open.peek().value();
                    if (here != null) {
                        here.mark(at);
                    }
                    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                        open.push(new Frame(here == null ? new PathLines.Entry() : here,
                                token == JsonToken.START_ARRAY));
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            // Where the limit was reached: the exception itself has no location.
            throw new SimConfigException(List.of(new ConfigProblem(source, deepestLine, "",
                    constraint(e.getOriginalMessage()))));
        } catch (JsonProcessingException e) {
            throw syntax(source, e);
        } catch (IOException e) {
            throw SimConfigException.ofFile(source, "cannot read: " + e.getMessage());
        }
        try {
            JsonNode root = mapper.readTree(yaml);
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw SimConfigException.ofFile(source,
                        "the file is empty; a sim-config needs at least 'region' and 'accounts'");
            }
            return new YamlWithLines(root, lines);
        } catch (JsonProcessingException e) {
            throw syntax(source, e);
        }
    }

    /** The line of the value at {@code pointer}, or of its nearest ancestor with a line; 0 if none has. */
    int line(String pointer) {
        return lines.line(pointer);
    }

    private static String constraint(String message) {
        return message != null && message.contains("nesting depth")
                ? "nested deeper than " + MAX_DEPTH + " levels; a sim-config needs a handful"
                : "a value longer than " + MAX_SCALAR_CHARS + " characters";
    }

    private static SimConfigException syntax(String source, JsonProcessingException e) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getProblem() != null
                && y.getProblemMark() != null) {
            // SnakeYAML knows where the mistake is (the problem mark) and what it is; Jackson's own
            // location is the last token read before it, often the line above, and its message
            // starts with the context ("while parsing a block mapping") rather than the problem.
            String message = y.getProblem();
            if (y.getContext() != null && y.getContextMark() != null) {
                message += " (" + y.getContext() + " that starts at line " + (y.getContextMark().getLine() + 1) + ")";
            }
            return new SimConfigException(List.of(new ConfigProblem(source, y.getProblemMark().getLine() + 1, "",
                    "not valid YAML: " + message)));
        }
        JsonLocation at = e.getLocation();
        String message = e.getOriginalMessage();
        if (message != null) {
            int nl = message.indexOf('\n');
            message = nl > 0 ? message.substring(0, nl) : message;
        }
        if (e instanceof JsonParseException && message != null && message.startsWith("Duplicate field")) {
            message = message.replace("Duplicate field", "duplicate key");
        }
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            return new SimConfigException(List.of(new ConfigProblem(source, at == null ? 0 : at.getLineNr(), "",
                    constraint(message))));
        }
        return new SimConfigException(List.of(new ConfigProblem(source, at == null ? 0 : at.getLineNr(), "",
                "not valid YAML: " + message)));
    }
}
