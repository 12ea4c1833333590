package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static io.plsim.dataplane.TestWorld.AZ2;
import static io.plsim.dataplane.TestWorld.NLB;
import static io.plsim.dataplane.TestWorld.healthIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.TestClient.Outcome;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Health checks against targets the test runs itself (plain sockets on 127.0.0.1, Proxy Protocol
 * off), in 127.152.0.0/16: a target that stops listening turns unhealthy after the threshold, loses
 * its flows and gets no new ones; it comes back when it listens again; with every target unhealthy
 * the node fails open; a zone without a healthy target refuses flows while cross-zone is off.
 */
@ExtendWith(LeakCheck.class)
class HealthCheckTest {

    private static final int NET = TestBlocks.of(HealthCheckTest.class);
    private static final Duration HEALTH_DEADLINE = Duration.ofSeconds(5);

    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;

    private TestTarget target() {
        return dataPlanes.target(TestTarget.echo());
    }

    private static TestWorld world() {
        return TestWorld.in(NET).proxyProtocol("false");
    }

    private void awaitHealth(TestTarget t, TargetHealth h) {
        Await.until(HEALTH_DEADLINE, () -> healthIs(dp, t.address(), h),
                () -> t.address() + " " + h + " on every node: " + dp.targets());
    }

    /** A flow with a unique first line; answers which of the given targets saw it. */
    private static TestTarget flowTo(InterfaceListener l, String line, TestTarget... candidates) throws IOException {
        try (TestClient c = TestClient.connect(l)) {
            assertEquals(line, c.roundTrip(line));
        }
        for (TestTarget t : candidates) {
            if (t.saw(line)) {
                return t;
            }
        }
        throw new AssertionError(line + " reached none of the targets");
    }

    @Test
    void aTargetThatStopsListeningTurnsUnhealthyLosesItsFlowsAndComesBack() throws Exception {
        TestTarget a = target();
        TestTarget b = target();
        dp = dataPlanes.startHealthy(world().targetAt("us-east-1a", a.port()).targetAt("us-east-1a", b.port()));
        InterfaceListener l = TestWorld.listenerIn(dp, AZ1);

        // A connection that lands on A, kept open.
        TestClient onA = null;
        for (int i = 0; i < 40 && onA == null; i++) {
            TestClient c = TestClient.connect(l);
            String line = "find A " + i;
            assertEquals(line, c.roundTrip(line));
            if (a.saw(line)) {
                onA = c;
            } else {
                c.close();
            }
        }
        assertNotNull(onA, "one of 40 flows reached A");
        try (TestClient held = onA) {
            a.stopListening();
            awaitHealth(a, TargetHealth.UNHEALTHY);
            assertEquals(TargetHealth.HEALTHY, dp.targets().get(1).healthByNodeZoneId().get(AZ1));

            // NLB resets the flows of a target that turns unhealthy.
            assertEquals(Outcome.RESET, held.awaitEnd(Duration.ofSeconds(5)));
        }

        for (int i = 0; i < 30; i++) {
            assertEquals(b, flowTo(l, "while A is down " + i, a, b), "new flows avoid the unhealthy target");
        }

        a.listenAgain();
        awaitHealth(a, TargetHealth.HEALTHY);
        int toA = 0;
        for (int i = 0; i < 40; i++) {
            if (flowTo(l, "A is back " + i, a, b) == a) {
                toA++;
            }
        }
        int back = toA;
        assertTrue(back >= 8 && back <= 32, () -> "A gets flows again (" + back + " of 40)");
        assertEquals(0, dp.stats().denied().getOrDefault("target-unreachable", 0L), () -> "" + dp.stats());
    }

    @Test
    void everyTargetUnhealthyFailsOpen() throws Exception {
        TestTarget a = target();
        TestTarget b = target();
        int nobodyListens;
        try (ServerSocket s = new ServerSocket(0)) {
            nobodyListens = s.getLocalPort();
        }
        dp = dataPlanes.start(world()
                .healthCheck("{intervalSeconds: 0.1, timeoutSeconds: 0.1, healthyThreshold: 2, unhealthyThreshold: 2,"
                        + " port: " + nobodyListens + "}")
                .targetAt("us-east-1a", a.port()).targetAt("us-east-1b", b.port()));
        awaitHealth(a, TargetHealth.UNHEALTHY);
        awaitHealth(b, TargetHealth.UNHEALTHY);

        // The health checks fail, the traffic port works: NLB sends flows to every target anyway.
        for (int i = 0; i < 10; i++) {
            assertEquals(a, flowTo(TestWorld.listenerIn(dp, AZ1), "fail open A " + i, a, b));
            assertEquals(b, flowTo(TestWorld.listenerIn(dp, AZ2), "fail open B " + i, a, b));
        }
        assertTrue(healthIs(dp, a.address(), TargetHealth.UNHEALTHY) && healthIs(dp, b.address(), TargetHealth.UNHEALTHY),
                () -> "still unhealthy: " + dp.targets());
        assertEquals(20, dp.stats().admitted());
    }

    @Test
    void aZoneWithoutAHealthyTargetResetsItsFlowsWhileCrossZoneIsOff() throws Exception {
        TestTarget a = target();
        TestTarget c = target();
        c.stopListening();
        dp = dataPlanes.start(world().targetAt("us-east-1a", a.port()).targetAt("us-east-1b", c.port()));
        awaitHealth(a, TargetHealth.HEALTHY);
        awaitHealth(c, TargetHealth.UNHEALTHY);
        InterfaceListener inAz1 = TestWorld.listenerIn(dp, AZ1);
        InterfaceListener inAz2 = TestWorld.listenerIn(dp, AZ2);

        for (int i = 0; i < 5; i++) {
            assertEquals(Outcome.RESET, TestClient.probe(inAz2, Duration.ofSeconds(2)), "zone AZ2 has no healthy target");
            assertEquals(a, flowTo(inAz1, "zone AZ1 works " + i, a, c));
        }
        assertEquals(5, dp.stats().denied().getOrDefault("no-healthy-target", 0L), () -> "" + dp.stats());

        // Cross-zone on: the node in AZ2 sends its flows to the healthy target in AZ1.
        dp.crossZone(NLB, true);
        for (int i = 0; i < 5; i++) {
            assertEquals(a, flowTo(inAz2, "across zones " + i, a, c));
        }

        // Cross-zone off again, and the AZ2 target back: AZ2's flows stay home.
        dp.crossZone(NLB, false);
        c.listenAgain();
        awaitHealth(c, TargetHealth.HEALTHY);
        for (int i = 0; i < 5; i++) {
            assertEquals(c, flowTo(inAz2, "home again " + i, a, c));
        }
    }
}
