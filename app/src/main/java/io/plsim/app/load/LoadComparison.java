package io.plsim.app.load;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.plsim.app.report.HtmlPage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code plsim load compare}: runs written by {@code plsim load --json} laid side by side, each
 * figure with its ratio to the first run's, as a terminal table and as one page with the latency
 * curves overlaid, so "cross-zone off against on" or "before my change against after" is one
 * picture. A run is only ever compared with runs of the same kind (mode), since a bulk run has no
 * latency and a closed loop's latency is not an open loop's.
 */
public final class LoadComparison {

    /** A file that cannot be compared, and why, with its name. */
    public static final class CompareException extends Exception {
        CompareException(String message) {
            super(message);
        }
    }

    /** One figure of the table: its label, its unit, and each run's value (NaN when a run has none). */
    record Row(String label, String unit, double[] values, boolean lowerIsBetter) {
    }

    /** One run read back, its mode read from it. */
    record Run(String label, Path file, JsonNode json, LoadMode mode) {
    }

    /** The latency percentiles of a report, as the table labels them (the report's keys have {@code _} for {@code .}). */
    private static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p99.9", "p99.99", "max");

    /**
     * The largest figure a report may hold: above any count, rate, size or time a run can have, and so
     * far below the largest double that the table's sums and ratios stay finite.
     */
    private static final double MAX_FIGURE = 1e15;

    private final List<Run> runs;
    private final List<Row> rows;

    private LoadComparison(List<Run> runs) {
        this.runs = runs;
        this.rows = rows(runs);
    }

    /**
     * Reads the runs, labelled by their file names.
     *
     * @throws CompareException naming the file that is missing, not JSON, not a {@code plsim load}
     *                          report (and the field that is not what the report holds there), or of
     *                          another mode than the first
     */
    public static LoadComparison read(List<Path> files) throws CompareException {
        if (files.size() < 2) {
            throw new CompareException("give at least two reports written by plsim load --json");
        }
        ObjectMapper mapper = new ObjectMapper();
        List<Run> runs = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Path f : files) {
            JsonNode json = readJson(mapper, f);
            if (json == null || !json.isObject() || !json.has("mode") || !json.has("requests")
                    || !json.has("elapsed_s")) {
                throw new CompareException(f + ": not a report of plsim load --json (no mode, requests or elapsed_s)");
            }
            LoadMode mode = mode(f, json.get("mode"));
            checkFigures(f, json);
            String name = f.getFileName().toString().replaceFirst("\\.json$", "");
            int n = seen.merge(name, 1, Integer::sum);
            Run run = new Run(n == 1 ? name : name + " (" + n + ")", f, json, mode);
            if (!runs.isEmpty() && run.mode() != runs.get(0).mode()) {
                throw new CompareException(f + ": a " + run.mode().label() + " run cannot be compared with "
                        + runs.get(0).file() + ", a " + runs.get(0).mode().label() + " run");
            }
            runs.add(run);
        }
        return new LoadComparison(runs);
    }

    /** The file's JSON; refused with the file's name when it cannot be read or is not JSON plsim reads. */
    private static JsonNode readJson(ObjectMapper mapper, Path f) throws CompareException {
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CompareException(f + ": no such file");
        } catch (IOException e) {
            throw new CompareException(f + ": cannot read: " + e.getMessage());
        }
        try (JsonParser parser = mapper.createParser(text)) {
            try {
                return mapper.readTree(parser);
            } catch (JsonProcessingException e) {
                // Past the parser's limits (a number of thousands of digits, arrays nested thousands deep)
                // the exception has no location: the parser's own says where it stopped.
                JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
                String field = field(parser.getParsingContext());
                throw new CompareException(f + ": not JSON (line " + at.getLineNr()
                        + (field.isEmpty() ? "" : ", at " + clip(field, 60)) + ": "
                        + e.getOriginalMessage().replaceFirst(", from `[^`]*`\\)", ")") + ")");
            }
        } catch (IOException e) {
            throw new CompareException(f + ": cannot read: " + e.getMessage());
        }
    }

    /** Where the parser is, as {@code requests.errors} or {@code timeline[3].t_s}; empty at the top. */
    private static String field(JsonStreamContext at) {
        java.util.ArrayDeque<JsonStreamContext> chain = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = at; c != null && !c.inRoot(); c = c.getParent()) {
            chain.push(c);
        }
        String field = "";
        for (JsonStreamContext c : chain) {
            if (c.inArray()) {
                field += "[" + Math.max(0, c.getCurrentIndex()) + "]";
            } else if (c.getCurrentName() != null) {
                field = member(field, c.getCurrentName());
            }
        }
        return field;
    }

    /** A member of a field: {@code parent.name}, or {@code parent["name"]} when the name is no identifier. */
    private static String member(String parent, String name) {
        if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return parent.isEmpty() ? name : parent + "." + name;
        }
        return parent + "[" + clip(TextNode.valueOf(name).toString(), 40) + "]";
    }

    private static LoadMode mode(Path f, JsonNode mode) throws CompareException {
        try {
            // A mode that is no string (null, a number) is shown as JSON, and is none of the modes.
            return LoadMode.parse(clip(mode.isTextual() ? mode.asText() : mode.toString(), 40));
        } catch (IllegalArgumentException e) {
            throw new CompareException(f + ": mode: " + e.getMessage());
        }
    }

    /**
     * Refuses a report whose figures are not what {@code plsim load} writes, naming the field: every
     * field the comparison reads as a number is, where present and not null, a number from 0 to
     * {@link #MAX_FIGURE}, and every list or object it reads through is one.
     */
    private static void checkFigures(Path f, JsonNode json) throws CompareException {
        for (String k : List.of("elapsed_s", "connections", "throughput_rps", "connections_opened", "error_ratio")) {
            figure(f, k, json.get(k));
        }
        JsonNode rate = json.get("rate");
        if (rate == null || !rate.isTextual() || !rate.asText().equals("max")) {
            figure(f, "rate", rate);
        }
        figure(f, "requests.errors", object(f, "requests", json.get("requests")).get("errors"));
        JsonNode mb = object(f, "mb_per_s", json.get("mb_per_s"));
        figure(f, "mb_per_s.sent", mb.get("sent"));
        figure(f, "mb_per_s.received", mb.get("received"));
        latencies(f, "latency_us", json.get("latency_us"), PERCENTILES);
        var addresses = object(f, "by_address", json.get("by_address")).fields();
        while (addresses.hasNext()) {
            var e = addresses.next();
            String at = member("by_address", e.getKey());
            JsonNode a = object(f, at, e.getValue());
            figure(f, at + ".connections_opened", a.get("connections_opened"));
            figure(f, at + ".requests_failed", a.get("requests_failed"));
            latencies(f, at + ".latency_us", a.get("latency_us"), List.of("p50", "p99"));
            JsonNode zone = a.get("zone_id");
            if (zone != null && !zone.isNull() && !zone.isTextual()) {
                throw new CompareException(f + ": " + at + ".zone_id: not a zone ID: " + shown(zone));
            }
        }
        JsonNode timeline = array(f, "timeline", json.get("timeline"));
        for (int i = 0; i < timeline.size(); i++) {
            String at = "timeline[" + i + "]";
            JsonNode s = object(f, at, timeline.get(i));
            for (String k : List.of("t_s", "rate", "p99_us", "mb_per_s_sent", "mb_per_s_received")) {
                figure(f, at + "." + k, s.get(k));
            }
        }
        JsonNode curve = array(f, "latency_percentiles_us", json.get("latency_percentiles_us"));
        for (int i = 0; i < curve.size(); i++) {
            String at = "latency_percentiles_us[" + i + "]";
            JsonNode point = array(f, at, curve.get(i));
            if (point.size() != 2) {
                throw new CompareException(f + ": " + at + ": not a [percentile, microseconds] pair: " + shown(point));
            }
            figure(f, at + "[0]", point.get(0));
            figure(f, at + "[1]", point.get(1));
            if (point.get(0).asDouble() > 100) {
                throw new CompareException(f + ": " + at + "[0]: not a percentile (0 to 100): " + shown(point.get(0)));
            }
        }
    }

    private static void latencies(Path f, String at, JsonNode latency, List<String> percentiles) throws CompareException {
        JsonNode l = object(f, at, latency);
        for (String p : percentiles) {
            String key = p.replace('.', '_');
            figure(f, at + "." + key, l.get(key));
        }
    }

    /** A figure, unless absent or null (shown as "-"): a number from 0 to {@link #MAX_FIGURE}. */
    private static void figure(Path f, String field, JsonNode n) throws CompareException {
        if (n == null || n.isNull()) {
            return;
        }
        if (!n.isNumber()) {
            throw new CompareException(f + ": " + field + ": not a number: " + shown(n));
        }
        double v = n.asDouble();
        if (!(v >= 0 && v <= MAX_FIGURE)) {
            throw new CompareException(f + ": " + field + ": " + shown(n) + " is no figure of a run (from 0 to "
                    + MAX_FIGURE + ")");
        }
    }

    /** The object at a field; an empty one when absent or null. */
    private static JsonNode object(Path f, String field, JsonNode n) throws CompareException {
        return shaped(f, field, n, JsonNode::isObject, "an object");
    }

    /** The array at a field; an empty one when absent or null. */
    private static JsonNode array(Path f, String field, JsonNode n) throws CompareException {
        return shaped(f, field, n, JsonNode::isArray, "a list");
    }

    private static JsonNode shaped(Path f, String field, JsonNode n, java.util.function.Predicate<JsonNode> shape,
                                   String what) throws CompareException {
        if (n == null || n.isNull()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        if (!shape.test(n)) {
            throw new CompareException(f + ": " + field + ": not " + what + ": " + shown(n));
        }
        return n;
    }

    /** A value as JSON on one line (a number as read, Infinity included), cut short when long. */
    private static String shown(JsonNode n) {
        return clip(n.isNumber() ? n.asText() : n.toString(), 40);
    }

    private static List<Row> rows(List<Run> runs) {
        boolean bulk = runs.get(0).mode() == LoadMode.BULK;
        List<Row> out = new ArrayList<>();
        if (!bulk) {
            out.add(row(runs, "throughput", "req/s", false, j -> j.path("throughput_rps")));
            for (String p : PERCENTILES) {
                String key = p.replace('.', '_');
                out.add(row(runs, "latency " + p, "ms", true, j -> millis(j.path("latency_us").path(key))));
            }
        }
        out.add(row(runs, "sent", "MB/s", false, j -> j.path("mb_per_s").path("sent")));
        out.add(row(runs, "received", "MB/s", false, j -> j.path("mb_per_s").path("received")));
        out.add(row(runs, "connections opened", "", false, j -> j.path("connections_opened")));
        out.add(row(runs, "errors", "", true, j -> j.path("requests").path("errors")));
        out.add(row(runs, "error ratio", "", true, j -> j.path("error_ratio")));
        // What plsim counted between interfaces and targets in other zones (runs with --api), and what it
        // would cost an hour at that pace: what cross-zone load balancing costs beside what it buys.
        if (runs.stream().anyMatch(r -> r.json().has("cross_zone"))) {
            out.add(row(runs, "cross-zone to targets", "bytes", true, j -> j.path("cross_zone").path("bytes_to_target")));
            out.add(row(runs, "cross-zone to consumers", "bytes", true,
                    j -> j.path("cross_zone").path("bytes_to_consumer")));
            out.add(row(runs, "cross-zone cost", "USD/h", true, j -> j.path("cross_zone").has("cost_usd")
                    ? com.fasterxml.jackson.databind.node.DoubleNode.valueOf(j.path("cross_zone").path("cost_usd")
                            .asDouble() / Math.max(1e-9, j.path("elapsed_s").asDouble()) * 3600)
                    : com.fasterxml.jackson.databind.node.MissingNode.getInstance()));
        }
        // Per zone: what each run's answers through each zone's interface did, by zone ID where the
        // run knew it (--api), else by address.
        java.util.Set<String> zones = new TreeSet<>();
        for (Run r : runs) {
            r.json().path("by_address").fields().forEachRemaining(e -> zones.add(placeOf(e.getKey(), e.getValue())));
        }
        for (String zone : zones) {
            out.add(row(runs, zone + " connections", "", false, j -> sumAt(j, zone, "connections_opened")));
            if (!bulk) {
                out.add(row(runs, zone + " p50", "ms", true, j -> millis(atPlace(j, zone).path("latency_us").path("p50"))));
                out.add(row(runs, zone + " p99", "ms", true, j -> millis(atPlace(j, zone).path("latency_us").path("p99"))));
            }
            out.add(row(runs, zone + " errors", "", true, j -> sumAt(j, zone, "requests_failed")));
        }
        return out;
    }

    /** Where an address of by_address is: its zone ID when the run knew it, else the address. */
    private static String placeOf(String address, JsonNode entry) {
        return entry.hasNonNull("zone_id") ? entry.get("zone_id").asText() : address;
    }

    /** The first by_address entry of a place (a zone has one interface per endpoint; one endpoint is load-tested). */
    private static JsonNode atPlace(JsonNode run, String place) {
        var it = run.path("by_address").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (placeOf(e.getKey(), e.getValue()).equals(place)) {
                return e.getValue();
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static JsonNode sumAt(JsonNode run, String place, String field) {
        long sum = 0;
        boolean any = false;
        var it = run.path("by_address").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (placeOf(e.getKey(), e.getValue()).equals(place) && e.getValue().has(field)) {
                sum += e.getValue().get(field).asLong();
                any = true;
            }
        }
        return any ? com.fasterxml.jackson.databind.node.LongNode.valueOf(sum)
                : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static JsonNode millis(JsonNode micros) {
        return micros.isNumber() ? com.fasterxml.jackson.databind.node.DoubleNode.valueOf(micros.asDouble() / 1000)
                : micros;
    }

    private static Row row(List<Run> runs, String label, String unit, boolean lowerIsBetter,
                           java.util.function.Function<JsonNode, JsonNode> at) {
        double[] v = new double[runs.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode n = at.apply(runs.get(i).json());
            v[i] = n != null && n.isNumber() ? n.asDouble() : Double.NaN;
        }
        return new Row(label, unit, v, lowerIsBetter);
    }

    /**
     * The ratio of a run's value to the first run's, as {@code 1.23x}; "-" when either is missing, the
     * first is 0, or the first is so small against the value that no number says it.
     */
    static String ratio(double value, double first) {
        if (Double.isNaN(value) || Double.isNaN(first)) {
            return "-";
        }
        if (first == 0) {
            return value == 0 ? "1.00x" : "-";
        }
        double r = value / first;
        return Double.isFinite(r) ? String.format(Locale.ROOT, "%.2fx", r) : "-";
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 1 ? "%.3f" : "%.4f", v);
    }

    // ---------------------------------------------------------------- the terminal table

    public void printTable(PrintWriter out) {
        out.println("plsim load compare: ratios are to the first run, " + runs.get(0).label());
        for (Run r : runs) {
            JsonNode j = r.json();
            out.printf(Locale.ROOT, "  %-16s %s, %s %s, %s, %.1f s, started %s%n", r.label(), j.path("target").asText(),
                    j.path("mode").asText(), j.has("rate") ? "at " + j.get("rate").asText() + "/s" : "",
                    j.path("connections").asText() + " connections", j.path("elapsed_s").asDouble(),
                    j.path("started_at").asText());
            if (!reliable(j)) {
                out.println("  " + " ".repeat(16) + " UNRELIABLE: " + j.path("unreliable").path("reason").asText()
                        + "; its latency measures plsim load, so its ratios say little of the target");
            }
        }
        int labelWidth = rows.stream().mapToInt(r -> (r.label() + (r.unit().isEmpty() ? "" : " (" + r.unit() + ")"))
                .length()).max().orElse(10);
        StringBuilder head = new StringBuilder(String.format("  %-" + labelWidth + "s", ""));
        for (int i = 0; i < runs.size(); i++) {
            head.append(String.format(" %14s", clip(runs.get(i).label(), 14)));
            if (i > 0) {
                head.append(String.format(" %8s", "ratio"));
            }
        }
        out.println(head);
        for (Row row : rows) {
            StringBuilder line = new StringBuilder(String.format("  %-" + labelWidth + "s",
                    row.label() + (row.unit().isEmpty() ? "" : " (" + row.unit() + ")")));
            for (int i = 0; i < runs.size(); i++) {
                line.append(String.format(" %14s", number(row.values()[i])));
                if (i > 0) {
                    line.append(String.format(" %8s", ratio(row.values()[i], row.values()[0])));
                }
            }
            out.println(line);
        }
        out.flush();
    }

    /**
     * Whether a report's latency measures its target (see {@link Reliability}); a report written before
     * plsim load judged its own lateness says nothing, and is taken as reliable.
     */
    private static boolean reliable(JsonNode report) {
        return !report.path("reliable").isBoolean() || report.path("reliable").asBoolean();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    // ---------------------------------------------------------------- the page

    public void writeHtml(Path file) throws IOException {
        Files.writeString(file, html(), StandardCharsets.UTF_8);
    }

    String html() {
        StringBuilder b = new StringBuilder(32 * 1024);
        b.append(HtmlPage.head("plsim load compare"));
        b.append("<h1>plsim load compare</h1>\n<table class=\"wide\">\n<tr><th>run</th><th>target</th><th>mode</th><th>rate</th>"
                + "<th>connections</th><th>elapsed (s)</th><th>started</th><th>file</th><th>reliable</th></tr>\n");
        for (Run r : runs) {
            JsonNode j = r.json();
            b.append("<tr><td>").append(HtmlPage.esc(r.label())).append("</td><td class=\"long\">")
                    .append(HtmlPage.esc(j.path("target").asText())).append("</td><td>")
                    .append(HtmlPage.esc(j.path("mode").asText())).append("</td><td>")
                    .append(HtmlPage.esc(j.path("rate").asText("-"))).append("</td><td>")
                    .append(HtmlPage.esc(j.path("connections").asText())).append("</td><td>")
                    .append(number(j.path("elapsed_s").asDouble())).append("</td><td>")
                    .append(HtmlPage.esc(clip(j.path("started_at").asText(), 20))).append("</td><td class=\"long\">")
                    .append(HtmlPage.esc(r.file().toString())).append("</td><td class=\"long\">")
                    .append(reliable(j) ? "yes" : "<span class=\"bad\">UNRELIABLE</span>: "
                            + HtmlPage.esc(j.path("unreliable").path("reason").asText()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Figures</h2>\n<p>Ratios are to the first run, ").append(HtmlPage.esc(runs.get(0).label()))
                .append("; a ratio is marked when it is worse by more than 10%.</p>\n<table>\n<tr><th>figure</th>");
        for (int i = 0; i < runs.size(); i++) {
            b.append("<th>").append(HtmlPage.esc(runs.get(i).label())).append("</th>");
            if (i > 0) {
                b.append("<th>ratio</th>");
            }
        }
        b.append("</tr>\n");
        for (Row row : rows) {
            b.append("<tr><td>").append(HtmlPage.esc(row.label() + (row.unit().isEmpty() ? "" : " (" + row.unit() + ")")))
                    .append("</td>");
            for (int i = 0; i < runs.size(); i++) {
                b.append("<td>").append(number(row.values()[i])).append("</td>");
                if (i > 0) {
                    double v = row.values()[i];
                    double f = row.values()[0];
                    boolean worse = !Double.isNaN(v) && !Double.isNaN(f) && f != 0
                            && (row.lowerIsBetter() ? v > f * 1.1 : v < f / 1.1);
                    b.append(worse ? "<td class=\"bad\">" : "<td>").append(ratio(v, f)).append("</td>");
                }
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        if (runs.get(0).mode() != LoadMode.BULK) {
            b.append("<h2>Latency by percentile</h2>\n").append(percentileChart());
        }
        b.append("<h2>Every second</h2>\n").append(timeChart());
        b.append(HtmlPage.end("plsim load compare"));
        return b.toString();
    }

    /** Each run's latency curve on the "nines" axis, from its full curve when the report has it. */
    private String percentileChart() {
        int nines = 4;
        List<HtmlPage.Series> series = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            JsonNode j = runs.get(i).json();
            List<double[]> pts = new ArrayList<>();
            JsonNode curve = j.path("latency_percentiles_us");
            if (curve.isArray() && curve.size() > 0) {
                for (JsonNode p : curve) {
                    double pct = p.path(0).asDouble();
                    double x = pct >= 100 ? nines : Math.min(nines, Math.log10(100 / (100 - pct)));
                    pts.add(new double[] {x, p.path(1).asDouble() / 1000});
                    if (x >= nines) {
                        break;
                    }
                }
            } else {
                JsonNode l = j.path("latency_us");
                double[][] known = {{50, l.path("p50").asDouble(Double.NaN)}, {90, l.path("p90").asDouble(Double.NaN)},
                    {99, l.path("p99").asDouble(Double.NaN)}, {99.9, l.path("p99_9").asDouble(Double.NaN)},
                    {99.99, l.path("p99_99").asDouble(Double.NaN)}};
                for (double[] k : known) {
                    pts.add(new double[] {Math.log10(100 / (100 - k[0])), k[1] / 1000});
                }
            }
            double[] xs = new double[pts.size()];
            double[] ys = new double[pts.size()];
            for (int k = 0; k < xs.length; k++) {
                xs[k] = pts.get(k)[0];
                ys[k] = pts.get(k)[1];
            }
            series.add(new HtmlPage.Series(runs.get(i).label(), colour(i), i > 0, xs, ys));
        }
        List<Double> ticks = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        String[] names = {"0%", "90%", "99%", "99.9%", "99.99%"};
        for (int k = 0; k <= nines; k++) {
            ticks.add((double) k);
            labels.add(names[k]);
        }
        return HtmlPage.chart("Latency by percentile", "percentile", "latency (ms)", series, 0, nines, ticks, labels,
                List.of());
    }

    /** Each run's p99 (or MB/s for bulk) and answered requests every second, on one time axis. */
    private String timeChart() {
        boolean bulk = runs.get(0).mode() == LoadMode.BULK;
        List<HtmlPage.Series> latency = new ArrayList<>();
        List<HtmlPage.Series> rate = new ArrayList<>();
        double xMax = 1;
        for (int i = 0; i < runs.size(); i++) {
            JsonNode tl = runs.get(i).json().path("timeline");
            double[] xs = new double[tl.size()];
            double[] p99 = new double[tl.size()];
            double[] r = new double[tl.size()];
            for (int k = 0; k < xs.length; k++) {
                JsonNode s = tl.get(k);
                xs[k] = s.path("t_s").asDouble();
                p99[k] = bulk ? s.path("mb_per_s_received").asDouble() : s.path("p99_us").isNumber()
                        ? s.path("p99_us").asDouble() / 1000 : Double.NaN;
                r[k] = bulk ? s.path("mb_per_s_sent").asDouble() : s.path("rate").asDouble();
                xMax = Math.max(xMax, xs[k]);
            }
            latency.add(new HtmlPage.Series(runs.get(i).label() + (bulk ? " received MB/s" : " p99"), colour(i),
                    i > 0, xs, p99));
            rate.add(new HtmlPage.Series(runs.get(i).label() + (bulk ? " sent MB/s" : " answered/s"), colour(i),
                    i > 0, xs, r));
        }
        return HtmlPage.overTime(bulk ? "Received every second" : "p99 latency every second", bulk ? "MB/s" : "ms",
                latency, xMax, List.of())
                + HtmlPage.overTime(bulk ? "Sent every second" : "Answered requests every second",
                bulk ? "MB/s" : "per second", rate, xMax, List.of());
    }

    private static String colour(int i) {
        return HtmlPage.PALETTE.get(i % HtmlPage.PALETTE.size());
    }
}
