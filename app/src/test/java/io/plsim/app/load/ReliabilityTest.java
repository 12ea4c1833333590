package io.plsim.app.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plsim.dataplane.Transport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** When a run's latency measures plsim load itself, and how every output says so. */
class ReliabilityTest {

    private static final long MS = 1_000_000L;
    private static final Reliability.Resources IDLE = new Reliability.Resources(0, 0, 0);

    /** A histogram of {@code n} values of {@code nanos}. */
    private static Histogram of(long nanos, int n) {
        Histogram h = new Histogram(1, Worker.HIGHEST_NANOS, Worker.DIGITS);
        h.recordValueWithCount(nanos, n);
        return h;
    }

    @Test
    void lateBelowTheLargerOfOneMillisecondAndATenthOfTheLatencyP99IsReliable() {
        assertTrue(Reliability.judge(of(MS / 2, 100), of(2 * MS, 100), IDLE, 1, 2).reliable());
        Reliability slowTarget = Reliability.judge(of(3 * MS, 100), of(100 * MS, 100), IDLE, 1, 2);
        assertTrue(slowTarget.reliable(), "3 ms late against a 100 ms p99 is a tenth's part: " + slowTarget);
        assertEquals(10 * MS, slowTarget.thresholdNanos(), 10 * MS / 1000.0);
        assertEquals("", slowTarget.reason());
        assertTrue(Reliability.notMeasured().reliable(), "a closed loop has no timetable to be late on");
    }

    @Test
    void aLateRunNamesWhatItCanTellOfTheCause() {
        Reliability cpu = Reliability.judge(of(5 * MS, 100), of(6 * MS, 100), new Reliability.Resources(19 * MS * 100,
                0, 0), 1, 2);
        assertFalse(cpu.reliable());
        assertEquals(List.of(Reliability.Cause.CPU), cpu.causes());
        assertTrue(cpu.reason().contains("lateness p99 5.00") && cpu.reason().contains("1.90 of 2 cores busy"),
                cpu.reason());

        Reliability gc = Reliability.judge(of(5 * MS, 100), of(6 * MS, 100), new Reliability.Resources(0, 40, 3), 1, 2);
        assertEquals(List.of(Reliability.Cause.GC), gc.causes());
        assertTrue(gc.reason().contains("40 ms in 3 collections"), gc.reason());

        Reliability crowded = Reliability.judge(of(5 * MS, 100), of(6 * MS, 100),
                new Reliability.Resources(3 * MS * 100, 0, 0, 0, 95, 100), 1, 2);
        assertEquals(List.of(Reliability.Cause.CPU), crowded.causes());
        assertTrue(crowded.reason().contains("the machine's cores were 95% busy, this process using 0.30 of 2"),
                crowded.reason());

        // 300 ms compiling in a 2 s run: still warming up.
        Reliability warming = Reliability.judge(of(5 * MS, 100), of(6 * MS, 100),
                new Reliability.Resources(0, 0, 0, 300, 0, 0), 2, 2);
        assertEquals(List.of(Reliability.Cause.JIT), warming.causes());
        assertTrue(warming.reason().contains("the JIT compilers worked 300 ms of the 2.0 s run")
                && warming.reason().contains("--warmup"), warming.reason());
        Reliability settled = Reliability.judge(of(5 * MS, 100), of(6 * MS, 100),
                new Reliability.Resources(0, 0, 0, 100, 0, 0), 2, 2);
        assertEquals(List.of(Reliability.Cause.LOOP_STALL), settled.causes(), "100 ms of 2 s is not warming up");

        Reliability stall = Reliability.judge(of(5 * MS, 100), of(6 * MS, 100), IDLE, 1, 2);
        assertEquals(List.of(Reliability.Cause.LOOP_STALL), stall.causes());
        assertTrue(stall.reason().contains("woke up to 5.00"), stall.reason());
    }

    @Test
    void anUnreliableRunSaysSoInTheTableAndTheJsonAndExitsThreeUnlessLateIsAllowed() throws Exception {
        Reliability late = Reliability.judge(of(5 * MS, 100), of(6 * MS, 100), IDLE, 1, 2);
        for (boolean allowLate : new boolean[] {false, true}) {
            LoadReport r = report(late, allowLate, Map.of());
            assertEquals(allowLate ? 0 : LoadReport.EXIT_UNRELIABLE, r.exitCode());
            StringWriter table = new StringWriter();
            r.printTable(new PrintWriter(table, true));
            assertTrue(table.toString().contains("UNRELIABLE: plsim load's own lateness p99 5.00")
                    && table.toString().contains("lateness     p50 5.00"), table.toString());
            JsonNode json = r.toJson(new ObjectMapper());
            assertFalse(json.path("reliable").asBoolean(true), json.toString());
            assertEquals("loop-stall", json.path("unreliable").path("causes").path(0).asText(), json.toString());
            assertEquals(100, json.path("lateness_us").path("count").asLong(), json.toString());
            assertEquals(500.0, json.path("cpu").path("per_request_us").asDouble(), 1e-6, "50 ms for 100 answers");
            assertTrue(table.toString().contains("cpu          0.050 cores, 500.0 us per answered request"),
                    table.toString());
            assertTrue(table.toString().contains("0.040 cores, 400.0 us per answered request in its event loops;"
                    + " the rest is the JVM's own (its JIT compilers worked 3 ms)"), table.toString());
            assertEquals(400.0, json.path("cpu").path("event_loop_per_request_us").asDouble(), 1e-6, json.toString());
            assertEquals(3, json.path("cpu").path("jit_ms").asLong(), json.toString());
            assertTrue(HtmlReport.render(r).contains("UNRELIABLE</span>: plsim load&#39;s own lateness")
                    || HtmlReport.render(r).contains("UNRELIABLE</span>: plsim load's own lateness"));
        }
        assertEquals(LoadReport.EXIT_ERRORS, report(late, false, Map.of(ErrorKind.TIMEOUT, 50L)).exitCode(),
                "too many errors outranks lateness");
        LoadReport fine = report(Reliability.judge(of(MS / 10, 100), of(6 * MS, 100), IDLE, 1, 2), false, Map.of());
        assertEquals(0, fine.exitCode());
        assertTrue(fine.toJson(new ObjectMapper()).path("reliable").asBoolean());
    }

    private static LoadReport report(Reliability reliability, boolean allowLate, Map<ErrorKind, Long> errors)
            throws Exception {
        LoadSpec spec = new LoadSpec(LoadTarget.resolve("127.0.0.1:9", null, Duration.ofSeconds(1)), LoadMode.RR,
                100, 1, Duration.ofSeconds(1), 0, 64, false, "/", false, Duration.ofSeconds(2), 0, 0.01,
                Transport.nio(), 1, false, Duration.ofSeconds(1), null, allowLate);
        Map<ErrorKind, Long> kinds = new java.util.EnumMap<>(ErrorKind.class);
        kinds.putAll(errors);
        return new LoadReport(spec, Instant.now(), 1_000_000_000L, false, 100, 100, 100, 100, 1, 6400, 6400, kinds,
                of(6 * MS, 100), of(MS, 100), List.of(), 5 * MS, of(5 * MS, 100), reliability, new CpuUse(50 * MS, 40 * MS, 3), Map.of(), Map.of(),
                0, 0, Map.of(), null);
    }
}
