package io.plsim.app.cli;

import static io.plsim.app.cli.PlsimCommandTest.assertContains;
import static io.plsim.app.cli.PlsimCommandTest.assertNoStackTrace;
import static io.plsim.app.cli.PlsimCommandTest.plsim;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.plsim.app.cli.PlsimCommandTest.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plsim load compare} on reports that are not what {@code plsim load --json} writes: each is
 * refused with exit 2, naming the file and the field, never a stack trace. The reports are written by
 * hand in the shape plsim load writes (the real runs are compared in LoadThroughDnsTest).
 */
class LoadCompareCommandTest {

    @TempDir
    Path dir;

    /** An rr report as plsim load writes it, with {@code throughput} where its throughput goes. */
    private static String report(String mode, String rate, String throughput) {
        return "{\"target\":\"127.0.0.1:7000\",\"mode\":" + mode + ",\"rate\":" + rate + ",\"connections\":4,"
                + "\"started_at\":\"2026-01-01T00:00:00Z\",\"elapsed_s\":2.0,"
                + "\"requests\":{\"ok\":200,\"errors\":0},\"connections_opened\":4,\"throughput_rps\":" + throughput + ","
                + "\"latency_us\":{\"count\":200,\"p50\":120.5,\"p90\":150.0,\"p99\":300.0,\"p99_9\":400.0,"
                + "\"p99_99\":410.0,\"max\":420.0},\"mb_per_s\":{\"sent\":0.01,\"received\":0.01},\"error_ratio\":0.0,"
                + "\"by_address\":{\"127.0.0.1:7000\":{\"connections_opened\":4,\"requests_failed\":0,"
                + "\"latency_us\":{\"count\":200,\"p50\":120.5,\"p99\":300.0}}},"
                + "\"timeline\":[{\"t_s\":1.0,\"rate\":100.0,\"p50_us\":120.0,\"p99_us\":null,\"errors\":0,\"open\":4}],"
                + "\"latency_percentiles_us\":[[50.0,120.5],[100.0,420.0]]}";
    }

    /** A report that cannot be compared, by the name of its file, and what the refusal says after that name. */
    record Unreadable(String file, String text, String says) {
        @Override
        public String toString() {
            return file;
        }
    }

    private static final String GOOD = report("\"rr\"", "100.0", "1");

    static List<Unreadable> unreadable() {
        String deep = "[".repeat(20_000) + "]".repeat(20_000);
        List<Unreadable> cases = new java.util.ArrayList<>(List.of(
                new Unreadable("long.json", report("\"rr\"", "100.0", "1".repeat(5000)),
                        "not JSON (line 1, at throughput_rps: Number value length (5000) exceeds"),
                new Unreadable("deep.json", GOOD.replace("\"timeline\":[", "\"timeline\":[" + deep + ","),
                        "not JSON (line 1, at timeline[0][0][0]"),
                new Unreadable("str.json", report("\"rr\"", "\"str\"", "100.0"), "rate: not a number: \"str\""),
                new Unreadable("slow.json", GOOD.replace("\"p50\":120.5,\"p99\"", "\"p50\":\"slow\",\"p99\""),
                        "by_address[\"127.0.0.1:7000\"].latency_us.p50: not a number: \"slow\""),
                new Unreadable("t.json", GOOD.replace("\"t_s\":1.0", "\"t_s\":1e300"),
                        "timeline[0].t_s: 1.0E300 is no figure of a run"),
                new Unreadable("tl.json", GOOD.replace("\"timeline\":[", "\"timeline\":{\"x\":[")
                        .replace("\"open\":4}]", "\"open\":4}]}"), "timeline: not a list"),
                new Unreadable("curve.json", GOOD.replace("[50.0,120.5]", "[50.0]"),
                        "latency_percentiles_us[0]: not a [percentile, microseconds] pair")));
        // A throughput that no run has, and the figure shown for it.
        Map.of("\"fast\"", "not a number: \"fast\"", "1e308", "1.0E308 is no figure of a run",
                "1e999", "Infinity is no figure of a run", "-5", "-5 is no figure of a run").forEach((value, says) ->
                cases.add(new Unreadable("throughput " + value + ".json", report("\"rr\"", "100.0", value),
                        "throughput_rps: " + says)));
        // A mode that is none.
        for (String mode : List.of("null", "7", "\"walk\"")) {
            cases.add(new Unreadable("mode " + mode + ".json", report(mode, "100.0", "1"),
                    "mode: expected rr, closed, churn or bulk, found " + mode.replace("\"", "")));
        }
        return cases;
    }

    private Result compare(String name, String text) throws IOException {
        Path base = Files.writeString(dir.resolve("base.json"), report("\"rr\"", "100.0", "100.0"));
        Path other = Files.writeString(dir.resolve(name), text);
        return plsim("load", "compare", base.toString(), other.toString());
    }

    @Test
    void twoReportsOfTheShapeAreCompared() throws IOException {
        Result r = compare("other.json", report("\"rr\"", "\"max\"", "200.0"));
        assertEquals(0, r.exit(), r.toString());
        assertContains(r.out(), "2.00x", r);
    }

    @Test
    void anUnreliableRunIsMarkedInTheTableAndOnThePage() throws IOException {
        String reason = "plsim load's own lateness p99 5.000 ms is above 1.000 ms";
        Path base = Files.writeString(dir.resolve("base.json"), report("\"rr\"", "100.0", "100.0"));
        Path late = Files.writeString(dir.resolve("late.json"), report("\"rr\"", "100.0", "90.0")
                .replace("\"error_ratio\"", "\"reliable\":false,\"unreliable\":{\"reason\":\"" + reason
                        + "\",\"causes\":[\"cpu\"]},\"error_ratio\""));
        Path page = dir.resolve("compare.html");
        Result r = plsim("load", "compare", base.toString(), late.toString(), "--html", page.toString());
        assertEquals(0, r.exit(), r.toString());
        assertContains(r.out(), "UNRELIABLE: " + reason + "; its latency measures plsim load", r);
        assertEquals(1, r.out().split("UNRELIABLE", -1).length - 1, "the reliable run is not marked: " + r);
        assertContains(Files.readString(page), "<span class=\"bad\">UNRELIABLE</span>: plsim load&#39;s own lateness", r);
    }

    @ParameterizedTest
    @MethodSource("unreadable")
    void isRefusedNamingFileAndField(Unreadable u) throws IOException {
        Result r = compare(u.file(), u.text());
        assertEquals(2, r.exit(), r.toString());
        assertContains(r.err(), dir.resolve(u.file()) + ": " + u.says(), r);
        assertNoStackTrace(r);
    }
}
