package io.plsim.app.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.plsim.app.probe.ProbeCase.Must;
import io.plsim.app.probe.ProbeResult.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The results of one probe run: the table a person reads, the JSON a build reads, and the exit code.
 *
 * @param settings how the run probed
 * @param results  one per case, in the catalogue's order
 */
public record ProbeReport(Prober.Settings settings, List<ProbeResult> results) {

    public ProbeReport {
        results = List.copyOf(results);
    }

    /** Cases a correct parser must accept or refuse that this service got wrong. */
    public List<ProbeResult> failures() {
        return results.stream().filter(r -> r.verdict() == Verdict.FAIL).toList();
    }

    /** 0 when every required case passed, 1 when one failed. */
    public int exitCode() {
        return failures().isEmpty() ? 0 : 1;
    }

    /** The result of the case with this id. */
    public Optional<ProbeResult> result(String id) {
        return results.stream().filter(r -> r.probeCase().id().equals(id)).findFirst();
    }

    /** The table's columns: verdict, case, must, did, evidence. */
    private static final String ROW = "  %-4s %-24s %-6s %-8s %s";

    /** One line per case as it comes, for the terminal. */
    public static String line(ProbeResult r) {
        return String.format(ROW, r.verdict().word(), r.probeCase().id(), r.probeCase().must().word(),
                r.outcome().word(), r.evidence());
    }

    /** The table's heading, matching {@link #line}. */
    public static String heading() {
        return String.format(ROW, "", "case", "must", "did", "evidence");
    }

    /** The closing lines: counts and what failed. */
    public void printSummary(PrintWriter out) {
        long pass = results.stream().filter(r -> r.verdict() == Verdict.PASS).count();
        long info = results.stream().filter(r -> r.verdict() == Verdict.INFO).count();
        long required = results.stream().filter(r -> r.probeCase().must() != Must.EITHER).count();
        out.println();
        out.println(String.format("%d of %d required cases passed; %d failed; %d informational.", pass, required,
                failures().size(), info));
        if (!failures().isEmpty()) {
            out.println("failed: " + String.join(", ", failures().stream().map(r -> r.probeCase().id()).toList()));
        }
        out.flush();
    }

    /** The whole run as JSON: the target, the settings, and every case with its bytes in hex. */
    public void writeJson(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("target", Prober.text(settings.target()));
        root.put("proxyProtocol", settings.v1() ? "v1" : "v2");
        root.put("expect", settings.expect() == null ? null : settings.expect().pattern());
        root.put("timeoutMillis", settings.timeout().toMillis());
        root.put("passed", results.stream().filter(r -> r.verdict() == Verdict.PASS).count());
        root.put("failed", failures().size());
        root.put("exitCode", exitCode());
        root.put("cases", results.stream().map(ProbeReport::json).toList());
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(root) + "\n");
    }

    private static Map<String, Object> json(ProbeResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.probeCase().id());
        m.put("sends", r.probeCase().sends());
        m.put("must", r.probeCase().must().word());
        m.put("outcome", r.outcome().word());
        m.put("verdict", r.verdict().word());
        m.put("evidence", r.evidence());
        m.put("answer", r.answer());
        m.put("bytesReceived", r.received());
        m.put("bytesBeforeSent", r.beforeSent());
        m.put("matchedExpect", r.matched());
        m.put("ended", r.ended());
        m.put("elapsedMillis", r.elapsedMillis());
        m.put("segments", r.probeCase().steps().stream().filter(s -> s instanceof ProbeCase.Send).count());
        m.put("bytesSentHex", java.util.HexFormat.of().formatHex(r.probeCase().bytesSent()));
        return m;
    }
}
