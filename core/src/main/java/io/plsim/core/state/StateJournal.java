package io.plsim.core.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.plsim.core.api.QueryApi;
import io.plsim.core.api.QueryResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The state of a running world as the journal of the API changes it took: every EC2 and ELBv2 call that
 * changed something, in the order it was applied, with who made it and when. Replayed in order onto a
 * fresh world of the same sim-config, whose IDs follow from its seed and the order of operations, it
 * gives the same services, endpoints, IDs, states, tags, targets and attributes.
 *
 * <p>One file, {@code state.jsonl} in the state directory: a header naming the sim-config by the SHA-256
 * of its text and holding a random ID of this state, then one JSON line per run (the ports its built-in
 * targets bound) and per change, each line ending in the CRC-32 of its JSON. The lines are a chain: every
 * line after the header holds its own line number and the digest of the line before it, so the order a
 * line was written in is checked, not only its bytes. A change is on disk (forced) before its API call
 * answers, so the file always holds every change a client was told about. A crash can cut only the line
 * being written: a last line that is incomplete or fails its CRC is dropped on the next start, and said;
 * any other damage, a line out of place, missing or from another state, or a header for another
 * sim-config or of another version, refuses the whole state, so nothing is ever half-loaded. The file is
 * created by writing a new file and renaming it into place.
 */
public final class StateJournal implements AutoCloseable {

    public static final String FILE_NAME = "state.jsonl";
    /** Version 2 chains its lines; version 1 did not, so the order of its lines cannot be checked. */
    private static final int VERSION = 2;
    /** Hex digits of the SHA-256 of a line that the next line holds: 128 bits tell lines apart. */
    private static final int DIGEST_HEX = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TARGET_PORT = Pattern.compile("Targets\\.member\\.\\d+\\.Port");
    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]*)</Code>.*?<Message>([^<]*)</Message>",
            Pattern.DOTALL);

    /**
     * A request as it was tried: who, where, when, the form-encoded parameters, and whether the world
     * accepted it (a refused one is replayed too, and must be refused again).
     */
    public record Change(int line, Instant at, String accessKeyId, String region, String service,
                         String parameters, boolean accepted) {

        /** A SigV4 header naming the same caller, region and service; signatures are not checked. */
        public String authorization() {
            return "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/20240101/" + region + "/" + service
                    + "/aws4_request, SignedHeaders=host, Signature=0";
        }

        public String action() {
            for (String pair : parameters.split("&")) {
                if (pair.startsWith("Action=")) {
                    return URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
                }
            }
            return "?";
        }
    }

    /** The start of a run: the ports its built-in targets bound, which the changes after it name. */
    private record Run(List<Integer> builtinPorts) {
    }

    /**
     * A line that passed its CRC: the line number and the digest of the line before it that it was written
     * with (0 and "" when it holds none), and its entry.
     */
    private record Linked(int line, String prev, Object entry) {
    }

    /** The last line of the file: the next line is written as {@code number + 1}, after {@code digest}. */
    private record LastLine(int number, String digest) {

        static LastLine of(int number, String text) {
            return new LastLine(number, sha256(text).substring(0, DIGEST_HEX));
        }
    }

    /** What reading the file found: the entries after the header, and its last line kept. */
    private record Read(List<Object> entries, LastLine last) {
    }

    private final Path file;
    private final List<Object> entries;
    private final List<String> warnings;
    private final FileChannel out;
    /** The line the next one follows; only advanced once a line is on disk. */
    private LastLine last;
    /** Why the state can no longer be written, once a write failed; null while it can. */
    private String broken;

    private StateJournal(Path file, Read read, List<String> warnings, FileChannel out) {
        this.file = file;
        this.entries = read.entries();
        this.last = read.last();
        this.warnings = warnings;
        this.out = out;
    }

    /**
     * Opens the state of {@code dir} for a sim-config: reads what is there, or creates an empty state.
     *
     * @throws StateException naming the file, when it is damaged, for another sim-config, or cannot be used
     */
    public static StateJournal open(Path dir, String configSource, String configText) throws StateException {
        Path file = dir.resolve(FILE_NAME);
        String hash = sha256(configText);
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new StateException("--state " + dir + ": not a directory");
            }
            Files.createDirectories(dir);
            if (!Files.exists(file)) {
                create(dir, file, configSource, hash);
            }
        } catch (java.nio.file.AccessDeniedException e) {
            throw new StateException(file + ": cannot use the state: permission denied (" + e.getFile() + ")");
        } catch (IOException e) {
            throw new StateException(file + ": cannot use the state: " + e.getMessage());
        }
        FileChannel out = null;
        try {
            out = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            java.nio.channels.FileLock lock;
            try {
                lock = out.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new StateException(file + " is in use by another plsim; a state serves one plsim at a time");
            }
            List<String> warnings = new ArrayList<>();
            Read read = read(out, file, configSource, hash, warnings);
            return new StateJournal(file, read, warnings, out);
        } catch (java.nio.file.AccessDeniedException e) {
            closeQuietly(out);
            throw new StateException(file + ": cannot use the state: permission denied");
        } catch (IOException e) {
            closeQuietly(out);
            throw new StateException(file + ": cannot use the state: " + e.getMessage());
        } catch (StateException e) {
            closeQuietly(out);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing with a clearer error
            }
        }
    }

    private static void create(Path dir, Path file, String configSource, String hash) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.put("plsimState", VERSION);
        header.put("configSha256", hash);
        header.put("config", configSource);
        // Its digest is where the first line's chain starts: another state of the same sim-config has
        // another ID, so no line of it follows a line of this one.
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        header.put("state", HexFormat.of().formatHex(id));
        Path fresh = file.resolveSibling(FILE_NAME + ".new");
        try (FileChannel ch = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap((line(header) + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        try {
            Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(fresh, file);
        }
        // The rename is durable once the directory is.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException notOnThisSystem) {
            // some file systems cannot force a directory; the file itself is forced
        }
    }

    private static Read read(FileChannel ch, Path file, String configSource, String hash, List<String> warnings)
            throws IOException, StateException {
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(ch.size()));
        while (all.hasRemaining() && ch.read(all, all.position()) >= 0) {
            // reads the whole file
        }
        byte[] bytes = all.array();
        List<Object> entries = new ArrayList<>();
        LastLine last = null;
        int start = 0;
        int lineNumber = 0;
        long keep = bytes.length;
        String dropped = null;
        while (start < bytes.length) {
            lineNumber++;
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            boolean complete = end < bytes.length;
            String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            Linked linked = complete ? parse(text, lineNumber) : null;
            if (linked == null) {
                boolean lastLine = !complete || end + 1 >= bytes.length;
                if (!lastLine || lineNumber == 1) {
                    throw new StateException(file + " line " + lineNumber + " is damaged; plsim does not start from"
                            + " a damaged state: remove " + file + " to start afresh");
                }
                keep = start;
                dropped = complete
                        ? file + " line " + lineNumber + " is damaged (it is the last line; a crash of the machine can"
                                + " leave one so); it is dropped"
                        : file + " line " + lineNumber + " was cut off (the process stopped while writing it);"
                                + " it is dropped";
                break;
            }
            if (last == null) {
                checkHeader(linked.entry(), file, configSource, hash);
            } else {
                // A line that passed its CRC was written whole: one out of place is no crash's doing,
                // even the last, and is refused rather than dropped.
                checkFollows(linked, last, file);
                entries.add(linked.entry());
            }
            last = LastLine.of(lineNumber, text);
            start = end + 1;
        }
        if (last == null) {
            throw new StateException(file + " is empty: remove it to start afresh");
        }
        if (dropped != null) {
            // Only now that the state is known to be this file's: the line a crash was writing goes.
            ch.truncate(keep);
            ch.force(true);
            warnings.add(dropped);
        }
        return new Read(entries, last);
    }

    private static void checkHeader(Object entry, Path file, String configSource, String hash)
            throws StateException {
        if (!(entry instanceof JsonNode header)) {
            throw new StateException(file + " is not a plsim state (no header line): remove it to start afresh");
        }
        int version = header.path("plsimState").asInt();
        if (version != VERSION) {
            throw new StateException(file + " is a state of version " + header.path("plsimState").asText()
                    + (version < VERSION ? ", written by an earlier plsim" : "") + "; this plsim reads version "
                    + VERSION + ", whose lines are chained so that one out of place is found, and does not"
                    + " convert older ones: run it with the plsim that wrote it, or remove " + file
                    + " to start afresh");
        }
        String written = header.path("configSha256").asText();
        if (!written.equals(hash)) {
            throw new StateException(file + " was written for another sim-config (" + header.path("config").asText()
                    + ", SHA-256 " + abbreviate(written) + "); " + configSource + " has SHA-256 " + abbreviate(hash)
                    + ". A state replays only onto the file it was made with: use that file, or remove " + file
                    + " to start afresh");
        }
    }

    /** Refuses a line that was not written right after {@code last}: moved, one before it removed, or copied. */
    private static void checkFollows(Linked linked, LastLine last, Path file) throws StateException {
        int number = last.number() + 1;
        String where = file + " line " + number;
        String afresh = "; plsim does not start from a state whose lines were moved, removed or added: remove " + file
                + " to start afresh";
        if (linked.line() != number) {
            throw new StateException(where + " is out of place: " + (linked.line() == 0
                    ? "it carries no line number" : "it was written as line " + linked.line()) + afresh);
        }
        if (!linked.prev().equals(last.digest())) {
            throw new StateException(where + " does not follow line " + last.number() + " (it was written after"
                    + " another line: taken from another state, or the line before it was replaced)" + afresh);
        }
    }

    /**
     * A line's entry, with where it was written: a {@link Run} or a {@link Change}; the header as JSON;
     * null if damaged.
     */
    private static Linked parse(String text, int lineNumber) {
        int tab = text.lastIndexOf('\t');
        if (tab < 0) {
            return null;
        }
        String json = text.substring(0, tab);
        if (!text.substring(tab + 1).equals(crc(json))) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(json);
            int line = n.path("line").asInt(0);
            String prev = n.path("prev").asText("");
            if (n.has("plsimState")) {
                return new Linked(line, prev, n);
            }
            if (n.has("builtinPorts")) {
                List<Integer> ports = new ArrayList<>();
                n.get("builtinPorts").forEach(p -> ports.add(p.asInt()));
                return new Linked(line, prev, new Run(ports));
            }
            return new Linked(line, prev, new Change(lineNumber, Instant.parse(n.get("at").asText()),
                    n.get("key").asText(), n.get("region").asText(), n.get("service").asText(),
                    n.get("parameters").asText(), n.path("accepted").asBoolean(true)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** What opening the state found and dealt with, to be said to the user. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** How many changes the state held when it was opened: those {@link #replay} applies. */
    public long changes() {
        return entries.stream().filter(Change.class::isInstance).count();
    }

    public Path file() {
        return file;
    }

    /**
     * Applies every change of the state to {@code api}'s world, in order, each at the time it was first made;
     * a change to a built-in target names it by the port it has bound in this run.
     *
     * @param builtinPorts the ports the world's built-in targets bound in this run, in declaration order
     * @throws StateException naming the line and the refusal, when the world refuses a change it took before
     */
    public void replay(QueryApi api, ReplayClock clock, List<Integer> builtinPorts) throws StateException {
        Map<Integer, Integer> ports = new HashMap<>();
        try {
            for (Object e : entries) {
                if (e instanceof Run earlier) {
                    ports.clear();
                    for (int i = 0; i < earlier.builtinPorts().size() && i < builtinPorts.size(); i++) {
                        ports.put(earlier.builtinPorts().get(i), builtinPorts.get(i));
                    }
                } else if (e instanceof Change c) {
                    clock.show(c.at());
                    QueryResponse r = api.handle(c.authorization(), withPorts(c.parameters(), ports));
                    if (!c.accepted() && r.status() == 200) {
                        throw new StateException(file + " line " + c.line() + " (" + c.action() + ") was refused when"
                                + " it was made and is accepted by this world. The state does not match the"
                                + " sim-config; remove " + file + " to start afresh");
                    }
                    if (c.accepted() && r.status() != 200) {
                        Matcher m = ERROR_CODE.matcher(r.body());
                        String why = m.find() ? m.group(1) + ": " + m.group(2) : "HTTP " + r.status();
                        throw new StateException(file + " line " + c.line() + " (" + c.action() + ") is refused by "
                                + "this world: " + why + ". The state does not match the sim-config; remove " + file
                                + " to start afresh");
                    }
                }
            }
        } finally {
            clock.live();
        }
    }

    private static String withPorts(String parameters, Map<Integer, Integer> ports) {
        if (ports.isEmpty()) {
            return parameters;
        }
        StringBuilder b = new StringBuilder();
        for (String pair : parameters.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            if (eq > 0 && TARGET_PORT.matcher(key).matches()) {
                try {
                    Integer now = ports.get(Integer.parseInt(pair.substring(eq + 1)));
                    if (now != null) {
                        pair = pair.substring(0, eq + 1) + now;
                    }
                } catch (NumberFormatException ignored) {
                    // not a port of a built-in target: replayed as it was
                }
            }
            b.append(b.length() == 0 ? "" : "&").append(pair);
        }
        return b.toString();
    }

    /** Starts this run's part of the state: the ports its built-in targets bound, which later changes name. */
    public void startRun(List<Integer> builtinPorts) {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("builtinPorts").addAll(builtinPorts.stream().map(p -> JSON.getNodeFactory().numberNode(p)).toList());
        append(n);
    }

    /**
     * What records the changes of a world whose clock is {@code clock}: while a change is tried the clock
     * stands still, so the time the world gives the change (a creation time) is the one recorded, and
     * replayed.
     */
    public QueryApi.ChangeRecorder recorder(ReplayClock clock) {
        return new QueryApi.ChangeRecorder() {
            private Instant at;

            @Override
            public void begin() {
                String why = broken();
                if (why != null) {
                    throw new IllegalStateException(why + "; restart plsim once the state can be written");
                }
                at = Instant.now();
                clock.show(at);
            }

            @Override
            public void changed(String accessKeyId, String region, String service, String parameters,
                                boolean accepted) {
                record(at, accessKeyId, region, service, parameters, accepted);
            }

            @Override
            public void end() {
                clock.live();
            }
        };
    }

    /**
     * Records a change the world has just taken at {@code at}, durably, before its caller is answered.
     *
     * @throws UncheckedIOException when the state cannot be written
     */
    public void record(Instant at, String accessKeyId, String region, String service, String parameters,
                       boolean accepted) {
        ObjectNode n = JSON.createObjectNode();
        n.put("at", at.toString());
        n.put("key", accessKeyId);
        n.put("region", region);
        n.put("service", service);
        n.put("parameters", parameters);
        n.put("accepted", accepted);
        append(n);
    }

    /** Why the state can no longer be written, or null while it can. */
    public synchronized String broken() {
        return broken;
    }

    /**
     * Appends one line, chained after the last, and forces it to disk. A write that fails is taken back (the
     * file cut to where it was), and from then on the state takes nothing more: a later change that depended
     * on the lost one would not replay.
     */
    private synchronized void append(ObjectNode n) {
        if (broken != null) {
            throw new UncheckedIOException(new IOException(broken));
        }
        ObjectNode linked = JSON.createObjectNode();
        linked.put("line", last.number() + 1);
        linked.put("prev", last.digest());
        linked.setAll(n);
        String text = line(linked);
        long before = -1;
        try {
            before = out.size();
            ByteBuffer bytes = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
            long at = before;
            while (bytes.hasRemaining()) {
                at += out.write(bytes, at);
            }
            out.force(false);
            last = LastLine.of(last.number() + 1, text);
        } catch (IOException e) {
            broken = file + ": cannot write the state: " + e.getMessage();
            try {
                if (before >= 0) {
                    out.truncate(before);
                }
            } catch (IOException ignored) {
                // the next start drops a cut-off last line anyway
            }
            throw new UncheckedIOException(broken, e);
        }
    }

    /** A line's text, without its newline: the JSON and its CRC. */
    private static String line(ObjectNode n) {
        String json = n.toString();
        return json + "\t" + crc(json);
    }

    private static String crc(String json) {
        CRC32 c = new CRC32();
        c.update(json.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", c.getValue());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // closing at shutdown: every change was forced when it was made
        }
    }
}
