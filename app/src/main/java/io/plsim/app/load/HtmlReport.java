package io.plsim.app.load;

import io.plsim.app.report.HtmlPage;
import io.plsim.app.report.HtmlPage.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The {@code --html} report: one self-contained page (inline CSS and SVG, nothing fetched) with the
 * summary, the latency-by-percentile plot on a logarithmic "nines" axis as HdrHistogram's plotter
 * draws it (0%, 90%, 99%, 99.9%, ...), both the corrected latency and the service time, the
 * throughput of every second, and the errors by kind.
 */
final class HtmlReport {

    private HtmlReport() {
    }

    static String render(LoadReport r) {
        LoadSpec spec = r.spec();
        boolean bulk = spec.mode() == LoadMode.BULK;
        StringBuilder b = new StringBuilder(32 * 1024);
        b.append(HtmlPage.head("plsim load " + spec.target().text()));
        b.append("<h1>plsim load</h1>\n<p><code>").append(esc(spec.target().text())).append("</code> (")
                .append(esc(spec.target().addressText())).append(", ").append(esc(spec.target().resolved()))
                .append(")<br>").append(esc(spec.describe())).append("<br>started ")
                .append(esc(r.startedAt().toString())).append("</p>\n");

        b.append("<h2>Summary</h2>\n<table>\n");
        tr(b, "elapsed", fmt("%.3f s", r.elapsedSeconds()) + (r.cutShort() ? " (stopped at the hard deadline)" : ""));
        if (bulk) {
            tr(b, "connections", r.ok() + " ok, " + r.errorTotal() + " failed");
            tr(b, "sent", fmt("%.1f MB, %.1f MB/s", r.bytesSent() / 1e6, r.mbPerSecondSent()));
            tr(b, "received", fmt("%.1f MB, %.1f MB/s", r.bytesReceived() / 1e6, r.mbPerSecondReceived()));
        } else {
            tr(b, "requests", (spec.openLoop() ? r.planned() + " planned, " : "") + r.sent() + " sent, " + r.ok()
                    + " ok, " + r.errorTotal() + " errors");
            tr(b, "throughput", fmt("%.1f req/s", r.requestsPerSecond()));
            tr(b, "connections opened", String.valueOf(r.connections()));
        }
        String verdict = r.errorsWithinLimit() ? "<span class=\"good\">within</span>" : "<span class=\"bad\">above</span>";
        b.append("<tr><td>error ratio</td><td>").append(fmt("%.4f", r.errorRatio())).append(" (").append(verdict)
                .append(" --max-error-ratio ").append(fmt("%.4f", spec.maxErrorRatio())).append(")</td></tr>\n");
        b.append("</table>\n");
        addressTable(b, r, bulk);

        if (!bulk) {
            String[] cols = r.columns();
            boolean two = cols[1] != null;
            b.append("<h2>Latency</h2>\n<p>");
            if (spec.openLoop()) {
                b.append("Latency counts from each request's <em>intended</em> send time on the fixed timetable"
                        + " (corrected for coordinated omission); service time from the moment it was actually"
                        + " written.");
                org.HdrHistogram.Histogram late = r.lateness();
                if (late.getTotalCount() > 0) {
                    b.append(" plsim load's own lateness (how long after its intended time each request was handed"
                            + " to its connection): p50 ").append(ms(late.getValueAtPercentile(50))).append(" ms, p99 ")
                            .append(ms(late.getValueAtPercentile(99))).append(" ms, max ").append(ms(late.getMaxValue()))
                            .append(" ms; ");
                    b.append(r.reliability().reliable()
                            ? "<span class=\"good\">within " + ms(r.reliability().thresholdNanos()) + " ms</span>."
                            : "<span class=\"bad\">UNRELIABLE</span>: " + esc(r.reliability().reason())
                                    + ". The latency measures plsim load, not the target.");
                }
            } else if (two) {
                b.append("Latency counts from the start of each request's connect; service time from its send.");
            } else {
                b.append("Closed loop: latency counts from each request's send.");
            }
            b.append("</p>\n<table>\n<tr><th>percentile</th><th>latency ").append(esc(cols[0])).append(" (ms)</th>");
            if (two) {
                b.append("<th>").append(esc(cols[1])).append(" (ms)</th>");
            }
            b.append("</tr>\n");
            for (int i = 0; i <= LoadReport.PERCENTILES.length; i++) {
                boolean last = i == LoadReport.PERCENTILES.length;
                b.append("<tr><td>").append(last ? "max" : LoadReport.PERCENTILE_NAMES[i]).append("</td><td>")
                        .append(ms(last ? max(r.latency()) : LoadReport.percentile(r.latency(), LoadReport.PERCENTILES[i])))
                        .append("</td>");
                if (two) {
                    b.append("<td>").append(ms(last ? max(r.serviceTime())
                            : LoadReport.percentile(r.serviceTime(), LoadReport.PERCENTILES[i]))).append("</td>");
                }
                b.append("</tr>\n");
            }
            b.append("</table>\n");
            b.append(percentileChart(r.latency(), two ? r.serviceTime() : null, cols));
        }

        b.append("<h2>Every second</h2>\n");
        b.append(timelineChart(r, bulk));
        if (!bulk) {
            b.append(latencyTimelineChart(r));
            b.append(perZoneCharts(r));
        }

        r.crossZone().ifPresent(c -> b.append("<h2>Cross-zone traffic</h2>\n<p>Between endpoint interfaces and")
                .append(" targets in other zones while the run lasted, as the plsim asked counted it: ")
                .append(esc(LoadReport.crossZoneText(c))).append(".</p>\n"));

        b.append("<h2>Errors</h2>\n");
        if (r.errors().isEmpty()) {
            b.append("<p>none</p>\n");
        } else {
            b.append("<table>\n<tr><th>kind</th><th>count</th><th>meaning</th></tr>\n");
            for (Map.Entry<ErrorKind, Long> e : r.errors().entrySet()) {
                b.append("<tr><td>").append(e.getKey().label()).append("</td><td>").append(e.getValue())
                        .append("</td><td style=\"text-align:left\">").append(esc(e.getKey().description()))
                        .append("</td></tr>\n");
            }
            b.append("</table>\n");
        }

        b.append("<h2>Timeline</h2>\n<table>\n<tr><th>t (s)</th>");
        b.append(bulk ? "<th>sent MB/s</th><th>received MB/s</th>" : "<th>req/s</th><th>p50 (ms)</th><th>p99 (ms)</th>");
        b.append("<th>errors</th><th>open</th></tr>\n");
        for (LoadReport.Sample s : r.timeline()) {
            b.append("<tr><td>").append(fmt("%.1f", s.elapsedSeconds())).append("</td>");
            if (bulk) {
                b.append("<td>").append(fmt("%.1f", s.mbPerSecondSent())).append("</td><td>")
                        .append(fmt("%.1f", s.mbPerSecondReceived())).append("</td>");
            } else {
                b.append("<td>").append(fmt("%.1f", s.ratePerSecond())).append("</td><td>")
                        .append(ms(s.p50Micros() * 1000)).append("</td><td>").append(ms(s.p99Micros() * 1000))
                        .append("</td>");
            }
            b.append("<td>").append(s.errors()).append("</td><td>").append(s.open()).append("</td></tr>\n");
        }
        b.append("</table>\n").append(HtmlPage.end("plsim load"));
        return b.toString();
    }

    // ---- charts ----

    /** Latency by percentile, x = log10(1 / (1 - p)), as HdrHistogram's plotter. */
    static String percentileChart(Histogram latency, Histogram service, String[] cols) {
        if (latency.getTotalCount() == 0) {
            return "<p>No request was answered: nothing to plot.</p>\n";
        }
        int nines = (int) Math.max(2, Math.min(6, Math.ceil(Math.log10(Math.max(10, latency.getTotalCount())))));
        List<Series> series = new ArrayList<>();
        series.add(percentileSeries("latency " + cols[0], "#1f5fbf", false, latency, nines));
        if (service != null && service.getTotalCount() > 0) {
            series.add(percentileSeries("latency " + cols[1], "#e07b00", true, service, nines));
        }
        List<Double> xTicks = new ArrayList<>();
        List<String> xLabels = new ArrayList<>();
        for (int k = 0; k <= nines; k++) {
            xTicks.add((double) k);
            xLabels.add(k == 0 ? "0%" : trimPercent(100 - 100 / Math.pow(10, k)));
        }
        return HtmlPage.chart("Latency by percentile", "percentile", "latency (ms)", series, 0, nines, xTicks, xLabels,
                List.of());
    }

    private static Series percentileSeries(String name, String colour, boolean dashed, Histogram h, int nines) {
        List<double[]> pts = new ArrayList<>();
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            double x = p >= 100 ? nines : Math.min(nines, Math.log10(100 / (100 - p)));
            pts.add(new double[] {x, v.getValueIteratedTo() / 1e6});
            if (x >= nines) {
                break;
            }
        }
        if (pts.isEmpty() || pts.get(pts.size() - 1)[0] < nines) {
            pts.add(new double[] {nines, h.getMaxValue() / 1e6}); // the line reaches the right edge at the maximum
        }
        double[] xs = new double[pts.size()];
        double[] ys = new double[pts.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = pts.get(i)[0];
            ys[i] = pts.get(i)[1];
        }
        return new Series(name, colour, dashed, xs, ys);
    }

    static String timelineChart(LoadReport r, boolean bulk) {
        List<LoadReport.Sample> tl = r.timeline();
        if (tl.isEmpty()) {
            return "<p>The run was shorter than a second.</p>\n";
        }
        int n = tl.size();
        double[] xs = new double[n];
        double[] a = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            LoadReport.Sample s = tl.get(i);
            xs[i] = s.elapsedSeconds();
            a[i] = bulk ? s.mbPerSecondSent() : s.ratePerSecond();
            c[i] = bulk ? s.mbPerSecondReceived() : s.errors();
        }
        List<Series> series = new ArrayList<>();
        series.add(new Series(bulk ? "sent MB/s" : "answered req/s", "#1f5fbf", false, xs, a));
        if (bulk) {
            series.add(new Series("received MB/s", "#e07b00", true, xs, c));
        } else {
            // The samples count errors since the start; each second's are the difference.
            double[] perSecond = new double[n];
            for (int i = 0; i < n; i++) {
                perSecond[i] = c[i] - (i == 0 ? 0 : c[i - 1]);
            }
            series.add(new Series("errors/s", "#c0392b", true, xs, perSecond));
        }
        return HtmlPage.overTime(bulk ? "Throughput" : "Answered requests and errors", bulk ? "MB/s" : "per second",
                series, xs[n - 1], List.of());
    }

    /** Where the connections went: per address, its zone and interface when plsim knows them, and its figures. */
    private static void addressTable(StringBuilder b, LoadReport r, boolean bulk) {
        if (r.byAddress().size() < 2 && r.spec().target().dns() == null) {
            return;
        }
        b.append("<h2>By address</h2>\n<table class=\"wide\">\n<tr><th>address</th><th>zone</th><th>zone ID</th><th>interface</th>"
                + "<th>connections opened</th><th>failed to open</th><th>requests failed</th>");
        if (!bulk) {
            b.append("<th>p50 (ms)</th><th>p99 (ms)</th>");
        }
        b.append("</tr>\n");
        r.byAddress().forEach((a, c) -> {
            var i = r.interfaceOf(a);
            b.append("<tr><td>").append(esc(a)).append("</td><td>").append(esc(i.map(x -> x.zoneName()).orElse("-")))
                    .append("</td><td>").append(esc(i.map(x -> x.zoneId()).orElse("-"))).append("</td><td>")
                    .append(esc(i.map(x -> x.networkInterfaceId()).orElse("-"))).append("</td><td>").append(c.opened())
                    .append("</td><td>").append(c.failed()).append("</td><td>").append(c.errors()).append("</td>");
            if (!bulk) {
                Histogram h = r.latencyOf(a);
                boolean any = h != null && h.getTotalCount() > 0;
                b.append("<td>").append(any ? ms(h.getValueAtPercentile(50)) : "-").append("</td><td>")
                        .append(any ? ms(h.getValueAtPercentile(99)) : "-").append("</td>");
            }
            b.append("</tr>\n");
        });
        b.append("</table>\n");
    }

    /**
     * When the target is a name whose answers were several addresses (an endpoint's zones): each
     * one's p50 and p99 every second, and its answered requests and errors, one colour per zone.
     */
    static String perZoneCharts(LoadReport r) {
        java.util.Set<String> addresses = new java.util.TreeSet<>();
        r.timeline().forEach(s -> addresses.addAll(s.byAddress().keySet()));
        if (addresses.size() < 2) {
            return "";
        }
        List<LoadReport.Sample> tl = r.timeline();
        List<Series> latency = new ArrayList<>();
        List<Series> counts = new ArrayList<>();
        int k = 0;
        for (String a : addresses) {
            String colour = HtmlPage.PALETTE.get(k++ % HtmlPage.PALETTE.size());
            String label = r.interfaceOf(a).map(i -> i.zoneId() + " " + a).orElse(a);
            double[] xs = new double[tl.size()];
            double[] p50 = new double[tl.size()];
            double[] p99 = new double[tl.size()];
            double[] rate = new double[tl.size()];
            double[] errors = new double[tl.size()];
            long before = 0;
            for (int i = 0; i < tl.size(); i++) {
                LoadReport.AddressSample x = tl.get(i).byAddress().get(a);
                xs[i] = tl.get(i).elapsedSeconds();
                p50[i] = x == null ? Double.NaN : x.p50Micros() / 1000.0;
                p99[i] = x == null ? Double.NaN : x.p99Micros() / 1000.0;
                rate[i] = x == null ? 0 : x.ratePerSecond();
                long now = x == null ? before : x.errors();
                errors[i] = now - before;
                before = now;
            }
            latency.add(new Series(label + " p50", colour, false, xs, p50));
            latency.add(new Series(label + " p99", colour, true, xs, p99));
            counts.add(new Series(label + " answered/s", colour, false, xs, rate));
            counts.add(new Series(label + " errors/s", colour, true, xs, errors));
        }
        double xMax = tl.get(tl.size() - 1).elapsedSeconds();
        return HtmlPage.overTime("Latency per zone every second", "ms", latency, xMax, List.of())
                + HtmlPage.overTime("Answered requests and errors per zone", "per second", counts, xMax, List.of());
    }

    /** Latency over time: each second's p50, p99 and max, in ms, from the intended send time. */
    static String latencyTimelineChart(LoadReport r) {
        List<LoadReport.Sample> tl = r.timeline().stream().filter(s -> !Double.isNaN(s.p50Micros())).toList();
        if (tl.isEmpty()) {
            return "<p>No second had an answer to plot the latency of.</p>\n";
        }
        int n = tl.size();
        double[] xs = new double[n];
        double[] p50 = new double[n];
        double[] p99 = new double[n];
        double[] max = new double[n];
        for (int i = 0; i < n; i++) {
            LoadReport.Sample s = tl.get(i);
            xs[i] = s.elapsedSeconds();
            p50[i] = s.p50Micros() / 1000.0;
            p99[i] = s.p99Micros() / 1000.0;
            max[i] = s.maxMicros() / 1000.0;
        }
        List<Series> series = List.of(new Series("p50", "#1f5fbf", false, xs, p50),
                new Series("p99", "#e07b00", false, xs, p99), new Series("max", "#7f7f7f", true, xs, max));
        return HtmlPage.overTime("Latency every second", "ms", series, xs[n - 1], List.of());
    }

    private static String trimPercent(double p) {
        return HtmlPage.trim(Math.round(p * 1e6) / 1e6) + "%";
    }

    private static double max(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue();
    }

    private static String ms(double nanos) {
        return Double.isNaN(nanos) ? "-" : String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    private static void tr(StringBuilder b, String k, String v) {
        b.append(HtmlPage.row(k, v));
    }

    static String esc(String s) {
        return HtmlPage.esc(s);
    }
}
