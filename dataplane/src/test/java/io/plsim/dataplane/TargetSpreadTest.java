package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static io.plsim.dataplane.TestWorld.AZ2;
import static io.plsim.dataplane.TestWorld.NLB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where flows go, in 127.151.0.0/16: two pp2-inspect targets in each of the provider's two zones,
 * each flow's target read from the JSON line pp2-inspect answers first.
 */
@ExtendWith(LeakCheck.class)
class TargetSpreadTest {

    private static final int NET = TestBlocks.of(TargetSpreadTest.class);
    private static final int FLOWS = 400;

    private final TestWorld world = TestWorld.in(NET)
            .target("us-east-1a", "builtin: pp2-inspect")
            .target("us-east-1a", "builtin: pp2-inspect")
            .target("us-east-1b", "builtin: pp2-inspect")
            .target("us-east-1b", "builtin: pp2-inspect");
    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;

    @BeforeEach
    void start() throws Exception {
        dp = dataPlanes.startHealthy(world);
        assertEquals(4, dp.targets().size());
    }

    /** One flow: the JSON line pp2-inspect answered, after checking the echo of one line. */
    private static String flow(InterfaceListener l) throws IOException {
        try (TestClient c = TestClient.connect(l)) {
            String json = c.roundTrip("which target?");
            assertEquals("which target?", c.readLine(), "echo after the JSON line");
            return json;
        }
    }

    /** Counts flows by target address. */
    private static Map<String, Integer> spread(InterfaceListener l, int flows) throws IOException {
        Map<String, Integer> byTarget = new TreeMap<>();
        for (int i = 0; i < flows; i++) {
            byTarget.merge(TestClient.jsonField(flow(l), "target"), 1, Integer::sum);
        }
        return byTarget;
    }

    @Test
    void crossZoneOffKeepsEveryFlowInItsZone() throws IOException {
        for (String zoneId : List.of(AZ1, AZ2)) {
            InterfaceListener l = TestWorld.listenerIn(dp, zoneId);
            Map<String, Integer> byTarget = spread(l, FLOWS / 4);
            for (String target : byTarget.keySet()) {
                assertEquals(zoneId, TestWorld.zoneOfTarget(dp, target),
                        "flow through " + l.address() + " (" + zoneId + ") reached " + target + ": " + byTarget);
            }
            assertEquals(2, byTarget.size(), () -> "both targets of " + zoneId + " get flows: " + byTarget);
            byTarget.values().forEach(n -> assertTrue(n >= FLOWS / 4 * 25 / 100,
                    () -> "each in-zone target gets at least 25%: " + byTarget));
        }
    }

    @Test
    void crossZoneOnSpreadsOverEveryHealthyTarget() throws IOException {
        dp.crossZone(NLB, true);
        assertTrue(dp.crossZone(NLB));
        Map<String, Integer> byTarget = new TreeMap<>();
        for (String zoneId : List.of(AZ1, AZ2)) {
            spread(TestWorld.listenerIn(dp, zoneId), FLOWS / 2).forEach((t, n) -> byTarget.merge(t, n, Integer::sum));
        }
        assertEquals(4, byTarget.size(), () -> "all 4 targets get flows: " + byTarget);
        // A fair share is 25%; a binomial(400, 1/4) stays within 15%-35% but for a 1e-6 chance.
        byTarget.values().forEach(n -> assertTrue(n >= FLOWS * 15 / 100 && n <= FLOWS * 35 / 100,
                () -> "each target gets 15%-35% of " + FLOWS + ": " + byTarget));
        assertEquals(FLOWS, byTarget.values().stream().mapToInt(Integer::intValue).sum());

        // The data plane's own flow counts agree with what the targets answered.
        for (TargetView t : dp.targets()) {
            assertEquals((long) byTarget.get(t.address()), t.flows(), () -> "flows of " + t);
        }
    }

    @Test
    void aFlowKeepsItsTargetWhileOtherFlowsSpread() throws IOException {
        dp.crossZone(NLB, true);
        InterfaceListener l = TestWorld.listenerIn(dp, AZ1);
        try (TestClient longLived = TestClient.connect(l)) {
            String target = TestClient.jsonField(longLived.roundTrip("first"), "target");
            assertEquals("first", longLived.readLine());
            Map<String, Integer> others = new TreeMap<>();
            for (int i = 0; i < 50; i++) {
                others.merge(TestClient.jsonField(flow(l), "target"), 1, Integer::sum);
                String line = "round trip " + i + " of the long flow";
                assertEquals(line, longLived.roundTrip(line), "the long flow's bytes come back whole");
            }
            assertTrue(others.size() >= 3, () -> "meanwhile new flows spread: " + others);
            // 51 flows in all; the long one counts once, on its own target, however many round trips it made.
            Map<String, Long> counted = new TreeMap<>();
            dp.targets().forEach(t -> counted.put(t.address(), t.flows()));
            assertEquals(51, counted.values().stream().mapToLong(Long::longValue).sum());
            assertEquals(1 + others.getOrDefault(target, 0), counted.get(target), () -> "flows of " + target
                    + ": counted " + counted + ", short flows " + others);
        }
    }

    @Test
    void theConsumersZoneNameMapsToTheProvidersNodeByZoneId() throws IOException {
        // The consumer's us-east-1a is use1-az2, which the provider calls us-east-1b: node 127.151.2.10.
        InterfaceListener a = dp.listeners(TestWorld.endpointId(dp)).stream()
                .filter(l -> l.zoneName().equals("us-east-1a")).findFirst().orElseThrow();
        assertEquals(AZ2, a.zoneId());
        assertEquals("127.151.129.", a.ip().substring(0, 12));
        for (int i = 0; i < 10; i++) {
            try (TestClient c = TestClient.connect(a)) {
                String json = c.roundTrip("where am I?");
                assertEquals(world.nodeIp(AZ2), TestClient.jsonField(json, "peer").split(":")[0],
                        () -> "the target's TCP peer is the use1-az2 node: " + json);
                assertEquals(AZ2, TestWorld.zoneOfTarget(dp, TestClient.jsonField(json, "target")));
                assertEquals(c.localAddress(), TestClient.jsonField(json, "source"), "the consumer in the header");
                assertEquals(a.address(), TestClient.jsonField(json, "destination"), "the interface in the header");
                assertEquals(TestWorld.endpointId(dp), TestClient.jsonField(json, "vpceEndpointId"));
                assertEquals("valid", TestClient.jsonField(json, "crc32c"));
            }
        }
        InterfaceListener b = TestWorld.listenerIn(dp, AZ1);
        assertEquals("us-east-1b", b.zoneName());
        try (TestClient c = TestClient.connect(b)) {
            assertEquals(world.nodeIp(AZ1), TestClient.jsonField(c.roundTrip("and here?"), "peer").split(":")[0]);
        }
    }
}
