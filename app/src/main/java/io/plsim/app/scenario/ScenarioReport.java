package io.plsim.app.scenario;

import io.plsim.core.model.Fault;
import io.plsim.core.model.Scenario;
import io.plsim.dataplane.CrossZoneTraffic;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.FlowObserver;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What one variant of a scenario showed: every request (when, how long, through which zone's
 * interface to which target, how it ended), the share of new flows each zone's targets received,
 * what the regional DNS names answered, and when each fault was in force. From these it answers,
 * per traffic mode, per second and per zone, the requests, errors by kind and latency; for each
 * fault, the figures inside its window against the seconds before it, and the failures it is
 * blamed for.
 *
 * <p>A failed request is blamed on a fault only when the fault was in force at some time during
 * the request (from its start to its failure; or the request started within {@link #AFTERMATH_NANOS}
 * of the fault's end, which a reset sent in the fault's last moments reaches) and the fault's scope
 * covers the request: its zone
 * is the zone of the interface the request went through or of the target it reached; its endpoint,
 * interface, node and target are the request's. A request whose target is not known (it was
 * refused before a target was chosen) is not blamed on a fault that names a target or node it
 * cannot be shown to have reached. A failure no fault covers is blamed on none, and said so.
 */
public final class ScenarioReport {

    /**
     * How often the world (DNS answers, targets' health) is read during a run: DNS change times are known
     * to this, so they are printed to a tenth of a second.
     */
    static final long SAMPLE_MILLIS = 100;
    /**
     * A fault's aftermath, one sample long: a reset it sent while in force can reach a client that has
     * already sent its next request on the connection, a request that starts after the fault's end.
     */
    static final long AFTERMATH_NANOS = SAMPLE_MILLIS * 1_000_000L;

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final String source;
    private final Scenario.Variant variant;
    private final Scenario scenario;
    private final Scenario.Traffic traffic;
    private final List<String> zones;
    private final List<String> notes = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<DnsChange> dnsChanges = new ArrayList<>();
    private final Map<String, List<String>> serving = new LinkedHashMap<>();
    private final Map<Integer, Map<String, Long>> flowsAtSecond = new TreeMap<>();
    private final Map<Integer, String> dnsAtSecond = new TreeMap<>();
    private final Map<Integer, long[]> faultTimes = new TreeMap<>();
    private final Map<Scenario.Mode, Long> skipped = new TreeMap<>();
    private long finishedNanos;
    /**
     * The data plane's cross-zone bytes (to targets, to consumers) at the first sample and the last: the
     * variant's part is their difference, the variants of a file sharing one data plane.
     */
    private long[] crossZoneAtStart;
    private long[] crossZoneNow;
    private double crossZonePricePerGb;

    /**
     * One request of the built-in client.
     *
     * @param startNanos since the traffic started
     * @param nanos      to its answer, or to its failure
     * @param zoneId     the zone of the interface it went through (null when DNS gave no address)
     * @param placement  where the data plane sent its connection, or null when that is not known
     */
    record Request(Scenario.Mode mode, long startNanos, long nanos, String endpointId, String zoneId,
                   String interfaceIp, FlowObserver.Placement placement, ScenarioClient.Outcome outcome) {

        boolean ok() {
            return outcome == ScenarioClient.Outcome.OK;
        }

        long endNanos() {
            return startNanos + nanos;
        }

        int second() {
            return (int) (startNanos / SECOND);
        }
    }

    record DnsChange(long atNanos, String endpointId, List<String> before, List<String> after) {
    }

    /**
     * Requests, errors by kind and the latency of the answered ones, in milliseconds (NaN when
     * none was answered).
     */
    public record Figures(int requests, int errors, Map<String, Integer> errorsByKind, double p50Millis,
                          double p99Millis, double maxMillis) {

        static Figures of(List<Request> rs) {
            Map<String, Integer> kinds = new TreeMap<>();
            long[] answered = rs.stream().filter(Request::ok).mapToLong(Request::nanos).sorted().toArray();
            rs.stream().filter(r -> !r.ok()).forEach(r -> kinds.merge(r.outcome().label(), 1, Integer::sum));
            return new Figures(rs.size(), rs.size() - answered.length, kinds, percentile(answered, 50),
                    percentile(answered, 99), answered.length == 0 ? Double.NaN : answered[answered.length - 1] / 1e6);
        }

        /** The nearest-rank percentile, as HdrHistogram and most load tools report it. */
        private static double percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
        }

        String errorKinds() {
            StringBuilder b = new StringBuilder();
            errorsByKind.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
            return b.toString();
        }

        String line() {
            return String.format(Locale.ROOT, "%d requests, %d errors%s, p50 %s ms, p99 %s ms", requests, errors,
                    errors == 0 ? "" : " (" + errorKinds() + ")", ms(p50Millis), ms(p99Millis));
        }
    }

    /** When a fault was in force, in nanoseconds since the traffic started; {@code to} is the end of the run if it lasted. */
    record Window(long from, long to, boolean ended) {
    }

    ScenarioReport(String source, Scenario.Variant variant, Scenario scenario, List<String> zones) {
        this.source = source;
        this.variant = variant;
        this.scenario = scenario;
        this.traffic = scenario.traffic(variant);
        this.zones = zones;
    }

    // ---------------------------------------------------------------- recording

    synchronized void note(String note) {
        notes.add(note);
    }

    synchronized void request(Request r) {
        requests.add(r);
    }

    synchronized void skip(Scenario.Mode mode) {
        skipped.merge(mode, 1L, Long::sum);
    }

    synchronized void faultStarted(int index, long nanos) {
        faultTimes.computeIfAbsent(index, i -> new long[] {-1, -1})[0] = nanos;
    }

    synchronized void faultEnded(int index, long nanos) {
        faultTimes.computeIfAbsent(index, i -> new long[] {-1, -1})[1] = nanos;
    }

    synchronized void finish(long nanos) {
        finishedNanos = nanos;
    }

    /** Called every 100 ms: DNS answers now, and each second the flow counters by zone. */
    synchronized void sample(long nanos, DataPlane dp, List<ScenarioRunner.Target> targets) {
        for (ScenarioRunner.Target t : targets) {
            List<String> now = dp.servingZones(t.endpointId());
            List<String> before = serving.put(t.endpointId(), now);
            if (before != null && !before.equals(now)) {
                dnsChanges.add(new DnsChange(nanos, t.endpointId(), before, now));
            }
        }
        long[] crossZone = new long[2];
        dp.crossZoneTraffic().forEach(c -> {
            crossZone[0] += c.bytesToTarget();
            crossZone[1] += c.bytesToConsumer();
        });
        if (crossZoneAtStart == null) {
            crossZoneAtStart = crossZone;
            crossZonePricePerGb = dp.crossZonePricePerGb();
        }
        crossZoneNow = crossZone;
        int second = (int) (nanos / SECOND);
        if (!flowsAtSecond.containsKey(second)) {
            Map<String, Long> flows = new TreeMap<>();
            dp.targets().forEach(s -> flows.merge(s.zoneId(), s.flows(), Long::sum));
            flowsAtSecond.put(second, flows);
            TreeMap<String, Boolean> answered = new TreeMap<>();
            serving.values().forEach(z -> z.forEach(id -> answered.put(id, true)));
            dnsAtSecond.put(second, String.join(" ", answered.keySet()));
        }
    }

    // ---------------------------------------------------------------- what it showed

    public String variantName() {
        return variant.name();
    }

    String source() {
        return source;
    }

    Scenario scenario() {
        return scenario;
    }

    Scenario.Variant variant() {
        return variant;
    }

    Scenario.Traffic traffic() {
        return traffic;
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    /** The zone IDs of the world's load balancer nodes, in order. */
    List<String> zones() {
        return zones;
    }

    /** The modes this variant drove. */
    List<Scenario.Mode> modes() {
        return traffic.mode().driven();
    }

    int seconds() {
        return (int) Math.ceil(scenario.duration().toMillis() / 1000.0);
    }

    synchronized long skipped(Scenario.Mode mode) {
        return skipped.getOrDefault(mode, 0L);
    }

    /** Requests that did not succeed, by kind, every mode together. */
    public synchronized Map<String, Integer> errorsByKind() {
        return figures(r -> true).errorsByKind();
    }

    public synchronized int requests() {
        return requests.size();
    }

    public synchronized int errors() {
        return figures(r -> true).errors();
    }

    /** Errors of requests that started in [from, to) seconds. */
    public synchronized int errorsBetween(double fromSeconds, double toSeconds) {
        return figures(between(fromSeconds, toSeconds)).errors();
    }

    /** The figures of the requests that pass {@code which}. */
    synchronized Figures figures(Predicate<Request> which) {
        return Figures.of(requests.stream().filter(which).toList());
    }

    /** The figures of one mode's requests through one zone's interfaces that started in [from, to) seconds. */
    public synchronized Figures figures(Scenario.Mode mode, String zoneId, double fromSeconds, double toSeconds) {
        return figures(between(fromSeconds, toSeconds).and(r -> r.mode() == mode
                && (zoneId == null || zoneId.equals(r.zoneId()))));
    }

    /** Each second's figures of one mode, through one zone's interfaces (null: every zone). */
    synchronized List<Figures> perSecond(Scenario.Mode mode, String zoneId) {
        List<Figures> out = new ArrayList<>();
        for (int s = 0; s < seconds(); s++) {
            out.add(figures(mode, zoneId, s, s + 1));
        }
        return out;
    }

    /** The share (0 to 1) of the new flows of second {@code s} that each zone's targets received; empty when none. */
    synchronized Map<String, Double> flowShare(int s) {
        Map<String, Long> a = flowsAtSecond.getOrDefault(s, Map.of());
        Map<String, Long> b = flowsAtSecond.getOrDefault(s + 1, a);
        long all = zones.stream().mapToLong(z -> b.getOrDefault(z, 0L) - a.getOrDefault(z, 0L)).sum();
        Map<String, Double> out = new LinkedHashMap<>();
        if (all > 0) {
            zones.forEach(z -> out.put(z, (b.getOrDefault(z, 0L) - a.getOrDefault(z, 0L)) / (double) all));
        }
        return out;
    }

    synchronized String dnsAt(int s) {
        return dnsAtSecond.getOrDefault(s, "");
    }

    synchronized List<DnsChange> dnsChanges() {
        return List.copyOf(dnsChanges);
    }

    /** When step {@code i} of the timeline was in force, or null if it never started. */
    synchronized Window window(int i) {
        long[] t = faultTimes.get(i);
        if (t == null || t[0] < 0) {
            return null;
        }
        return new Window(t[0], t[1] >= 0 ? t[1] : finishedNanos, t[1] >= 0);
    }

    /** Whether a fault's scope covers a request: see the class comment. */
    static boolean covers(Fault.Scope s, Request r) {
        Fault.Location at = r.placement() == null ? null : r.placement().at();
        String targetZone = r.placement() == null ? null : r.placement().targetZoneId();
        return (s.zoneId() == null || s.zoneId().equals(r.zoneId()) || s.zoneId().equals(targetZone))
                && (s.endpointId() == null || s.endpointId().equals(r.endpointId()))
                && (s.interfaceIp() == null || s.interfaceIp().equals(r.interfaceIp()))
                && (s.node() == null || (at != null && s.node().equals(at.node())))
                && (s.target() == null || (at != null && s.target().equals(at.target())));
    }

    /** The steps of the timeline a failed request is blamed on, by index; empty for none. */
    synchronized List<Integer> blame(Request r) {
        List<Integer> out = new ArrayList<>();
        if (r.ok()) {
            return out;
        }
        for (int i = 0; i < scenario.timeline().size(); i++) {
            Window w = window(i);
            if (w != null && r.startNanos() <= w.to() + AFTERMATH_NANOS && r.endNanos() >= w.from()
                    && covers(scenario.timeline().get(i).fault().scope(), r)) {
                out.add(i);
            }
        }
        return out;
    }

    /** The failed requests of a mode, in the order they were recorded. */
    synchronized List<Request> failures(Scenario.Mode mode) {
        return requests.stream().filter(r -> r.mode() == mode && !r.ok()).toList();
    }

    /** The failed requests of a mode blamed on step {@code i}, or on no step when {@code i} is -1. */
    synchronized int blamed(Scenario.Mode mode, int i) {
        return (int) requests.stream().filter(r -> r.mode() == mode && !r.ok())
                .filter(r -> i < 0 ? blame(r).isEmpty() : blame(r).contains(i)).count();
    }

    /** The requests of a mode a step's scope covers, whatever the time. */
    synchronized Predicate<Request> inScope(Scenario.Mode mode, int i) {
        Fault.Scope scope = scenario.timeline().get(i).fault().scope();
        return r -> r.mode() == mode && covers(scope, r);
    }

    /**
     * The seconds before a fault to compare its window with: from the end of the last fault that
     * ended before it started (or from 0) to its start, at most as long as its window.
     */
    synchronized double[] before(int i) {
        Window w = window(i);
        long from = 0;
        for (int j = 0; j < scenario.timeline().size(); j++) {
            Window o = window(j);
            if (j != i && o != null && o.to() <= w.from()) {
                from = Math.max(from, o.to());
            }
        }
        from = Math.max(from, w.from() - (w.to() - w.from()));
        return new double[] {from / (double) SECOND, w.from() / (double) SECOND};
    }

    /**
     * For each step of the timeline: seconds from the fault's start to the last failed request
     * blamed on it (0 when none failed; -1 when most requests it covers still failed in its last
     * second, so no failover happened), and from its end to the last failure among the requests it
     * covers before the next fault began (NaN when it never ended).
     */
    public synchronized List<double[]> failoverSeconds() {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < scenario.timeline().size(); i++) {
            Window w = window(i);
            if (w == null) {
                out.add(new double[] {Double.NaN, Double.NaN});
                continue;
            }
            int index = i;
            Scenario.Step step = scenario.timeline().get(i);
            Predicate<Request> covered = r -> covers(step.fault().scope(), r);
            double during = settle(w.from(), w.to(), r -> blame(r).contains(index), covered);
            double after = w.ended() ? settle(w.to(), nextStart(i, w.to()), r -> true, covered) : Double.NaN;
            out.add(new double[] {during, after});
        }
        return out;
    }

    private long nextStart(int i, long after) {
        long next = finishedNanos;
        for (Map.Entry<Integer, long[]> e : faultTimes.entrySet()) {
            if (e.getKey() != i && e.getValue()[0] > after) {
                next = Math.min(next, e.getValue()[0]);
            }
        }
        return next;
    }

    /**
     * Seconds from {@code from} to the start of the last failed request that {@code counts}, started
     * before {@code to}; -1 if most of the covered requests of the window's last second still failed.
     */
    private double settle(long from, long to, Predicate<Request> counts, Predicate<Request> covered) {
        long last = -1;
        for (Request r : requests) {
            if (!r.ok() && r.startNanos() >= from && r.startNanos() < to && covered.test(r) && counts.test(r)) {
                last = Math.max(last, r.startNanos());
            }
        }
        if (last < 0) {
            return 0;
        }
        Figures lastSecond = figures(r -> r.startNanos() >= to - SECOND && r.startNanos() < to && covered.test(r));
        if (lastSecond.errors() * 2 > lastSecond.requests()) {
            return -1;
        }
        return (last - from) / (double) SECOND;
    }

    /**
     * What this variant's flows carried between an endpoint interface and a target in another zone: bytes to
     * targets, bytes to consumers; zeros before any sample.
     */
    public synchronized long[] crossZoneBytes() {
        if (crossZoneAtStart == null) {
            return new long[2];
        }
        return new long[] {crossZoneNow[0] - crossZoneAtStart[0], crossZoneNow[1] - crossZoneAtStart[1]};
    }

    /** What {@link #crossZoneBytes} cost at the sim-config's price per GB, each way. */
    public synchronized double crossZoneCost() {
        long[] b = crossZoneBytes();
        return CrossZoneTraffic.cost(b[0] + b[1], crossZonePricePerGb);
    }

    /** The price per GB, each way, the cross-zone bytes are estimated at. */
    synchronized double crossZonePricePerGb() {
        return crossZonePricePerGb;
    }

    /** The cross-zone bytes each way and their cost, in words. */
    synchronized String crossZoneText() {
        long[] b = crossZoneBytes();
        return CrossZoneTraffic.describe(b[0], b[1], crossZonePricePerGb);
    }

    // ---------------------------------------------------------------- the text report

    public synchronized void print(PrintWriter out) {
        out.printf("== %s: variant %s (seed %d, %.0f s, %s) ==%n", source, variant.name(), scenario.seed(),
                scenario.duration().toMillis() / 1000.0, describe(traffic));
        notes.forEach(n -> out.println("  note: " + n));
        for (Scenario.Mode mode : modes()) {
            printSeconds(out, mode);
        }
        List<double[]> fo = failoverSeconds();
        for (int i = 0; i < scenario.timeline().size(); i++) {
            printFault(out, i, fo.get(i));
        }
        for (Scenario.Mode mode : modes()) {
            int none = blamed(mode, -1);
            out.printf("  %s: %d failed requests blamed on no fault%s%n", mode.wire(), none,
                    none == 0 ? "" : " (" + figures(r -> r.mode() == mode && !r.ok() && blame(r).isEmpty()).errorKinds()
                            + ")");
        }
        out.println("  cross-zone: " + crossZoneText());
        out.println();
    }

    static String describe(Scenario.Traffic t) {
        String rate = t.ratePerEndpoint() + " requests/s per endpoint";
        String how = switch (t.mode()) {
            case CHURN -> "churn: " + rate + ", each on a new connection";
            case RR -> "rr: " + rate + " on " + t.connectionsPerEndpoint() + " long-lived connections";
            case BOTH -> "churn and rr side by side: each " + rate + ", rr on " + t.connectionsPerEndpoint()
                    + " long-lived connections";
        };
        return how + ", timeout " + t.timeoutMillis() + " ms";
    }

    private void printSeconds(PrintWriter out, Scenario.Mode mode) {
        // The flow shares and DNS answers are the data plane's, of every kind of traffic: said once.
        boolean first = mode == modes().get(0);
        out.println("  " + (mode == Scenario.Mode.CHURN ? "churn (a new connection per request)"
                : "rr (requests on long-lived connections)") + ", latency of answered requests in ms:");
        StringBuilder head = new StringBuilder(String.format("  %6s %5s %4s %7s %7s", "second", "req", "err", "p50",
                "p99"));
        zones.forEach(z -> head.append(String.format(" | %-8s %4s %3s %7s %7s", z, "req", "err", "p50", "p99")));
        if (first) {
            head.append(" | new flows");
            zones.forEach(z -> head.append(' ').append(shortZone(z)));
            head.append(" | DNS answers");
        }
        head.append(" | errors");
        out.println(head);
        List<Figures> all = perSecond(mode, null);
        List<List<Figures>> byZone = zones.stream().map(z -> perSecond(mode, z)).toList();
        for (int s = 0; s < seconds(); s++) {
            Figures f = all.get(s);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %6d %5d %4d %7s %7s", s, f.requests(),
                    f.errors(), ms(f.p50Millis()), ms(f.p99Millis())));
            for (int z = 0; z < zones.size(); z++) {
                Figures g = byZone.get(z).get(s);
                line.append(String.format(Locale.ROOT, " | %-8s %4d %3d %7s %7s", "", g.requests(), g.errors(),
                        ms(g.p50Millis()), ms(g.p99Millis())));
            }
            if (first) {
                line.append(" |          ");
                Map<String, Double> share = flowShare(s);
                for (String z : zones) {
                    Double v = share.get(z);
                    line.append(String.format(" %" + shortZone(z).length() + "s",
                            v == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * v)));
                }
                line.append(" | ").append(String.format("%-11s", shortZones(dnsAt(s))));
            }
            line.append(" | ").append(f.errorKinds());
            out.println(line.toString().stripTrailing());
        }
        if (first) {
            out.println("  (new flows: the share of the new flows, of all traffic, that each zone's targets received;"
                    + " DNS answers: the zones the regional names answered)");
        }
        Figures total = figures(r -> r.mode() == mode);
        out.println("  " + mode.wire() + " in all: " + total.line()
                + (skipped(mode) == 0 ? "" : "; " + skipped(mode) + " requests not sent: their connection was"
                + " still waiting on an earlier one"));
    }

    private void printFault(PrintWriter out, int i, double[] fo) {
        Scenario.Step step = scenario.timeline().get(i);
        out.printf(Locale.ROOT, "  fault %d: %s at %.1f s%s%n", i + 1, step.fault().describe(),
                step.at().toMillis() / 1000.0, step.lasting() == null ? " until the end"
                        : String.format(Locale.ROOT, " for %.1f s", step.lasting().toMillis() / 1000.0));
        Window w = window(i);
        if (w == null) {
            out.println("    it never started");
            return;
        }
        for (DnsChange c : dnsChanges) {
            if (c.atNanos() >= w.from() && c.atNanos() < w.to()) {
                out.printf(Locale.ROOT, "    DNS: %s answers %s instead of %s, %.1f s after the fault started%n",
                        c.endpointId(), c.after(), c.before(), (c.atNanos() - w.from()) / (double) SECOND);
            } else if (w.ended() && c.atNanos() >= w.to() && c.atNanos() < nextStart(i, w.to())) {
                out.printf(Locale.ROOT, "    DNS: %s answers %s again, %.1f s after the fault ended%n", c.endpointId(),
                        c.after(), (c.atNanos() - w.to()) / (double) SECOND);
            }
        }
        out.println("    clients: " + describeSettle(fo[0], "the fault started")
                + (Double.isNaN(fo[1]) ? "" : "; " + describeSettle(fo[1], "it ended")));
        double[] before = before(i);
        double from = w.from() / (double) SECOND;
        double to = w.to() / (double) SECOND;
        String scope = step.fault().scope().describe();
        for (Scenario.Mode mode : modes()) {
            Predicate<Request> in = inScope(mode, i);
            out.printf(Locale.ROOT, "    %s, requests it covers (%s):%n", mode.wire(), scope);
            out.printf(Locale.ROOT, "      before  %5.1f-%5.1f s: %s%n", before[0], before[1],
                    figures(in.and(between(before[0], before[1]))).line());
            out.printf(Locale.ROOT, "      during  %5.1f-%5.1f s: %s%n", from, to, figures(in.and(between(from, to))).line());
            out.printf(Locale.ROOT, "      failures blamed on it: %d%n", blamed(mode, i));
        }
    }

    static Predicate<Request> between(double fromSeconds, double toSeconds) {
        return r -> r.startNanos() >= fromSeconds * SECOND && r.startNanos() < toSeconds * SECOND;
    }

    private static String describeSettle(double seconds, String since) {
        if (Double.isNaN(seconds)) {
            return "-";
        }
        if (seconds == 0) {
            return "no failed request after " + since;
        }
        if (seconds < 0) {
            return "most requests still failed at the end of the window after " + since + " (no failover)";
        }
        return String.format(Locale.ROOT, "last failed request %.2f s after %s", seconds, since);
    }

    static String ms(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.1f", millis);
    }

    /** "use1-az1" as "az1", for narrow columns. */
    private static String shortZone(String zoneId) {
        int dash = zoneId.lastIndexOf('-');
        return dash < 0 ? zoneId : zoneId.substring(dash + 1);
    }

    private static String shortZones(String zoneIds) {
        return String.join(" ", Arrays.stream(zoneIds.split(" ")).filter(s -> !s.isEmpty())
                .map(ScenarioReport::shortZone).toList());
    }
}
