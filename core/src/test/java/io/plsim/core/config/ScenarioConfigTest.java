package io.plsim.core.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.model.Fault;
import io.plsim.core.model.Scenario;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code scenario} section of a sim-config: a good one loads into a {@link Scenario}; a bad
 * one is refused with the line and field path of each problem. Line numbers were counted by hand:
 * {@link #WORLD} is lines 1-14, so every scenario section starts at line 15.
 */
class ScenarioConfigTest {

    static final String SOURCE = "scenario.yaml";

    /** Lines 1-14: two accounts with crossed zone IDs and an NLB with a node in each zone. */
    static final String WORLD = """
            region: us-east-1
            accounts:
              - id: "111122223333"
                zones: {us-east-1a: use1-az1, us-east-1b: use1-az2}
              - id: "444455556666"
                zones: {us-east-1a: use1-az2, us-east-1b: use1-az1}
            loadBalancers:
              - name: nlb
                account: "111122223333"
                nodes:
                  - {zone: us-east-1a, ip: 127.160.1.10}
                  - {zone: us-east-1b, ip: 127.160.2.10}
                listeners: [7000]
                targets: [{zone: us-east-1a, builtin: echo}]
            """;

    /** Lines 15-18 of a scenario, before its timeline (line 19). */
    static final String HEAD = """
            scenario:
              seed: 5
              duration: 10s
              traffic: {ratePerEndpoint: 20, timeoutMillis: 400, payloadBytes: 16}
            """;

    private static World load(String yaml) throws SimConfigException {
        return SimConfigLoader.load(SOURCE, yaml);
    }

    /** Loads what must be refused; answers its problems. */
    private static List<ConfigProblem> problems(String yaml) {
        SimConfigException e = assertThrows(SimConfigException.class, () -> load(yaml), "loaded:\n" + yaml);
        return e.problems();
    }

    /** Exactly one problem, at this line and path, whose message contains {@code text}. */
    private static void assertOneProblem(String yaml, int line, String path, String text) {
        List<ConfigProblem> ps = problems(yaml);
        assertEquals(1, ps.size(), () -> "expected one problem, found:\n" + ps);
        ConfigProblem p = ps.get(0);
        assertAll(
                () -> assertEquals(SOURCE, p.source()),
                () -> assertEquals(line, p.line(), () -> "line of " + p),
                () -> assertEquals(path, p.path(), () -> "path of " + p),
                () -> assertTrue(p.message().contains(text), () -> "message of " + p + " should contain: " + text),
                () -> assertTrue(p.toString().startsWith(SOURCE + ":" + line + ": " + path + ": "), p::toString));
    }

    @Test
    void aGoodScenarioLoads() throws SimConfigException {
        World w = load(WORLD + HEAD + """
                  variants:
                    - {name: zonal, crossZone: false}
                    - {name: cross, crossZone: true}
                  timeline:
                    - {at: 2s, for: 3s, fault: az-outage, az: use1-az1}
                    - {at: 500ms, fault: latency, latency: 100, jitter: 20, stream: downstream, toxicity: 0.5}
                    - {at: 1, for: 1.5s, fault: node-down, node: 127.160.2.10}
                """);
        Scenario s = w.scenario();
        assertNotNull(s);
        assertAll(
                () -> assertEquals(5, s.seed()),
                () -> assertEquals(Duration.ofSeconds(10), s.duration()),
                () -> assertEquals(new Scenario.Traffic(Scenario.Mode.CHURN, 20, 400, 16, 4), s.traffic()),
                () -> assertEquals(List.of(new Scenario.Variant("zonal", false), new Scenario.Variant("cross", true)),
                        s.variants()),
                () -> assertEquals(3, s.timeline().size()),
                () -> assertEquals(Duration.ofSeconds(2), s.timeline().get(0).at()),
                () -> assertEquals(Duration.ofSeconds(3), s.timeline().get(0).lasting()),
                () -> assertEquals(Fault.Kind.AZ_OUTAGE, s.timeline().get(0).fault().kind()),
                () -> assertEquals("use1-az1", s.timeline().get(0).fault().scope().zoneId()),
                () -> assertEquals(Duration.ofMillis(500), s.timeline().get(1).at()),
                () -> assertNull(s.timeline().get(1).lasting(), "no 'for': until the end"),
                () -> assertEquals(100, s.timeline().get(1).fault().param("latency")),
                () -> assertEquals(Fault.Stream.DOWNSTREAM, s.timeline().get(1).fault().stream()),
                () -> assertEquals(0.5, s.timeline().get(1).fault().toxicity()),
                () -> assertEquals(Duration.ofSeconds(1), s.timeline().get(2).at()),
                () -> assertEquals(Duration.ofMillis(1500), s.timeline().get(2).lasting()),
                () -> assertEquals("127.160.2.10", s.timeline().get(2).fault().scope().node()));
    }

    @Test
    void defaultsWithoutTrafficOrVariants() throws SimConfigException {
        World w = load(WORLD + """
                simulation: {seed: 77}
                scenario:
                  duration: 3s
                  timeline: []
                """);
        Scenario s = w.scenario();
        assertAll(
                () -> assertEquals(77, s.seed(), "the simulation's seed"),
                () -> assertEquals(Scenario.Traffic.DEFAULT, s.traffic()),
                () -> assertEquals(List.of(new Scenario.Variant("as-configured", null)), s.variants()),
                () -> assertTrue(s.timeline().isEmpty()));
    }

    @Test
    void trafficModeAndAVariantsOwn() throws SimConfigException {
        World w = load(WORLD + """
                scenario:
                  duration: 3s
                  traffic: {mode: both, connectionsPerEndpoint: 2}
                  variants:
                    - {name: as-set}
                    - {name: long-lived, traffic: rr}
                  timeline: []
                """);
        Scenario s = w.scenario();
        assertAll(
                () -> assertEquals(new Scenario.Traffic(Scenario.Mode.BOTH, 50, 500, 32, 2), s.traffic()),
                () -> assertEquals(List.of(Scenario.Mode.CHURN, Scenario.Mode.RR), s.traffic(s.variants().get(0)).mode()
                        .driven()),
                () -> assertEquals(Scenario.Mode.RR, s.traffic(s.variants().get(1)).mode()),
                () -> assertEquals(2, s.traffic(s.variants().get(1)).connectionsPerEndpoint()));
    }

    @Test
    void unknownTrafficMode() {
        assertOneProblem(WORLD + """
                scenario:
                  duration: 3s
                  variants:
                    - {name: x, traffic: keepalive}
                  timeline: []
                """, 18, "scenario.variants[0].traffic", "expected churn (a new connection per request), rr");
    }

    @Test
    void noScenarioSection() throws SimConfigException {
        assertNull(load(WORLD).scenario());
    }

    @Test
    void unknownFaultKindInTheTimeline() {
        assertOneProblem(WORLD + HEAD + """
                  timeline:
                    - {at: 2s, for: 3s, fault: az-outage, az: use1-az1}
                    - {at: 4s, fault: packet-loss, rate: 5}
                """, 21, "scenario.timeline[1].fault", "unknown kind packet-loss");
    }

    @Test
    void atMissing() {
        assertOneProblem(WORLD + HEAD + """
                  timeline:
                    - {for: 3s, fault: az-outage, az: use1-az1}
                """, 20, "scenario.timeline[0]", "'at'");
    }

    @Test
    void aStepEndingAfterTheDuration() {
        assertOneProblem(WORLD + HEAD + """
                  timeline:
                    - {at: 2s, for: 3s, fault: az-outage, az: use1-az1}
                    - {at: 8s, for: 2500ms, fault: az-outage, az: use1-az2}
                """, 21, "scenario.timeline[1]", "ends after the scenario's duration");
    }

    @Test
    void aStepStartingAfterTheDuration() {
        assertOneProblem(WORLD + HEAD + """
                  timeline:
                    - {at: 11s, fault: timeout}
                """, 20, "scenario.timeline[0]", "ends after the scenario's duration");
    }

    @Test
    void azNamingNoZone() {
        assertOneProblem(WORLD + HEAD + """
                  timeline:
                    - {at: 2s, for: 3s, fault: az-outage, az: use1-az9}
                """, 20, "scenario.timeline[0].az", "use1-az9");
    }

    @Test
    void azOutageWithoutAz() {
        assertOneProblem(WORLD + HEAD + """
                  timeline:
                    - {at: 2s, for: 3s, fault: az-outage}
                """, 20, "scenario.timeline[0]", "az-outage");
    }

    @Test
    void nodeNamingNoNode() {
        assertOneProblem(WORLD + HEAD + """
                  timeline:
                    - {at: 2s, fault: node-down, node: 127.160.3.10}
                """, 20, "scenario.timeline[0].node", "127.160.3.10");
    }

    @Test
    void aBadParameterIsReportedAtItsField() {
        assertOneProblem(WORLD + HEAD + """
                  timeline:
                    - at: 2s
                      fault: latency
                      latency: soon
                """, 22, "scenario.timeline[0].latency", "whole number");
    }

    @Test
    void aBadDuration() {
        assertOneProblem(WORLD + HEAD + """
                  timeline:
                    - {at: two seconds, fault: timeout}
                """, 20, "scenario.timeline[0].at", "duration");
    }

    @Test
    void durationMissing() {
        List<ConfigProblem> ps = problems(WORLD + """
                scenario:
                  timeline:
                    - {at: 2s, fault: timeout}
                """);
        assertTrue(ps.stream().anyMatch(p -> p.line() == 15 && p.path().equals("scenario")
                && p.message().contains("duration")), ps::toString);
    }

    @Test
    void everyBadStepIsReportedInOneRun() {
        List<ConfigProblem> ps = problems(WORLD + HEAD + """
                  timeline:
                    - {at: 2s, fault: packet-loss}
                    - {for: 3s, fault: az-outage, az: use1-az1}
                    - {at: 9s, for: 3s, fault: az-outage, az: use1-az1}
                    - {at: 1s, fault: az-outage, az: use1-az7}
                """);
        assertEquals(List.of(20, 21, 22, 23), ps.stream().map(ConfigProblem::line).toList(), ps::toString);
    }
}
