package io.plsim.app.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.config.World;
import io.plsim.core.model.Scenario;
import io.plsim.dataplane.EventLog;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestWorld;
import io.plsim.dataplane.Transport;
import io.plsim.app.cli.Plsim;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios played for real: a short inline one in 127.164.0.0/16 whose report numbers are checked,
 * and the shipped {@code sim-configs/az-outage.yaml} through the {@code plsim scenario} command.
 */
@ExtendWith(LeakCheck.class)
class ScenarioRunnerTest {

    private static final int NET = TestBlocks.of(ScenarioRunnerTest.class);

    /**
     * Two echo targets in each zone, health checks every 100 ms with thresholds of 2, cross-zone on;
     * 25 new connections a second for 4 s; use1-az1 out from 1 s to 2.5 s.
     */
    private static TestWorld config() {
        return config("{at: 1s, for: 1500ms, fault: az-outage, az: use1-az1}");
    }

    /** The same world and traffic with another step on the timeline. */
    private static TestWorld config(String step) {
        return TestWorld.in(NET).crossZone(true).target("us-east-1a", "builtin: echo")
                .target("us-east-1a", "builtin: echo").target("us-east-1b", "builtin: echo")
                .target("us-east-1b", "builtin: echo").append("""
                scenario:
                  seed: 9
                  duration: 4s
                  traffic: {ratePerEndpoint: 25, timeoutMillis: 1000, payloadBytes: 24}
                  variants:
                    - {name: cross-zone-on, crossZone: true}
                  timeline:
                    - %s
                """.formatted(step));
    }

    @Test
    void anAzOutageFailsOverWithinTwoSecondsAndErrorsOnlyAfterItStarts() throws Exception {
        TestWorld world = config();
        World first = world.load();
        StringWriter text = new StringWriter();
        long t0 = System.nanoTime();
        List<ScenarioReport> reports;
        try (EventLog events = new EventLog(Clock.systemUTC())) {
            reports = ScenarioRunner.run(world::load, first.scenario(), Transport.best(), events,
                    new PrintWriter(text));
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        String out = text.toString();
        System.out.print(out);
        assertEquals(1, reports.size());
        ScenarioReport r = reports.get(0);
        assertEquals("cross-zone-on", r.variantName());

        // 25 a second for 4 s, every one accounted for.
        assertEquals(100, r.requests(), out);
        Map<String, Integer> errors = r.errorsByKind();
        assertEquals(r.errors(), errors.values().stream().mapToInt(Integer::intValue).sum());
        // A request counts by when it started; one still in flight when the fault began may fail of it,
        // so the last 100 ms before the fault are left out.
        assertEquals(0, r.errorsBetween(0, 0.9), "errors before the fault started:\n" + out);
        assertEquals(r.errors(), r.errorsBetween(0.9, 4.0));

        List<double[]> fo = r.failoverSeconds();
        assertEquals(1, fo.size());
        double failover = fo.get(0)[0];
        double recovery = fo.get(0)[1];
        assertTrue(Double.isFinite(failover) && failover >= 0 && failover < 2.0,
                "failover " + failover + " s:\n" + out);
        assertTrue(Double.isFinite(recovery) && recovery >= 0 && recovery < 1.5, "recovery " + recovery + " s:\n" + out);
        // Once DNS let go of the zone, requests succeed: at most the first half second of the fault fails.
        assertEquals(0, r.errorsBetween(1.5, 4.0), "errors after failover:\n" + out);

        assertTrue(out.contains("variant cross-zone-on"), out);
        assertTrue(out.contains("fault 1: az-outage on az=use1-az1 at 1.0 s for 1.5 s"), out);
        assertTrue(out.contains("answers [use1-az2] instead of"), "the DNS failover is reported:\n" + out);
        // It stops by itself: the traffic's 4 s, the health wait, the last timeout, the close.
        assertTrue(wall < 4 + 8, "the run took " + wall + " s");
        System.out.printf("inline scenario: %d requests, %d errors %s, failover %.2f s, recovery %.2f s, run %.1f s%n",
                r.requests(), r.errors(), errors, failover, recovery, wall);
    }

    /**
     * A step whose scope names an endpoint the world lacks (which the sim-config's reader cannot know
     * of): the data plane refuses it, and the report says so rather than the fault applying to nothing.
     */
    @Test
    void aStepNamingAnEndpointTheWorldLacksIsSaidInTheReport() throws Exception {
        ScenarioReport r = playOne(config("{at: 1s, for: 1s, fault: latency, latency: 10, endpoint: vpce-0000000000000000f}"));
        assertTrue(r.notes().contains("timeline[0] was not put in force: endpoint: no endpoint vpce-0000000000000000f"),
                r.notes()::toString);
    }

    /**
     * Cross-zone on and the one target in use1-az1: every request through the consumer's use1-az2 interface
     * crosses zones, each way, and those through use1-az1 do not; the report counts exactly the former's
     * payload (the echo answers what it is sent), and its cost at AWS's rate.
     */
    @Test
    void theReportCountsTheBytesThatCrossedZonesAndTheirCost() throws Exception {
        ScenarioReport r = playOne(TestWorld.in(NET).crossZone(true).target("us-east-1a", "builtin: echo").append("""
                scenario:
                  seed: 5
                  duration: 2s
                  traffic: {ratePerEndpoint: 20, timeoutMillis: 1000, payloadBytes: 24}
                  variants:
                    - {name: cross-zone-on, crossZone: true}
                  timeline:
                    - {at: 1s, for: 100ms, fault: latency, latency: 1, az: use1-az1}
                """));
        String report = text(r);
        assertEquals(0, r.errors(), report);
        int across = r.figures(Scenario.Mode.CHURN, "use1-az2", 0, 10).requests();
        assertTrue(across > 0 && across < r.requests(), "requests through each zone:\n" + report);
        long[] bytes = r.crossZoneBytes();
        assertEquals(24L * across, bytes[0], report);
        assertEquals(24L * across, bytes[1], report);
        assertEquals(48.0 * across / (1024.0 * 1024 * 1024) * 0.01, r.crossZoneCost(), 1e-15);
        assertTrue(report.contains("  cross-zone: " + 24 * across + " bytes to targets, " + 24 * across
                + " to consumers, about $0.000000 at $0.01 per GB each way"), report);
    }

    private static ScenarioReport playOne(TestWorld world) throws Exception {
        World first = world.load();
        StringWriter text = new StringWriter();
        List<ScenarioReport> reports;
        try (EventLog events = new EventLog(Clock.systemUTC())) {
            reports = ScenarioRunner.run(world::load, first.scenario(), Transport.best(), events,
                    new PrintWriter(text));
        }
        System.out.print(text);
        assertEquals(1, reports.size());
        return reports.get(0);
    }

    /**
     * A latency fault of 150 ms on the answers of one zone, cross-zone off, both kinds of traffic:
     * that zone's p50 rises by the fault's latency inside its window and not outside it, the other
     * zone's does not move, and nothing fails.
     */
    @Test
    void aLatencyFaultOnOneZoneRaisesThatZonesP50InsideItsWindowOnly() throws Exception {
        ScenarioReport r = playOne(TestWorld.in(NET).crossZone(false).target("us-east-1a", "builtin: echo")
                .target("us-east-1b", "builtin: echo").append("""
                scenario:
                  seed: 4
                  duration: 4s
                  traffic: {mode: both, ratePerEndpoint: 20, timeoutMillis: 1000, payloadBytes: 16,
                            connectionsPerEndpoint: 2}
                  variants:
                    - {name: zonal, crossZone: false}
                  timeline:
                    - {at: 1s, for: 1500ms, fault: latency, latency: 150, stream: downstream, az: use1-az1}
                """));
        String report = text(r);
        assertEquals(0, r.errors(), report);
        for (Scenario.Mode mode : List.of(Scenario.Mode.CHURN, Scenario.Mode.RR)) {
            // The window is 1.0-2.5 s; a request counts by its start, and one that began just before
            // the fault may or may not be slowed, so the edges are left out.
            ScenarioReport.Figures before = r.figures(mode, "use1-az1", 0, 0.9);
            ScenarioReport.Figures during = r.figures(mode, "use1-az1", 1.1, 2.4);
            ScenarioReport.Figures after = r.figures(mode, "use1-az1", 2.7, 4);
            ScenarioReport.Figures other = r.figures(mode, "use1-az2", 1.1, 2.4);
            String what = mode + ": before " + before + ", during " + during + ", after " + after + ", other zone "
                    + other + "\n" + report;
            assertTrue(before.requests() > 0 && during.requests() > 0 && after.requests() > 0 && other.requests() > 0,
                    what);
            assertTrue(during.p50Millis() >= 150 && during.p50Millis() < 150 + 500, what);
            assertTrue(before.p50Millis() < 75 && after.p50Millis() < 75, what);
            assertTrue(other.p50Millis() < 75, what);
        }
        assertTrue(report.contains("rr (requests on long-lived connections)"), report);
        assertTrue(report.contains("      during    1.0-  2.5 s:"), report);
    }

    /**
     * A target down in one zone and connections reset in the other, cross-zone off: each zone's
     * failures are blamed on its own fault only, none on no fault.
     */
    @Test
    void aTargetDownInOneZoneIsNotBlamedForTheOtherZonesFailures() throws Exception {
        // A built-in target on an address of its own, so that a fault can name it.
        String target = "127.164.201.1:7001";
        TestWorld world = TestWorld.in(NET).crossZone(false)
                .target("us-east-1a", "builtin: echo, address: \"" + target + "\"")
                .target("us-east-1a", "builtin: echo").target("us-east-1b", "builtin: echo");
        ScenarioReport r = playOne(world.append("""
                scenario:
                  seed: 6
                  duration: 4s
                  traffic: {mode: churn, ratePerEndpoint: 30, timeoutMillis: 500, payloadBytes: 16}
                  timeline:
                    - {at: 1s, for: 2s, fault: target-down, target: "%s"}
                    - {at: 1s, for: 2s, fault: reset-peer, az: use1-az2}
                """.formatted(target)));
        String report = text(r);
        int targetDown = r.blamed(Scenario.Mode.CHURN, 0);
        int resets = r.blamed(Scenario.Mode.CHURN, 1);
        assertTrue(resets > 0, "the reset-peer fault in use1-az2 caused failures:\n" + report);
        assertEquals(0, r.blamed(Scenario.Mode.CHURN, -1), "every failure is some fault's:\n" + report);
        // Every failure blamed on the target-down fault reached that target, in use1-az1.
        r.failures(Scenario.Mode.CHURN).forEach(f -> {
            if (r.blame(f).contains(0)) {
                assertEquals("use1-az1", f.zoneId(), f + "\n" + report);
                assertEquals(target, f.placement().at().target(), f + "\n" + report);
            }
            if ("use1-az2".equals(f.zoneId())) {
                assertEquals(List.of(1), r.blame(f), f + "\n" + report);
            }
        });
        assertTrue(report.contains("failures blamed on it: " + targetDown), report);
        assertTrue(report.contains("failures blamed on it: " + resets), report);
    }

    /**
     * The shipped {@code sim-configs/slow-zone.yaml} through {@code plsim scenario --json --html}:
     * the latency fault shows in use1-az1's p50 in both kinds of traffic, the late reset-peer only
     * on long-lived connections, and both documents say so.
     */
    @Test
    void theShippedSlowZoneScenarioWritesItsJsonAndHtml(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("slow.json");
        Path html = dir.resolve("slow.html");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Plsim.run(new PrintWriter(out, true), new PrintWriter(err, true), "scenario",
                "../sim-configs/slow-zone.yaml", "--json", json.toString(), "--html", html.toString());
        System.out.print(out);
        assertEquals(0, exit, "stderr: " + err);
        JsonNode v = new ObjectMapper().readTree(json.toFile()).get("variants").get(0);
        for (String mode : List.of("churn", "rr")) {
            JsonNode slow = v.get("faults").get(0).get("modes").get(mode);
            assertTrue(slow.get("before").get("p50_ms").asDouble() < 50, mode + ": " + slow);
            assertTrue(slow.get("during").get("p50_ms").asDouble() >= 100, mode + ": " + slow);
            JsonNode seconds = v.get("modes").get(mode).get("seconds");
            assertEquals(10, seconds.size());
            assertTrue(seconds.get(3).get("zones").get("use1-az1").get("p50_ms").asDouble() >= 100, mode + ": "
                    + seconds.get(3));
            assertTrue(seconds.get(3).get("zones").get("use1-az2").get("p50_ms").asDouble() < 50, mode + ": "
                    + seconds.get(3));
        }
        // A reset 500 ms after the fault reaches a connection: churn's last a millisecond, rr's live on.
        JsonNode reset = v.get("faults").get(1).get("modes");
        assertEquals(0, reset.get("churn").get("failures_blamed").asInt(), reset.toString());
        assertTrue(reset.get("rr").get("failures_blamed").asInt() > 0, reset.toString());
        assertEquals(reset.get("rr").get("during").get("errors").asInt(),
                reset.get("rr").get("failures_blamed").asInt(), reset.toString());
        assertEquals(0, v.get("modes").get("rr").get("failures_blamed_on_no_fault").asInt());

        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>"), page.substring(0, 80));
        assertTrue(page.contains("Latency per zone, every second (rr)"), "the rr latency plot");
        assertTrue(page.contains("fault 2: reset-peer on az=use1-az2</title>")
                && page.contains("fault 1: latency on az=use1-az1</title>"), "the faults' windows, with their scope");
        assertFalse(page.replace("http://www.w3.org/2000/svg", "").contains("http"), "nothing fetched from elsewhere");
        assertTrue(out.toString().contains("wrote " + json), out.toString());
    }

    @Test
    void scenarioRefusesAReportFileItCannotWriteBeforeItPlays(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Plsim.run(new PrintWriter(out, true), new PrintWriter(err, true), "scenario",
                "../sim-configs/slow-zone.yaml", "--json", dir.resolve("no/such/dir/x.json").toString());
        assertEquals(2, exit);
        assertTrue(err.toString().contains("cannot write") && err.toString().contains("no directory"), err.toString());
        assertEquals("", out.toString(), "nothing played");
    }

    private static String text(ScenarioReport r) {
        StringWriter out = new StringWriter();
        r.print(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void theShippedAzOutageScenarioRunsToItsReport() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int exit = Plsim.run(new PrintWriter(out, true), new PrintWriter(err, true), "scenario",
                "../sim-configs/az-outage.yaml");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        String report = out.toString();
        System.out.print(report);
        assertEquals(0, exit, "exit code; stderr: " + err);
        assertTrue(report.contains("variant cross-zone-off"), report);
        assertTrue(report.contains("variant cross-zone-on"), report);
        assertTrue(report.contains("fault 1: az-outage on az=use1-az1 at 3.0 s for 5.0 s"), report);
        assertEquals(2, report.split("clients: ", -1).length - 1, "a clients line per variant:\n" + report);
        // Two variants of 12 s each, and their setup and teardown.
        assertTrue(seconds < 2 * 12 + 20, "took " + seconds + " s");
    }
}
