package io.plsim.app.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.plsim.app.report.HtmlPage;
import io.plsim.core.model.Fault;
import io.plsim.core.model.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scenario's reports as data ({@code --json}) and as one self-contained page ({@code --html}):
 * per variant and traffic mode, the figures of every second, every zone and every fault, and on
 * the page the faults' windows shaded behind the latency and error plots.
 */
final class ScenarioDocuments {

    private static final long SECOND = 1_000_000_000L;

    private ScenarioDocuments() {
    }

    static void writeJson(List<ScenarioReport> reports, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(file, mapper.writeValueAsString(json(mapper, reports)) + "\n", StandardCharsets.UTF_8);
    }

    static void writeHtml(List<ScenarioReport> reports, Path file) throws IOException {
        Files.writeString(file, html(reports), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- JSON

    static ObjectNode json(ObjectMapper mapper, List<ScenarioReport> reports) {
        ObjectNode root = mapper.createObjectNode();
        if (!reports.isEmpty()) {
            ScenarioReport first = reports.get(0);
            root.put("source", first.source());
            root.put("seed", first.scenario().seed());
            root.put("duration_s", first.scenario().duration().toMillis() / 1000.0);
            ArrayNode timeline = root.putArray("timeline");
            for (Scenario.Step step : first.scenario().timeline()) {
                ObjectNode s = timeline.addObject();
                s.put("fault", step.fault().kind().wire());
                s.put("describe", step.fault().describe());
                s.set("scope", scope(mapper, step.fault().scope()));
                s.put("at_s", step.at().toMillis() / 1000.0);
                if (step.lasting() == null) {
                    s.putNull("for_s");
                } else {
                    s.put("for_s", step.lasting().toMillis() / 1000.0);
                }
            }
        }
        ArrayNode variants = root.putArray("variants");
        for (ScenarioReport r : reports) {
            variants.add(variant(mapper, r));
        }
        return root;
    }

    private static ObjectNode scope(ObjectMapper mapper, Fault.Scope s) {
        ObjectNode o = mapper.createObjectNode();
        s.fields().forEach(o::put);
        return o;
    }

    private static ObjectNode variant(ObjectMapper mapper, ScenarioReport r) {
        ObjectNode v = mapper.createObjectNode();
        v.put("name", r.variantName());
        if (r.variant().crossZone() == null) {
            v.putNull("cross_zone");
        } else {
            v.put("cross_zone", r.variant().crossZone());
        }
        Scenario.Traffic t = r.traffic();
        ObjectNode traffic = v.putObject("traffic");
        traffic.put("mode", t.mode().wire());
        traffic.put("rate_per_endpoint", t.ratePerEndpoint());
        traffic.put("timeout_ms", t.timeoutMillis());
        traffic.put("payload_bytes", t.payloadBytes());
        traffic.put("connections_per_endpoint", t.connectionsPerEndpoint());
        long[] cz = r.crossZoneBytes();
        ObjectNode crossZone = v.putObject("cross_zone_traffic");
        crossZone.put("bytes_to_target", cz[0]);
        crossZone.put("bytes_to_consumer", cz[1]);
        crossZone.put("price_usd_per_gb", r.crossZonePricePerGb());
        crossZone.put("cost_usd", r.crossZoneCost());
        ArrayNode notes = v.putArray("notes");
        r.notes().forEach(notes::add);
        ArrayNode zones = v.putArray("zones");
        r.zones().forEach(zones::add);
        ObjectNode modes = v.putObject("modes");
        for (Scenario.Mode mode : r.modes()) {
            ObjectNode m = modes.putObject(mode.wire());
            m.set("all", figures(mapper, r.figures(q -> q.mode() == mode)));
            m.put("skipped", r.skipped(mode));
            m.put("failures_blamed_on_no_fault", r.blamed(mode, -1));
            ArrayNode seconds = m.putArray("seconds");
            List<ScenarioReport.Figures> all = r.perSecond(mode, null);
            List<List<ScenarioReport.Figures>> byZone = r.zones().stream().map(z -> r.perSecond(mode, z)).toList();
            for (int s = 0; s < all.size(); s++) {
                ObjectNode o = figures(mapper, all.get(s));
                o.put("t_s", s);
                ObjectNode z = o.putObject("zones");
                for (int i = 0; i < r.zones().size(); i++) {
                    z.set(r.zones().get(i), figures(mapper, byZone.get(i).get(s)));
                }
                seconds.add(o);
            }
        }
        ArrayNode flows = v.putArray("seconds");
        for (int s = 0; s < r.seconds(); s++) {
            ObjectNode o = flows.addObject();
            o.put("t_s", s);
            ObjectNode share = o.putObject("new_flow_share");
            r.flowShare(s).forEach((z, x) -> share.put(z, Math.round(x * 1000) / 1000.0));
            ArrayNode dns = o.putArray("dns_answers");
            for (String z : r.dnsAt(s).split(" ")) {
                if (!z.isEmpty()) {
                    dns.add(z);
                }
            }
        }
        ArrayNode faults = v.putArray("faults");
        List<double[]> fo = r.failoverSeconds();
        for (int i = 0; i < r.scenario().timeline().size(); i++) {
            ObjectNode f = faults.addObject();
            f.put("index", i + 1);
            f.put("describe", r.scenario().timeline().get(i).fault().describe());
            ScenarioReport.Window w = r.window(i);
            if (w == null) {
                f.put("started", false);
                continue;
            }
            f.put("started_s", round(w.from() / (double) SECOND));
            if (w.ended()) {
                f.put("ended_s", round(w.to() / (double) SECOND));
            } else {
                f.putNull("ended_s");
            }
            putSeconds(f, "last_failure_after_start_s", fo.get(i)[0]);
            putSeconds(f, "last_failure_after_end_s", fo.get(i)[1]);
            ArrayNode dns = f.putArray("dns_changes");
            for (ScenarioReport.DnsChange c : r.dnsChanges()) {
                if (c.atNanos() >= w.from() && c.atNanos() < w.to() + SECOND) {
                    ObjectNode d = dns.addObject();
                    d.put("t_s", round(c.atNanos() / (double) SECOND));
                    d.put("endpoint", c.endpointId());
                    ArrayNode before = d.putArray("before");
                    c.before().forEach(before::add);
                    ArrayNode after = d.putArray("after");
                    c.after().forEach(after::add);
                }
            }
            double[] before = r.before(i);
            ObjectNode byMode = f.putObject("modes");
            for (Scenario.Mode mode : r.modes()) {
                ObjectNode m = byMode.putObject(mode.wire());
                var in = r.inScope(mode, i);
                ObjectNode b = figures(mapper, r.figures(in.and(ScenarioReport.between(before[0], before[1]))));
                b.put("from_s", round(before[0]));
                b.put("to_s", round(before[1]));
                m.set("before", b);
                double from = w.from() / (double) SECOND;
                double to = w.to() / (double) SECOND;
                ObjectNode d = figures(mapper, r.figures(in.and(ScenarioReport.between(from, to))));
                d.put("from_s", round(from));
                d.put("to_s", round(to));
                m.set("during", d);
                m.put("failures_blamed", r.blamed(mode, i));
            }
        }
        return v;
    }

    private static ObjectNode figures(ObjectMapper mapper, ScenarioReport.Figures f) {
        ObjectNode o = mapper.createObjectNode();
        o.put("requests", f.requests());
        o.put("errors", f.errors());
        ObjectNode kinds = o.putObject("errors_by_kind");
        f.errorsByKind().forEach(kinds::put);
        putMillis(o, "p50_ms", f.p50Millis());
        putMillis(o, "p99_ms", f.p99Millis());
        putMillis(o, "max_ms", f.maxMillis());
        return o;
    }

    private static void putMillis(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) {
            o.putNull(k);
        } else {
            o.put(k, Math.round(v * 1000) / 1000.0);
        }
    }

    private static void putSeconds(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) {
            o.putNull(k);
        } else if (v < 0) {
            o.put(k, "never settled");
        } else {
            o.put(k, round(v));
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    // ---------------------------------------------------------------- HTML

    static String html(List<ScenarioReport> reports) {
        String source = reports.isEmpty() ? "" : reports.get(0).source();
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append(HtmlPage.head("plsim scenario " + source));
        b.append("<h1>plsim scenario</h1>\n<p><code>").append(HtmlPage.esc(source)).append("</code>");
        if (!reports.isEmpty()) {
            Scenario sc = reports.get(0).scenario();
            b.append(String.format(Locale.ROOT, ", seed %d, %.0f s, %d variant%s", sc.seed(),
                    sc.duration().toMillis() / 1000.0, reports.size(), reports.size() == 1 ? "" : "s"));
        }
        b.append("</p>\n<p>Shaded: the time each fault was in force. Latency is that of answered requests; a"
                + " request counts in the second it started, in the zone of the interface it went through.</p>\n");
        for (ScenarioReport r : reports) {
            variantHtml(b, r);
        }
        b.append(HtmlPage.end("plsim scenario"));
        return b.toString();
    }

    private static void variantHtml(StringBuilder b, ScenarioReport r) {
        b.append("<h2>Variant ").append(HtmlPage.esc(r.variantName())).append("</h2>\n<p>")
                .append(HtmlPage.esc(ScenarioReport.describe(r.traffic())))
                .append(r.variant().crossZone() == null ? "" : ", cross-zone " + (r.variant().crossZone() ? "on" : "off"))
                .append("</p>\n<p class=\"cross-zone\">Between endpoint interfaces and targets in other zones: ")
                .append(HtmlPage.esc(r.crossZoneText())).append(".</p>\n");
        r.notes().forEach(n -> b.append("<p class=\"bad\">").append(HtmlPage.esc(n)).append("</p>\n"));
        List<HtmlPage.Band> bands = new ArrayList<>();
        for (int i = 0; i < r.scenario().timeline().size(); i++) {
            ScenarioReport.Window w = r.window(i);
            if (w != null) {
                bands.add(new HtmlPage.Band(w.from() / (double) SECOND, w.to() / (double) SECOND,
                        "fault " + (i + 1) + ": " + r.scenario().timeline().get(i).fault().kind().wire() + " on "
                                + r.scenario().timeline().get(i).fault().scope().describe()));
            }
        }
        double xMax = r.seconds();
        for (Scenario.Mode mode : r.modes()) {
            b.append("<h3>").append(mode == Scenario.Mode.CHURN ? "churn: a new connection per request"
                    : "rr: requests on long-lived connections").append("</h3>\n");
            List<HtmlPage.Series> latency = new ArrayList<>();
            List<HtmlPage.Series> errors = new ArrayList<>();
            List<String> zones = r.zones();
            for (int z = 0; z < zones.size(); z++) {
                List<ScenarioReport.Figures> fs = r.perSecond(mode, zones.get(z));
                String colour = HtmlPage.PALETTE.get(z % HtmlPage.PALETTE.size());
                latency.add(series(zones.get(z) + " p50", colour, false, fs, ScenarioReport.Figures::p50Millis));
                latency.add(series(zones.get(z) + " p99", colour, true, fs, ScenarioReport.Figures::p99Millis));
                errors.add(series(zones.get(z) + " errors", colour, false, fs, f -> (double) f.errors()));
                errors.add(series(zones.get(z) + " requests", colour, true, fs, f -> (double) f.requests()));
            }
            b.append(HtmlPage.overTime("Latency per zone, every second (" + mode.wire() + ")", "ms", latency, xMax, bands));
            b.append(HtmlPage.overTime("Requests and errors per zone, every second (" + mode.wire() + ")",
                    "per second", errors, xMax, bands));
            secondsTable(b, r, mode);
        }
        b.append("<h3>Faults</h3>\n");
        List<double[]> fo = r.failoverSeconds();
        for (int i = 0; i < r.scenario().timeline().size(); i++) {
            Scenario.Step step = r.scenario().timeline().get(i);
            b.append("<h4>fault ").append(i + 1).append(": ").append(HtmlPage.esc(step.fault().describe())).append("</h4>\n");
            ScenarioReport.Window w = r.window(i);
            if (w == null) {
                b.append("<p>It never started.</p>\n");
                continue;
            }
            b.append(String.format(Locale.ROOT, "<p>in force from %.2f s to %.2f s%s; last blamed failure %s after it"
                            + " started</p>\n", w.from() / (double) SECOND, w.to() / (double) SECOND,
                    w.ended() ? "" : " (the end)", settle(fo.get(i)[0])));
            b.append("<table class=\"wide\">\n<tr><th>requests it covers</th><th>from (s)</th><th>to (s)</th><th>requests</th>"
                    + "<th>errors</th><th>p50 (ms)</th><th>p99 (ms)</th><th>errors by kind</th><th>blamed on it</th></tr>\n");
            double[] before = r.before(i);
            for (Scenario.Mode mode : r.modes()) {
                var in = r.inScope(mode, i);
                double from = w.from() / (double) SECOND;
                double to = w.to() / (double) SECOND;
                faultRow(b, mode.wire() + " before", before[0], before[1],
                        r.figures(in.and(ScenarioReport.between(before[0], before[1]))), "");
                faultRow(b, mode.wire() + " during", from, to, r.figures(in.and(ScenarioReport.between(from, to))),
                        String.valueOf(r.blamed(mode, i)));
            }
            b.append("</table>\n");
        }
        b.append("<p>Failures blamed on no fault:");
        for (Scenario.Mode mode : r.modes()) {
            b.append(' ').append(mode.wire()).append(' ').append(r.blamed(mode, -1));
        }
        b.append("</p>\n");
    }

    private static String settle(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v < 0 ? "never (no failover)" : String.format(Locale.ROOT, "%.2f s", v);
    }

    private static void faultRow(StringBuilder b, String label, double from, double to, ScenarioReport.Figures f,
                                 String blamed) {
        b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.2f</td><td>%.2f</td><td>%d</td><td>%d</td>"
                        + "<td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", HtmlPage.esc(label), from, to,
                f.requests(), f.errors(), ScenarioReport.ms(f.p50Millis()), ScenarioReport.ms(f.p99Millis()),
                HtmlPage.esc(f.errorKinds()), blamed));
    }

    private static void secondsTable(StringBuilder b, ScenarioReport r, Scenario.Mode mode) {
        List<String> zones = r.zones();
        b.append("<table class=\"wide\">\n<tr><th rowspan=\"2\">second</th><th class=\"group\" colspan=\"4\">all zones</th>");
        for (String z : zones) {
            b.append("<th class=\"group\" colspan=\"4\">").append(HtmlPage.esc(z)).append("</th>");
        }
        b.append("<th class=\"group\" colspan=\"").append(zones.size())
                .append("\">new flows by target zone</th><th rowspan=\"2\">DNS answers</th>"
                        + "<th rowspan=\"2\">errors by kind</th></tr>\n<tr>");
        for (int i = 0; i <= zones.size(); i++) {
            b.append("<th>req</th><th>err</th><th>p50 ms</th><th>p99 ms</th>");
        }
        zones.forEach(z -> b.append("<th>").append(HtmlPage.esc(z)).append("</th>"));
        b.append("</tr>\n");
        List<ScenarioReport.Figures> all = r.perSecond(mode, null);
        List<List<ScenarioReport.Figures>> byZone = zones.stream().map(z -> r.perSecond(mode, z)).toList();
        for (int s = 0; s < all.size(); s++) {
            b.append("<tr><td>").append(s).append("</td>");
            cells(b, all.get(s));
            for (List<ScenarioReport.Figures> z : byZone) {
                cells(b, z.get(s));
            }
            Map<String, Double> share = r.flowShare(s);
            for (String z : zones) {
                Double v = share.get(z);
                b.append("<td>").append(v == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * v)).append("</td>");
            }
            b.append("<td>").append(HtmlPage.esc(r.dnsAt(s))).append("</td><td>")
                    .append(HtmlPage.esc(all.get(s).errorKinds())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void cells(StringBuilder b, ScenarioReport.Figures f) {
        b.append(String.format(Locale.ROOT, "<td>%d</td><td%s>%d</td><td>%s</td><td>%s</td>", f.requests(),
                f.errors() > 0 ? " class=\"bad\"" : "", f.errors(), ScenarioReport.ms(f.p50Millis()),
                ScenarioReport.ms(f.p99Millis())));
    }

    /** Each second's value as a step, flat from the second's start to its end, as the window bands are drawn. */
    private static HtmlPage.Series series(String name, String colour, boolean dashed, List<ScenarioReport.Figures> fs,
                                          java.util.function.ToDoubleFunction<ScenarioReport.Figures> value) {
        double[] xs = new double[fs.size() * 2];
        double[] ys = new double[fs.size() * 2];
        for (int i = 0; i < fs.size(); i++) {
            double y = value.applyAsDouble(fs.get(i));
            xs[2 * i] = i;
            xs[2 * i + 1] = i + 1;
            ys[2 * i] = y;
            ys[2 * i + 1] = y;
        }
        return new HtmlPage.Series(name, colour, dashed, xs, ys);
    }
}
