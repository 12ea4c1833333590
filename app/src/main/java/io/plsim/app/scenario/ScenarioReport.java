package io.plsim.app.scenario;

import io.plsim.core.model.Scenario;
import io.plsim.dataplane.DataPlane;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What one variant of a scenario showed: requests by second and outcome, the share of new flows
 * each zone's targets received, the zones the regional DNS names answered, and for each fault the
 * time to failover and back.
 */
public final class ScenarioReport {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final String source;
    private final Scenario.Variant variant;
    private final Scenario scenario;
    private final List<String> zones;
    private final List<String> notes = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<DnsChange> dnsChanges = new ArrayList<>();
    private final Map<String, List<String>> serving = new LinkedHashMap<>();
    private final Map<Integer, Map<String, Long>> flowsAtSecond = new TreeMap<>();
    private final Map<Integer, String> dnsAtSecond = new TreeMap<>();
    private final Map<Integer, long[]> faultTimes = new TreeMap<>();
    private long finishedNanos;

    record Request(long startNanos, String endpointId, ScenarioClient.Outcome outcome) {
    }

    record DnsChange(long atNanos, String endpointId, List<String> before, List<String> after) {
    }

    ScenarioReport(String source, Scenario.Variant variant, Scenario scenario, List<String> zones) {
        this.source = source;
        this.variant = variant;
        this.scenario = scenario;
        this.zones = zones;
    }

    synchronized void note(String note) {
        notes.add(note);
    }

    synchronized void request(long startNanos, String endpointId, ScenarioClient.Outcome outcome) {
        requests.add(new Request(startNanos, endpointId, outcome));
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

    /** Requests that did not succeed, by kind. */
    public synchronized Map<String, Integer> errorsByKind() {
        Map<String, Integer> out = new TreeMap<>();
        requests.stream().filter(r -> r.outcome() != ScenarioClient.Outcome.OK)
                .forEach(r -> out.merge(r.outcome().label(), 1, Integer::sum));
        return out;
    }

    public synchronized int requests() {
        return requests.size();
    }

    public synchronized int errors() {
        return (int) requests.stream().filter(r -> r.outcome() != ScenarioClient.Outcome.OK).count();
    }

    /** Errors of requests that started in [from, to) seconds. */
    public synchronized int errorsBetween(double fromSeconds, double toSeconds) {
        return (int) requests.stream().filter(r -> r.outcome() != ScenarioClient.Outcome.OK)
                .filter(r -> r.startNanos() >= fromSeconds * SECOND && r.startNanos() < toSeconds * SECOND).count();
    }

    public String variantName() {
        return variant.name();
    }

    /**
     * For each step of the timeline: seconds from the fault's start to the last failed request it
     * caused (0 when none failed; -1 when requests still failed in its last second, so no failover
     * happened), and the same from its end.
     */
    public synchronized List<double[]> failoverSeconds() {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < scenario.timeline().size(); i++) {
            long[] t = faultTimes.getOrDefault(i, new long[] {-1, -1});
            long end = t[1] >= 0 ? t[1] : finishedNanos;
            long next = nextStart(i, end);
            out.add(new double[] {settle(t[0], end), t[1] >= 0 ? settle(t[1], next) : Double.NaN});
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
     * Seconds from {@code from} to the start of the last failed request before {@code to}; -1 if
     * most requests of the window's last second still failed (it never settled).
     */
    private double settle(long from, long to) {
        if (from < 0) {
            return Double.NaN;
        }
        long last = -1;
        for (Request r : requests) {
            if (r.outcome() != ScenarioClient.Outcome.OK && r.startNanos() >= from && r.startNanos() < to) {
                last = Math.max(last, r.startNanos());
            }
        }
        if (last < 0) {
            return 0;
        }
        long lastSecondRequests = requests.stream().filter(r -> r.startNanos() >= to - SECOND && r.startNanos() < to).count();
        long lastSecondErrors = requests.stream().filter(r -> r.startNanos() >= to - SECOND && r.startNanos() < to
                && r.outcome() != ScenarioClient.Outcome.OK).count();
        if (lastSecondErrors * 2 > lastSecondRequests) {
            return -1;
        }
        return (last - from) / (double) SECOND;
    }

    public synchronized void print(PrintWriter out) {
        Scenario.Traffic tr = scenario.traffic();
        out.printf("== %s: variant %s (seed %d, %.0f s, %d new connections/s per endpoint, timeout %d ms) ==%n",
                source, variant.name(), scenario.seed(), scenario.duration().toMillis() / 1000.0, tr.ratePerEndpoint(),
                tr.timeoutMillis());
        notes.forEach(n -> out.println("  note: " + n));
        StringBuilder head = new StringBuilder(String.format("  %6s %8s %6s %6s", "second", "requests", "ok", "errors"));
        zones.forEach(z -> head.append(String.format(" %9s", z)));
        head.append("  regional DNS answers");
        out.println(head);
        int seconds = (int) Math.ceil(scenario.duration().toMillis() / 1000.0);
        for (int s = 0; s < seconds; s++) {
            int sec = s;
            long total = requests.stream().filter(r -> r.startNanos() / SECOND == sec).count();
            long ok = requests.stream().filter(r -> r.startNanos() / SECOND == sec
                    && r.outcome() == ScenarioClient.Outcome.OK).count();
            StringBuilder line = new StringBuilder(String.format("  %6d %8d %6d %6d", s, total, ok, total - ok));
            Map<String, Long> a = flowsAtSecond.getOrDefault(s, Map.of());
            Map<String, Long> b = flowsAtSecond.getOrDefault(s + 1, a);
            long all = zones.stream().mapToLong(z -> b.getOrDefault(z, 0L) - a.getOrDefault(z, 0L)).sum();
            for (String z : zones) {
                long n = b.getOrDefault(z, 0L) - a.getOrDefault(z, 0L);
                line.append(all == 0 ? String.format(" %9s", "-") : String.format(" %8.0f%%", 100.0 * n / all));
            }
            line.append("  ").append(dnsAtSecond.getOrDefault(s, ""));
            out.println(line);
        }
        out.println("  (zone columns: share of the new flows that targets in each zone received)");
        Map<String, Integer> errors = errorsByKind();
        out.println("  requests " + requests.size() + ", errors " + errors() + (errors.isEmpty() ? "" : " " + errors));
        List<double[]> fo = failoverSeconds();
        for (int i = 0; i < scenario.timeline().size(); i++) {
            Scenario.Step step = scenario.timeline().get(i);
            long[] t = faultTimes.getOrDefault(i, new long[] {-1, -1});
            out.printf("  fault %d: %s at %.1f s%s%n", i + 1, step.fault().describe(), step.at().toMillis() / 1000.0,
                    step.lasting() == null ? " until the end" : String.format(" for %.1f s", step.lasting().toMillis() / 1000.0));
            for (DnsChange c : dnsChanges) {
                if (t[0] >= 0 && c.atNanos() >= t[0] && (t[1] < 0 || c.atNanos() < t[1])) {
                    out.printf("    DNS: %s answers %s instead of %s, %.2f s after the fault started%n", c.endpointId(),
                            c.after(), c.before(), (c.atNanos() - t[0]) / (double) SECOND);
                } else if (t[1] >= 0 && c.atNanos() >= t[1] && c.atNanos() < nextStart(i, t[1])) {
                    out.printf("    DNS: %s answers %s again, %.2f s after the fault ended%n", c.endpointId(),
                            c.after(), (c.atNanos() - t[1]) / (double) SECOND);
                }
            }
            out.println("    clients: " + describe(fo.get(i)[0], "the fault started")
                    + (Double.isNaN(fo.get(i)[1]) ? "" : "; " + describe(fo.get(i)[1], "it ended")));
        }
        out.println();
    }

    private static String describe(double seconds, String since) {
        if (Double.isNaN(seconds)) {
            return "-";
        }
        if (seconds == 0) {
            return "no failed request after " + since;
        }
        if (seconds < 0) {
            return "most requests still failed at the end of the window after " + since + " (no failover)";
        }
        return String.format("last failed request %.2f s after %s", seconds, since);
    }
}
