package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static io.plsim.dataplane.TestWorld.AZ2;
import static io.plsim.dataplane.TestWorld.NLB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bytes between zones, in 127.173.0.0/16: cross-zone on, one target in the provider's us-east-1a
 * (use1-az1), so a flow through the consumer's use1-az2 interface crosses zones and one through its
 * use1-az1 interface does not. The target reads a request of known size and answers one of another,
 * so that the two directions cannot be mistaken for each other.
 */
@ExtendWith(LeakCheck.class)
class CrossZoneBytesTest {

    private static final int NET = TestBlocks.of(CrossZoneBytesTest.class);
    static final int REQUEST = 10_000;
    static final int RESPONSE = 25_000;

    private TestTarget target;
    private DataPlane dp;

    @BeforeEach
    void start() throws Exception {
        target = TestTarget.start(TestTarget.answering(REQUEST, RESPONSE));
        dp = TestWorld.in(NET).crossZone(true).proxyProtocol("false").targetAt("us-east-1a", target.port()).start();
        TestWorld.awaitHealthy(dp);
    }

    @AfterEach
    void stop() {
        if (dp != null) {
            dp.close(Duration.ZERO);
        }
        if (target != null) {
            target.close();
        }
    }

    /** One flow through the interface in {@code zoneId}: the request out, the whole answer back. */
    static void askAndRead(InterfaceListener l) throws IOException {
        try (TestClient c = TestClient.connect(l)) {
            assertEquals(RESPONSE, c.sendAndReadToEnd(REQUEST), "the whole answer");
        }
    }

    @Test
    void aFlowToATargetInAnotherZoneCountsItsBytesEachWay() throws IOException {
        askAndRead(TestWorld.listenerIn(dp, AZ2));
        String endpoint = dp.interfaceStats().get(0).endpointId();
        CrossZoneTraffic expected = new CrossZoneTraffic(endpoint, NLB, AZ2, AZ1, REQUEST, RESPONSE);
        Await.until(Duration.ofSeconds(5), () -> dp.crossZoneTraffic().equals(List.of(expected)),
                () -> "cross-zone bytes " + dp.crossZoneTraffic());
        assertEquals(0.01, dp.crossZonePricePerGb(), "AWS's inter-AZ rate by default");
        assertEquals((REQUEST + RESPONSE) / (1024.0 * 1024 * 1024) * 0.01, expected.cost(dp.crossZonePricePerGb()), 1e-15);

        askAndRead(TestWorld.listenerIn(dp, AZ2));
        Await.until(Duration.ofSeconds(5), () -> dp.crossZoneTraffic().equals(List.of(
                new CrossZoneTraffic(endpoint, NLB, AZ2, AZ1, 2L * REQUEST, 2L * RESPONSE))),
                () -> "a second flow adds to the same account: " + dp.crossZoneTraffic());
    }

    @Test
    void aFlowWhoseZonesMatchCountsNothing() throws IOException {
        InterfaceListener same = TestWorld.listenerIn(dp, AZ1);
        askAndRead(same);
        // The relay counted the flow's bytes; had it counted them across zones, it would have by now.
        Await.until(Duration.ofSeconds(5), () -> dp.interfaceStats().stream()
                        .filter(i -> i.zoneId().equals(AZ1)).mapToLong(InterfaceStats::bytesDown).sum() == RESPONSE
                        && dp.stats().openConnections() == 0,
                () -> "the flow's bytes counted and the flow closed: " + dp.interfaceStats());
        assertEquals(List.of(), dp.crossZoneTraffic());
    }
}
