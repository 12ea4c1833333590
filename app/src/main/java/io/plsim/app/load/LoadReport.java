package io.plsim.app.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * What a load run measured, and its renderings: the table printed at the end, the HdrHistogram
 * percentile distribution ({@code --hgrm}), a JSON summary ({@code --json}) and a self-contained
 * HTML report ({@code --html}). Latencies are held in nanoseconds.
 */
public final class LoadReport {

    /**
     * One live line: the second that just ended.
     *
     * @param byAddress when the target is a name, each address's part of the second, by {@code ip:port}
     */
    public record Sample(double elapsedSeconds, double ratePerSecond, double p50Micros, double p99Micros,
                         long errors, int open, double mbPerSecondSent, double mbPerSecondReceived, double maxMicros,
                         Map<String, AddressSample> byAddress) {
    }

    /** One address's part of a second: answered requests a second, their latency, failed requests since the start. */
    public record AddressSample(double ratePerSecond, double p50Micros, double p99Micros, double maxMicros,
                                long errors) {
    }

    /** The percentiles the table, JSON and HTML report show. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9", "p99.99"};

    private final LoadSpec spec;
    private final Instant startedAt;
    private final long elapsedNanos;
    private final boolean cutShort;
    private final long planned;
    private final long issued;
    private final long sent;
    private final long ok;
    private final long connections;
    private final long bytesSent;
    private final long bytesReceived;
    private final Map<ErrorKind, Long> errors;
    private final Histogram latency;
    private final Histogram service;
    private final List<Sample> timeline;
    private final long maxLagNanos;
    private final Histogram lateness;
    private final Reliability reliability;
    private final CpuUse cpu;
    private final Map<String, TargetAddresses.Counts> byAddress;
    private final Map<String, Histogram> latencyByAddress;
    private final long resolutions;
    private final long resolutionFailures;
    private final Map<String, InterfaceDirectory.Interface> interfaces;
    /** What the plsim asked counted across zones during the run; null when there was none to ask. */
    private final InterfaceDirectory.CrossZone crossZone;

    LoadReport(LoadSpec spec, Instant startedAt, long elapsedNanos, boolean cutShort, long planned, long issued,
               long sent, long ok, long connections, long bytesSent, long bytesReceived, Map<ErrorKind, Long> errors,
               Histogram latency, Histogram service, List<Sample> timeline, long maxLagNanos,
               Histogram lateness, Reliability reliability, CpuUse cpu,
               Map<String, TargetAddresses.Counts> byAddress, Map<String, Histogram> latencyByAddress,
               long resolutions, long resolutionFailures,
               Map<String, InterfaceDirectory.Interface> interfaces, InterfaceDirectory.CrossZone crossZone) {
        this.spec = spec;
        this.startedAt = startedAt;
        this.elapsedNanos = Math.max(1, elapsedNanos);
        this.cutShort = cutShort;
        this.planned = planned;
        this.issued = issued;
        this.sent = sent;
        this.ok = ok;
        this.connections = connections;
        this.bytesSent = bytesSent;
        this.bytesReceived = bytesReceived;
        this.errors = Collections.unmodifiableMap(new EnumMap<>(errors));
        this.latency = latency;
        this.service = service;
        this.timeline = List.copyOf(timeline);
        this.maxLagNanos = maxLagNanos;
        this.lateness = lateness;
        this.reliability = reliability;
        this.cpu = cpu;
        this.byAddress = Map.copyOf(byAddress);
        this.latencyByAddress = Map.copyOf(latencyByAddress);
        this.resolutions = resolutions;
        this.resolutionFailures = resolutionFailures;
        this.interfaces = Map.copyOf(interfaces);
        this.crossZone = crossZone;
    }

    /** What the plsim asked counted across zones while the run lasted, when there was one to ask. */
    java.util.Optional<InterfaceDirectory.CrossZone> crossZone() {
        return java.util.Optional.ofNullable(crossZone);
    }

    /** The cross-zone line: bytes each way and their cost. */
    static String crossZoneText(InterfaceDirectory.CrossZone c) {
        return io.plsim.dataplane.CrossZoneTraffic.describe(c.bytesToTarget(), c.bytesToConsumer(), c.pricePerGb());
    }

    /** The latency of an address's answered requests, when the target is a name; null otherwise. */
    Histogram latencyOf(String address) {
        return latencyByAddress.get(address);
    }

    /** The endpoint interface an address ({@code ip:port}) is, when the plsim asked knows it. */
    java.util.Optional<InterfaceDirectory.Interface> interfaceOf(String address) {
        return java.util.Optional.ofNullable(interfaces.get(address.substring(0, address.lastIndexOf(':'))));
    }

    /**
     * Per address connected to ({@code ip:port}, in address order): connections opened and those that could
     * not be. A target given by name spreads over every address its DNS answers.
     */
    public Map<String, TargetAddresses.Counts> byAddress() {
        return new java.util.TreeMap<>(byAddress);
    }

    /**
     * Open loop: the most plsim load itself sent a request after its intended time (its timer's
     * slack, or a generator that cannot keep up). It counts in the latency, as it should; a large
     * value means the figures measure the generator rather than the target.
     */
    public long maxLagNanos() {
        return maxLagNanos;
    }

    /**
     * Open loop: how long after its intended time each request was handed to its connection, in
     * nanoseconds (empty for a closed loop).
     */
    public Histogram lateness() {
        return lateness;
    }

    /**
     * The CPU time plsim load's process spent over the measured run (warm-up and start-up excluded), in
     * nanoseconds: the cost of its work at a fixed rate, which a ratio to another generator's can be.
     */
    public long cpuNanos() {
        return cpu.processNanos();
    }

    /** Whether the latency measures the target rather than plsim load; see {@link Reliability}. */
    public Reliability reliability() {
        return reliability;
    }

    public LoadSpec spec() {
        return spec;
    }

    /** Requests answered (bulk: connections that streamed to the end). */
    public long ok() {
        return ok;
    }

    /** Requests sent on a connection (bulk: 0). */
    public long sent() {
        return sent;
    }

    /** Connections opened. */
    public long connections() {
        return connections;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /** Failures by kind, only the kinds that occurred. */
    public Map<ErrorKind, Long> errors() {
        return errors;
    }

    public long errorTotal() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Errors over everything resolved; 0 when nothing was. */
    public double errorRatio() {
        long all = ok + errorTotal();
        return all == 0 ? 0 : (double) errorTotal() / all;
    }

    /** Exit code of an error ratio above {@code --max-error-ratio}. */
    public static final int EXIT_ERRORS = 1;
    /** Exit code of a run whose latency measures plsim load itself ({@link Reliability}), unless late runs are allowed. */
    public static final int EXIT_UNRELIABLE = 3;

    /**
     * {@link #EXIT_ERRORS} when the error ratio passes {@code --max-error-ratio}; else {@link #EXIT_UNRELIABLE}
     * when the run is unreliable and the spec does not allow late runs; else 0.
     */
    public int exitCode() {
        if (!errorsWithinLimit()) {
            return EXIT_ERRORS;
        }
        return reliability.reliable() || spec.allowLate() ? 0 : EXIT_UNRELIABLE;
    }

    /** Whether the error ratio is within {@code --max-error-ratio}. */
    public boolean errorsWithinLimit() {
        return errorRatio() <= spec.maxErrorRatio();
    }

    private double cpuPerRequestMicros() {
        return ok == 0 ? Double.NaN : cpu.processNanos() / 1e3 / ok;
    }

    private double loopCpuPerRequestMicros() {
        return ok == 0 ? Double.NaN : cpu.loopNanos() / 1e3 / ok;
    }

    /** Latency from each request's intended send time, in nanoseconds. */
    public Histogram latency() {
        return latency;
    }

    /** Service time, from the moment each request was actually written, in nanoseconds. */
    public Histogram serviceTime() {
        return service;
    }

    public double elapsedSeconds() {
        return elapsedNanos / 1e9;
    }

    public double requestsPerSecond() {
        return ok / elapsedSeconds();
    }

    public double mbPerSecondSent() {
        return bytesSent / 1e6 / elapsedSeconds();
    }

    public double mbPerSecondReceived() {
        return bytesReceived / 1e6 / elapsedSeconds();
    }

    public List<Sample> timeline() {
        return timeline;
    }

    public boolean cutShort() {
        return cutShort;
    }

    // ---- the table ----

    public void printTable(PrintWriter out) {
        boolean bulk = spec.mode() == LoadMode.BULK;
        out.println();
        out.println("plsim load " + spec.target().text() + "  (" + spec.target().addressText() + ", "
                + spec.target().resolved() + ")");
        out.println("  " + spec.describe());
        out.println();
        row(out, "elapsed", String.format(Locale.ROOT, "%.3f s%s", elapsedSeconds(),
                cutShort ? "  (stopped at the hard deadline; what was outstanding counts as timeout)" : ""));
        if (bulk) {
            row(out, "connections", ok + " ok, " + errorTotal() + " failed");
            row(out, "sent", String.format(Locale.ROOT, "%.1f MB  %.1f MB/s", bytesSent / 1e6, mbPerSecondSent()));
            row(out, "received", String.format(Locale.ROOT, "%.1f MB  %.1f MB/s", bytesReceived / 1e6,
                    mbPerSecondReceived()));
            row(out, "error ratio", String.format(Locale.ROOT, "%.4f (max %.4f)", errorRatio(), spec.maxErrorRatio()));
        } else {
            String plannedText = spec.openLoop() ? planned + " planned, " : "";
            row(out, "requests", plannedText + sent + " sent, " + ok + " ok, " + errorTotal() + " errors"
                    + String.format(Locale.ROOT, " (error ratio %.4f, max %.4f)", errorRatio(), spec.maxErrorRatio()));
            row(out, "throughput", String.format(Locale.ROOT, "%.1f req/s", requestsPerSecond()));
            row(out, "connections", connections + " opened");
            row(out, "bytes", String.format(Locale.ROOT, "%s sent, %s received", Units.formatSize(bytesSent),
                    Units.formatSize(bytesReceived)));
            if (cpu.processNanos() > 0) {
                row(out, "cpu", String.format(Locale.ROOT, "%.3f cores, %.1f us per answered request (plsim load's"
                        + " process over the run)", cpu.processNanos() / 1e9 / elapsedSeconds(), cpuPerRequestMicros()));
            }
            if (cpu.loopNanos() > 0) {
                row(out, "", String.format(Locale.ROOT, "%.3f cores, %.1f us per answered request in its event loops;"
                        + " the rest is the JVM's own (its JIT compilers worked %d ms)",
                        cpu.loopNanos() / 1e9 / elapsedSeconds(), loopCpuPerRequestMicros(), cpu.jitMillis()));
            }
            if (spec.openLoop() && lateness.getTotalCount() > 0) {
                row(out, "lateness", String.format(Locale.ROOT, "p50 %.3f ms  p99 %.3f ms  max %.3f ms (plsim load's"
                        + " own: hand-over after the intended send, counted in the latency; %s)",
                        lateness.getValueAtPercentile(50) / 1e6, lateness.getValueAtPercentile(99) / 1e6,
                        lateness.getMaxValue() / 1e6, reliability.reliable()
                                ? String.format(Locale.ROOT, "within %.3f ms", reliability.thresholdNanos() / 1e6)
                                : "UNRELIABLE"));
            }
            out.println();
            String[] cols = columns();
            boolean two = cols[1] != null;
            out.println(two ? String.format(Locale.ROOT, "  %-12s %22s %22s", "latency", cols[0], cols[1])
                    : String.format(Locale.ROOT, "  %-12s %22s", "latency", cols[0]));
            for (int i = 0; i < PERCENTILES.length; i++) {
                latencyRow(out, PERCENTILE_NAMES[i], percentile(latency, PERCENTILES[i]),
                        two ? percentile(service, PERCENTILES[i]) : Double.NaN, two);
            }
            latencyRow(out, "max", latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue(),
                    service.getTotalCount() == 0 ? Double.NaN : service.getMaxValue(), two);
            latencyRow(out, "mean", latency.getTotalCount() == 0 ? Double.NaN : latency.getMean(),
                    service.getTotalCount() == 0 ? Double.NaN : service.getMean(), two);
        }
        out.println();
        if (!reliability.reliable()) {
            out.println("  UNRELIABLE: " + reliability.reason() + ". The latency above measures plsim load, not the"
                    + " target: lower --rate, give it more cores, or pass --allow-late to exit 0 anyway.");
            out.println();
        }
        if (spec.target().dns() != null || byAddress.size() > 1) {
            boolean first = true;
            for (Map.Entry<String, TargetAddresses.Counts> e : byAddress().entrySet()) {
                Histogram h = latencyOf(e.getKey());
                String latencyText = h == null || h.getTotalCount() == 0 || spec.mode() == LoadMode.BULK ? ""
                        : String.format(Locale.ROOT, "  p50 %.3f ms  p99 %.3f ms", h.getValueAtPercentile(50) / 1e6,
                        h.getValueAtPercentile(99) / 1e6);
                row(out, first ? "by address" : "", String.format(Locale.ROOT,
                        "%-21s %8d opened %6d failed %6d errors%s  %s", e.getKey(), e.getValue().opened(),
                        e.getValue().failed(), e.getValue().errors(), latencyText,
                        interfaceOf(e.getKey()).map(InterfaceDirectory.Interface::label).orElse("")).stripTrailing());
                first = false;
            }
            if (spec.target().dns() != null) {
                row(out, "dns", resolutions + " answers of " + spec.target().host()
                        + (resolutionFailures > 0 ? ", " + resolutionFailures + " lookups failed (the last answer kept)" : "")
                        + ", every " + Units.format(spec.dnsTtl()));
            }
            out.println();
        }
        if (crossZone != null) {
            row(out, "cross-zone", crossZoneText(crossZone));
            out.println();
        }
        if (errors.isEmpty()) {
            row(out, "errors", "none");
        } else {
            boolean first = true;
            for (Map.Entry<ErrorKind, Long> e : errors.entrySet()) {
                row(out, first ? "errors" : "", String.format(Locale.ROOT, "%-16s %8d  %s", e.getKey().label(),
                        e.getValue(), e.getKey().description()));
                first = false;
            }
        }
        out.flush();
    }

    private static void row(PrintWriter out, String name, String value) {
        out.println(String.format(Locale.ROOT, "  %-12s %s", name, value));
    }

    private static void latencyRow(PrintWriter out, String name, double nanos, double serviceNanos, boolean two) {
        if (two) {
            out.println(String.format(Locale.ROOT, "  %-12s %19s ms %19s ms", name, ms(nanos), ms(serviceNanos)));
        } else {
            out.println(String.format(Locale.ROOT, "  %-12s %19s ms", name, ms(nanos)));
        }
    }

    /**
     * What the two latency columns count from: the intended send time and the actual one (open loop),
     * the start of the connect and the send (churn as fast as possible), or only the send (closed
     * loop, where the second would be the same; the second is then {@code null}).
     */
    String[] columns() {
        if (spec.openLoop()) {
            return new String[] {"from intended send", "from actual send"};
        }
        if (spec.mode() == LoadMode.CHURN) {
            return new String[] {"from connect start", "from send"};
        }
        return new String[] {"from send", null};
    }

    private static String ms(double nanos) {
        return Double.isNaN(nanos) ? "-" : String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    static double percentile(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p);
    }

    // ---- files ----

    /** HdrHistogram's percentile distribution of the latency from intended send time, in microseconds. */
    public void writeHgrm(Path file) throws IOException {
        try (PrintStream ps = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            latency.outputPercentileDistribution(ps, 5, 1000.0);
        }
    }

    public void writeJson(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(file, mapper.writeValueAsString(toJson(mapper)) + "\n", StandardCharsets.UTF_8);
    }

    public void writeHtml(Path file) throws IOException {
        Files.writeString(file, HtmlReport.render(this), StandardCharsets.UTF_8);
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("target", spec.target().text());
        root.put("address", spec.target().addressText());
        root.put("resolved", spec.target().resolved());
        root.put("mode", spec.mode().label());
        if (spec.mode() == LoadMode.RR || spec.mode() == LoadMode.CHURN) {
            if (spec.rate() > 0) {
                root.put("rate", spec.rate());
            } else {
                root.put("rate", "max");
            }
        }
        root.put("connections", spec.connections());
        root.put("duration_s", spec.duration().toNanos() / 1e9);
        if (spec.requests() > 0) {
            root.put("requests_limit", spec.requests());
        }
        if (spec.mode() == LoadMode.BULK) {
            root.put("bytes_per_connection", spec.bytesPerConnection());
        } else if (spec.http()) {
            root.put("http_path", spec.httpPath());
        } else {
            root.put("payload_bytes", spec.payloadSize());
        }
        root.put("proxy_header", spec.proxyV2() ? "v2" : "none");
        root.put("transport", spec.transport().name());
        root.put("started_at", startedAt.toString());
        root.put("elapsed_s", round(elapsedSeconds(), 6));
        root.put("cut_short", cutShort);
        ObjectNode req = root.putObject("requests");
        if (spec.mode() != LoadMode.BULK) {
            if (spec.openLoop()) {
                req.put("planned", planned);
            }
            req.put("issued", issued);
            req.put("sent", sent);
        }
        req.put("ok", ok);
        req.put("errors", errorTotal());
        root.put("connections_opened", connections);
        if (spec.openLoop()) {
            root.put("timetable_lag_max_us", round(maxLagNanos / 1000.0, 3));
            root.set("lateness_us", histogramJson(mapper, lateness));
        }
        ObjectNode cpuJson = root.putObject("cpu");
        cpuJson.put("process_s", round(cpu.processNanos() / 1e9, 6));
        cpuJson.put("cores", round(cpu.processNanos() / 1e9 / elapsedSeconds(), 4));
        if (ok > 0) {
            cpuJson.put("per_request_us", round(cpuPerRequestMicros(), 3));
        }
        cpuJson.put("event_loops_s", round(cpu.loopNanos() / 1e9, 6));
        cpuJson.put("event_loop_cores", round(cpu.loopNanos() / 1e9 / elapsedSeconds(), 4));
        if (ok > 0) {
            cpuJson.put("event_loop_per_request_us", round(loopCpuPerRequestMicros(), 3));
        }
        cpuJson.put("jit_ms", cpu.jitMillis());
        root.put("reliable", reliability.reliable());
        if (!reliability.reliable()) {
            ObjectNode why = root.putObject("unreliable");
            why.put("reason", reliability.reason());
            why.put("threshold_us", round(reliability.thresholdNanos() / 1000.0, 3));
            ArrayNode causes = why.putArray("causes");
            reliability.causes().forEach(c -> causes.add(c.label()));
        }
        if (spec.mode() != LoadMode.BULK) {
            root.put("throughput_rps", round(requestsPerSecond(), 3));
            root.set("latency_us", histogramJson(mapper, latency));
            // The whole curve, for plsim load compare to overlay runs: [percentile, microseconds].
            ArrayNode curve = root.putArray("latency_percentiles_us");
            if (latency.getTotalCount() > 0) {
                for (HistogramIterationValue v : latency.percentiles(5)) {
                    curve.addArray().add(round(v.getPercentileLevelIteratedTo(), 6))
                            .add(round(v.getValueIteratedTo() / 1000.0, 3));
                }
            }
            root.set("service_time_us", histogramJson(mapper, service));
        }
        ObjectNode bytes = root.putObject("bytes");
        ObjectNode addresses = root.putObject("by_address");
        byAddress().forEach((a, c) -> {
            ObjectNode one = addresses.putObject(a);
            one.put("connections_opened", c.opened());
            one.put("connections_failed", c.failed());
            one.put("requests_failed", c.errors());
            Histogram h = latencyOf(a);
            if (h != null && spec.mode() != LoadMode.BULK) {
                one.set("latency_us", histogramJson(mapper, h));
            }
            interfaceOf(a).ifPresent(i -> {
                one.put("zone", i.zoneName());
                one.put("zone_id", i.zoneId());
                one.put("network_interface_id", i.networkInterfaceId());
                one.put("endpoint", i.endpointId());
            });
        });
        if (spec.target().dns() != null) {
            ObjectNode dnsNode = root.putObject("dns");
            dnsNode.put("name", spec.target().host());
            dnsNode.put("ttl_s", spec.dnsTtl().toNanos() / 1e9);
            dnsNode.put("answers", resolutions);
            dnsNode.put("failed_lookups", resolutionFailures);
        }
        bytes.put("sent", bytesSent);
        bytes.put("received", bytesReceived);
        if (crossZone != null) {
            ObjectNode cz = root.putObject("cross_zone");
            cz.put("bytes_to_target", crossZone.bytesToTarget());
            cz.put("bytes_to_consumer", crossZone.bytesToConsumer());
            cz.put("price_usd_per_gb", crossZone.pricePerGb());
            cz.put("cost_usd", crossZone.cost());
        }
        ObjectNode mb = root.putObject("mb_per_s");
        mb.put("sent", round(mbPerSecondSent(), 3));
        mb.put("received", round(mbPerSecondReceived(), 3));
        ObjectNode err = root.putObject("errors");
        errors.forEach((k, v) -> err.put(k.label(), v));
        root.put("error_ratio", round(errorRatio(), 6));
        root.put("max_error_ratio", spec.maxErrorRatio());
        root.put("exit_code", exitCode());
        ArrayNode tl = root.putArray("timeline");
        for (Sample s : timeline) {
            ObjectNode o = tl.addObject();
            o.put("t_s", round(s.elapsedSeconds(), 3));
            if (spec.mode() == LoadMode.BULK) {
                o.put("mb_per_s_sent", round(s.mbPerSecondSent(), 3));
                o.put("mb_per_s_received", round(s.mbPerSecondReceived(), 3));
            } else {
                o.put("rate", round(s.ratePerSecond(), 1));
                putMaybe(o, "p50_us", s.p50Micros());
                putMaybe(o, "p99_us", s.p99Micros());
                putMaybe(o, "max_us", s.maxMicros());
            }
            o.put("errors", s.errors());
            o.put("open", s.open());
            if (!s.byAddress().isEmpty()) {
                ObjectNode by = o.putObject("by_address");
                s.byAddress().forEach((a, x) -> {
                    ObjectNode one = by.putObject(a);
                    one.put("rate", round(x.ratePerSecond(), 1));
                    putMaybe(one, "p50_us", x.p50Micros());
                    putMaybe(one, "p99_us", x.p99Micros());
                    putMaybe(one, "max_us", x.maxMicros());
                    one.put("errors", x.errors());
                });
            }
        }
        return root;
    }

    private static ObjectNode histogramJson(ObjectMapper mapper, Histogram h) {
        ObjectNode o = mapper.createObjectNode();
        o.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return o;
        }
        o.put("mean", round(h.getMean() / 1000.0, 3));
        for (int i = 0; i < PERCENTILES.length; i++) {
            o.put(PERCENTILE_NAMES[i].replace('.', '_'), round(h.getValueAtPercentile(PERCENTILES[i]) / 1000.0, 3));
        }
        o.put("max", round(h.getMaxValue() / 1000.0, 3));
        return o;
    }

    private static void putMaybe(ObjectNode o, String name, double v) {
        if (Double.isNaN(v)) {
            o.putNull(name);
        } else {
            o.put(name, round(v, 3));
        }
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    Instant startedAt() {
        return startedAt;
    }

    long planned() {
        return planned;
    }

    /** Rows of (percentile name, latency ns, service ns) for the HTML table. */
    List<double[]> percentileRows() {
        List<double[]> rows = new ArrayList<>();
        for (double p : PERCENTILES) {
            rows.add(new double[] {p, percentile(latency, p), percentile(service, p)});
        }
        return rows;
    }
}
