package io.plsim.dataplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened in a run, timestamped: state changes of the control plane, health transitions,
 * and whatever else a part records. Keeps the latest {@link #CAPACITY} in memory for the admin API
 * and, when given a file, appends every event to it as one line of JSON.
 */
public final class EventLog implements AutoCloseable {

    public static final int CAPACITY = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    /** One event: when, what kind, and its fields in order. */
    public record Event(Instant at, String kind, Map<String, String> fields) {
        public Event {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        public String toJson() {
            ObjectNode n = JSON.createObjectNode();
            n.put("time", at.truncatedTo(ChronoUnit.MILLIS).toString());
            n.put("kind", kind);
            fields.forEach(n::put);
            return n.toString();
        }
    }

    private final Clock clock;
    private final ArrayDeque<Event> recent = new ArrayDeque<>();
    private final BufferedWriter file;
    private long count;

    public EventLog(Clock clock) {
        this.clock = clock;
        this.file = null;
    }

    /** An event log that also appends every event, as JSON lines, to {@code path}. */
    public EventLog(Clock clock, Path path) throws IOException {
        this.clock = clock;
        this.file = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** Records an event; {@code keyValues} alternate names and values. */
    public void record(String kind, String... keyValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            fields.put(keyValues[i], keyValues[i + 1]);
        }
        Event e = new Event(clock.instant(), kind, fields);
        synchronized (recent) {
            if (recent.size() == CAPACITY) {
                recent.removeFirst();
            }
            recent.addLast(e);
            count++;
            if (file != null) {
                try {
                    file.write(e.toJson());
                    file.newLine();
                    file.flush();
                } catch (IOException ex) {
                    LOG.log(System.Logger.Level.WARNING, "cannot append to the event log: " + ex.getMessage());
                }
            }
        }
    }

    /** The latest events, oldest first, at most {@code limit}. */
    public List<Event> recent(int limit) {
        synchronized (recent) {
            List<Event> all = List.copyOf(recent);
            return all.subList(Math.max(0, all.size() - limit), all.size());
        }
    }

    public long count() {
        synchronized (recent) {
            return count;
        }
    }

    @Override
    public void close() {
        if (file != null) {
            synchronized (recent) {
                try {
                    file.close();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot close the event log: " + e.getMessage());
                }
            }
        }
    }
}
