package io.plsim.app.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.config.World;
import io.plsim.dataplane.EventLog;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestWorld;
import io.plsim.dataplane.Transport;
import io.plsim.app.cli.Plsim;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenarios played for real: a short inline one in 127.164.0.0/16 whose report numbers are checked,
 * and the shipped {@code sim-configs/az-outage.yaml} through the {@code plsim scenario} command.
 */
@ExtendWith(LeakCheck.class)
class ScenarioRunnerTest {

    private static final int NET = 164;

    /**
     * Two echo targets in each zone, health checks every 100 ms with thresholds of 2, cross-zone on;
     * 25 new connections a second for 4 s; use1-az1 out from 1 s to 2.5 s.
     */
    private static TestWorld config() {
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
                    - {at: 1s, for: 1500ms, fault: az-outage, az: use1-az1}
                """);
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
