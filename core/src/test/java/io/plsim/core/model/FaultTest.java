package io.plsim.core.model;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Fault#parse}: every kind with its parameters is accepted as given, and every mistake is
 * refused with a message that starts with the field that is wrong.
 */
class FaultTest {

    /** Fields from {@code key=value} pairs, in order. */
    private static Map<String, String> fields(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            m.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return m;
    }

    private static Fault parse(String... pairs) {
        return Fault.parse(fields(pairs));
    }

    /** Parses what must be refused; answers the message. */
    private static String refused(String... pairs) {
        return assertThrows(IllegalArgumentException.class, () -> parse(pairs),
                () -> "accepted " + fields(pairs)).getMessage();
    }

    private static void assertNames(String field, String message) {
        assertTrue(message.startsWith(field + ":"), () -> "message should name " + field + ": " + message);
    }

    // ---------------------------------------------------------------- every kind, accepted

    @Test
    void latencyWithJitterStreamToxicityAndScope() {
        Fault f = parse("fault=latency", "latency=250", "jitter=40", "stream=downstream", "toxicity=0.25",
                "az=use1-az1", "endpoint=vpce-0123456789abcdef0", "interface=127.160.130.5", "node=127.160.2.10",
                "target=127.0.0.1:9001");
        assertAll(
                () -> assertEquals(Fault.Kind.LATENCY, f.kind()),
                () -> assertEquals(Map.of("latency", 250L, "jitter", 40L), f.params()),
                () -> assertEquals(250, f.param("latency")),
                () -> assertEquals(40, f.param("jitter")),
                () -> assertEquals(Fault.Stream.DOWNSTREAM, f.stream()),
                () -> assertEquals(0.25, f.toxicity()),
                () -> assertEquals(new Fault.Scope("use1-az1", "vpce-0123456789abcdef0", "127.160.130.5",
                        "127.160.2.10", "127.0.0.1:9001"), f.scope()),
                () -> assertFalse(f.scope().isEverywhere()));
    }

    @Test
    void aLatencyFaultSaysWhatARoundTripGainsByItsDirection() {
        assertEquals("a round trip gains 100 ms (50 ms each way)",
                parse("fault=latency", "latency=50").roundTripNote().orElseThrow(), "stream=both is the default");
        assertEquals("a round trip gains 50 ms (50 ms downstream only, +- 10 ms of jitter)",
                parse("fault=latency", "latency=50", "jitter=10", "stream=downstream").roundTripNote().orElseThrow());
        assertEquals("a round trip gains 140 ms (70 ms each way, +- 40 ms of jitter)",
                parse("fault=latency", "latency=70", "jitter=20", "stream=both").roundTripNote().orElseThrow());
        assertTrue(parse("fault=bandwidth", "rate=10").roundTripNote().isEmpty());
    }

    @Test
    void connectionFaultDefaults() {
        Fault f = parse("fault=latency", "latency=5");
        assertAll(
                () -> assertEquals(Fault.Stream.BOTH, f.stream()),
                () -> assertEquals(1.0, f.toxicity()),
                () -> assertTrue(f.scope().isEverywhere()),
                () -> assertEquals(Fault.Scope.EVERYWHERE, f.scope()),
                () -> assertEquals(Map.of("latency", 5L), f.params(), "an optional parameter left out is not set"),
                () -> assertEquals(0, f.param("jitter"), "an unset parameter reads as 0"),
                () -> assertEquals("latency latency=5 stream=both toxicity=1.0 on everywhere", f.describe()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            latency         | fault=latency,latency=100,jitter=10                          | latency=100 jitter=10
            bandwidth       | fault=bandwidth,rate=100                                     | rate=100
            slow-close      | fault=slow-close,delay=500                                   | delay=500
            timeout 0       | fault=timeout                                                | ''
            timeout         | fault=timeout,timeout=500                                    | timeout=500
            reset-peer      | fault=reset-peer,timeout=300                                 | timeout=300
            reset-peer 0    | fault=reset-peer                                             | ''
            slicer          | fault=slicer,averageSize=64,sizeVariation=16,delay=1000      | averageSize=64 sizeVariation=16 delay=1000
            limit-data      | fault=limit-data,bytes=1000                                  | bytes=1000
            refuse-first-n  | fault=refuse-first-n,count=3                                 | count=3
            az-outage       | fault=az-outage,az=use1-az1                                  | ''
            node-down       | fault=node-down,node=127.160.1.10                            | ''
            target-down     | fault=target-down,target=127.0.0.1:9001                      | ''
            target-down az  | fault=target-down,az=use1-az2                                | ''
            blackhole       | fault=target-blackhole,target=127.0.0.1:9001                 | ''
            unhealthy       | fault=target-unhealthy,az=use1-az1                           | ''
            upper case name | fault=LATENCY,latency=7                                      | latency=7
            """)
    void everyKindIsAccepted(String name, String given, String params) {
        Fault f = parse(given.split(","));
        Map<String, Long> expected = new LinkedHashMap<>();
        for (String p : params.isBlank() ? new String[0] : params.split(" ")) {
            expected.put(p.substring(0, p.indexOf('=')), Long.parseLong(p.substring(p.indexOf('=') + 1)));
        }
        assertEquals(expected, f.params(), name);
        assertEquals(Fault.Kind.ofWire(fields(given.split(",")).get("fault")).orElseThrow(), f.kind());
        assertTrue(f.describe().startsWith(f.kind().wire()), f.describe());
    }

    @Test
    void everyKindHasAWireNameAndIsFoundByIt() {
        for (Fault.Kind k : Fault.Kind.values()) {
            assertEquals(k, Fault.Kind.ofWire(k.wire()).orElseThrow(), k.name());
        }
        assertTrue(Fault.Kind.ofWire("packet-loss").isEmpty());
    }

    @Test
    void zoneAndComponentFaultsHaveNoStreamOrToxicityInTheirDescription() {
        Fault f = parse("fault=az-outage", "az=use1-az1");
        assertAll(
                () -> assertFalse(f.kind().isConnectionFault()),
                () -> assertEquals("az-outage on az=use1-az1", f.describe()),
                () -> assertEquals("use1-az1", f.scope().zoneId()),
                () -> assertNull(f.scope().node()));
    }

    @Test
    void blankScopeValuesMeanEverywhereAndValuesAreTrimmed() {
        Fault f = parse("fault=latency", "latency= 15 ", "az= ", "toxicity= 0.5 ");
        assertAll(
                () -> assertTrue(f.scope().isEverywhere()),
                () -> assertEquals(15, f.param("latency")),
                () -> assertEquals(0.5, f.toxicity()));
    }

    @Test
    void toxicityBoundsAreAccepted() {
        assertEquals(0.0, parse("fault=reset-peer", "toxicity=0").toxicity());
        assertEquals(1.0, parse("fault=reset-peer", "toxicity=1").toxicity());
    }

    // ---------------------------------------------------------------- refused, naming the field

    @Test
    void missingKind() {
        String m = refused("latency=100");
        assertNames("fault", m);
        assertTrue(m.contains("latency") && m.contains("az-outage"), "lists the kinds: " + m);
    }

    @Test
    void unknownKind() {
        String m = refused("fault=packet-loss", "rate=10");
        assertNames("fault", m);
        assertTrue(m.contains("packet-loss"), m);
        assertTrue(m.contains("slow-close"), "lists the kinds: " + m);
    }

    @Test
    void unknownKey() {
        String m = refused("fault=latency", "latency=100", "delay=5");
        assertNames("delay", m);
        assertTrue(m.contains("latency fault"), m);
        assertTrue(m.contains("jitter"), "lists the keys it takes: " + m);
    }

    @Test
    void aParameterOfAnotherKindIsAnUnknownKey() {
        assertNames("rate", refused("fault=latency", "latency=100", "rate=10"));
        assertNames("count", refused("fault=az-outage", "az=use1-az1", "count=2"));
    }

    @ParameterizedTest(name = "{0} needs {1}")
    @CsvSource({"latency, latency", "bandwidth, rate", "slow-close, delay", "slicer, averageSize",
        "limit-data, bytes", "refuse-first-n, count"})
    void missingRequiredParameter(String kind, String param) {
        String m = refused("fault=" + kind);
        assertNames(param, m);
        assertTrue(m.contains("missing"), m);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"latency, 10ms", "latency, 1.5", "latency, ''", "jitter, ten", "latency, 99999999999999999999"})
    void nonNumericParameter(String param, String value) {
        String m = refused("fault=latency", param.equals("latency") ? "latency=" + value : "latency=10",
                param.equals("jitter") ? "jitter=" + value : "stream=both");
        assertNames(param, m);
        assertTrue(m.contains("whole number"), m);
    }

    @ParameterizedTest(name = "{0} {1}=-1")
    @CsvSource({"latency, latency", "latency, jitter", "bandwidth, rate", "timeout, timeout", "reset-peer, timeout",
        "slicer, delay", "limit-data, bytes", "refuse-first-n, count", "slow-close, delay"})
    void negativeParameter(String kind, String param) {
        Map<String, String> f = fields("fault=" + kind);
        for (String p : Fault.Kind.ofWire(kind).orElseThrow().params()) {
            f.put(p, "5");
        }
        f.put(param, "-1");
        String m = assertThrows(IllegalArgumentException.class, () -> Fault.parse(f)).getMessage();
        assertNames(param, m);
        assertTrue(m.contains("negative"), m);
    }

    @Test
    void zeroRateAndZeroSliceAreRefused() {
        assertNames("rate", refused("fault=bandwidth", "rate=0"));
        assertNames("averageSize", refused("fault=slicer", "averageSize=0"));
    }

    @ParameterizedTest(name = "toxicity={0}")
    @CsvSource({"1.5", "-0.1", "2", "NaN", "half", "Infinity"})
    void toxicityOutsideZeroToOne(String value) {
        String m = refused("fault=latency", "latency=10", "toxicity=" + value);
        assertNames("toxicity", m);
        assertTrue(m.contains("0 to 1"), m);
    }

    @Test
    void unknownStream() {
        String m = refused("fault=latency", "latency=10", "stream=sideways");
        assertNames("stream", m);
        assertTrue(m.contains("upstream") && m.contains("downstream"), m);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fault=az-outage;az=use1-az1", "fault=node-down;node=127.160.1.10",
        "fault=target-down;target=127.0.0.1:9001", "fault=refuse-first-n;count=2"})
    void streamOnAZoneOrComponentFault(String given) {
        String m = refused((given + ";stream=downstream").split(";"));
        assertNames("stream", m);
        assertTrue(m.contains("only connection faults"), m);
    }

    @Test
    void toxicityOnAZoneFault() {
        assertNames("toxicity", refused("fault=az-outage", "az=use1-az1", "toxicity=0.5"));
    }

    @Test
    void azOutageWithoutAz() {
        String m = refused("fault=az-outage");
        assertNames("az", m);
        assertTrue(m.contains("use1-az1"), "shows an example: " + m);
    }

    @Test
    void azOutageWithAnotherScopeBesidesTheZone() {
        assertNames("az", refused("fault=az-outage", "az=use1-az1", "node=127.160.1.10"));
        assertNames("az", refused("fault=az-outage", "target=127.0.0.1:9001"));
    }

    @Test
    void nodeDownWithoutNode() {
        assertNames("node", refused("fault=node-down"));
        assertNames("node", refused("fault=node-down", "az=use1-az1"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"target-down", "target-blackhole", "target-unhealthy"})
    void targetFaultWithoutTargetOrZone(String kind) {
        String m = refused("fault=" + kind);
        assertNames("target", m);
        assertTrue(m.contains(kind), m);
    }

    @Test
    void refuseFirstNScopedToATargetIsRefused() {
        // It acts when a connection arrives, before any target is chosen: a target scope could never match.
        String m = refused("fault=refuse-first-n", "count=2", "target=127.0.0.1:9001");
        assertNames("target", m);
        assertTrue(parse("fault=refuse-first-n", "count=2", "node=127.160.1.10").scope().node() != null);
    }

    @Test
    void paramsAreImmutable() {
        Fault f = parse("fault=latency", "latency=10");
        assertThrows(UnsupportedOperationException.class, () -> f.params().put("jitter", 1L));
    }

    // ---------------------------------------------------------------- where a scope applies

    @Test
    void aScopeMatchesWhereEveryFieldItGivesIsTheSame() {
        Fault.Location conn = Fault.Location.ofInterface("use1-az1", "vpce-0123456789abcdef0", "127.160.130.5",
                "127.160.1.10").withTarget("127.0.0.1:9001");
        assertAll(
                () -> assertTrue(Fault.Scope.EVERYWHERE.matches(conn)),
                () -> assertTrue(parse("fault=latency", "latency=1", "az=use1-az1").scope().matches(conn)),
                () -> assertFalse(parse("fault=latency", "latency=1", "az=use1-az2").scope().matches(conn)),
                () -> assertTrue(parse("fault=latency", "latency=1", "az=use1-az1", "endpoint=vpce-0123456789abcdef0",
                        "interface=127.160.130.5", "node=127.160.1.10", "target=127.0.0.1:9001").scope().matches(conn)),
                () -> assertFalse(parse("fault=latency", "latency=1", "az=use1-az1",
                        "target=127.0.0.1:9002").scope().matches(conn)),
                () -> assertFalse(parse("fault=latency", "latency=1", "node=127.160.2.10").scope().matches(conn)),
                () -> assertFalse(parse("fault=latency", "latency=1", "interface=127.160.129.5").scope().matches(conn)));
    }

    @Test
    void whatAPlaceDoesNotHaveIsNotCompared() {
        // A target has no endpoint and a node no interface: a target-down fault scoped to a target
        // and a zone is judged on those two alone.
        Fault.Scope targetDown = parse("fault=target-down", "target=127.0.0.1:9001", "az=use1-az2").scope();
        assertTrue(targetDown.matches(Fault.Location.ofTarget("use1-az2", "127.0.0.1:9001")));
        assertFalse(targetDown.matches(Fault.Location.ofTarget("use1-az1", "127.0.0.1:9001")));
        assertFalse(targetDown.matches(Fault.Location.ofTarget("use1-az2", "127.0.0.1:9002")));
        Fault.Scope nodeDown = parse("fault=node-down", "node=127.160.1.10").scope();
        assertTrue(nodeDown.matches(Fault.Location.ofNode("use1-az1", "127.160.1.10")));
        assertFalse(nodeDown.matches(Fault.Location.ofNode("use1-az1", "127.160.1.20")));
    }

    @Test
    void everyScopeKeyAKindOffersIsOneItsParseTakesAndNoKindOffersATargetItCannotMatch() {
        Map<String, String> values = Map.of("az", "use1-az1", "endpoint", "vpce-0123456789abcdef0",
                "interface", "127.2.1.4", "node", "127.1.1.10", "target", "127.0.0.1:9001");
        for (Fault.Kind k : Fault.Kind.values()) {
            for (String key : k.scopeKeys()) {
                Map<String, String> f = new LinkedHashMap<>();
                f.put("fault", k.wire());
                k.required().forEach(p -> f.put(p, "1"));
                // the scope the kind cannot go without, then the one offered
                String base = k.scopeKeys().get(0);
                f.put(base, values.get(base));
                f.put(key, values.get(key));
                Fault parsed = assertDoesNotThrow(() -> Fault.parse(f), k.wire() + " with " + key);
                assertEquals(values.get(key), parsed.scope().fields().get(key), k.wire() + " " + key);
            }
        }
        assertFalse(Fault.Kind.REFUSE_FIRST_N.scopeKeys().contains("target"), "refuse-first-n refuses a target");
        assertEquals(java.util.List.of("az"), Fault.Kind.AZ_OUTAGE.scopeKeys());
    }
}
