package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.TestClient.Outcome;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The flow idle timeout, in 127.154.0.0/16, set to its minimum of 1 s: an idle flow is reset (as
 * NLB answers data on an expired flow with a reset), a busy one lives on.
 */
@ExtendWith(LeakCheck.class)
class IdleTimeoutTest {

    private static final int NET = TestBlocks.of(IdleTimeoutTest.class);
    private static final long MIN_MILLIS = 800;
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;

    private InterfaceListener start(TestWorld w) throws Exception {
        dp = dataPlanes.startHealthy(w.idleTimeoutSeconds(1).target("us-east-1a", "builtin: echo"));
        return TestWorld.listenerIn(dp, AZ1);
    }

    @Test
    void anIdleFlowIsResetAfterTheTimeout() throws Exception {
        InterfaceListener l = start(TestWorld.in(NET));
        try (TestClient c = TestClient.connect(l)) {
            assertEquals("then silence", c.roundTrip("then silence"));
            long idleSince = System.nanoTime();
            Outcome end = c.awaitEnd(DEADLINE);
            long millis = (System.nanoTime() - idleSince) / 1_000_000;
            assertEquals(Outcome.RESET, end);
            assertTrue(millis >= MIN_MILLIS, "reset after " + millis + " ms, not before the timeout");
        }
        assertEquals(1, dp.stats().idleTimeouts());
        Await.until(Duration.ofSeconds(5), () -> dp.stats().openConnections() == 0, () -> "closed: " + dp.stats());
    }

    @Test
    void aBusyFlowOutlivesTheTimeout() throws Exception {
        InterfaceListener l = start(TestWorld.in(NET));
        try (TestClient c = TestClient.connect(l)) {
            long start = System.nanoTime();
            // A round trip every 200 ms for 2.5 s: never idle for the 1 s timeout.
            for (int i = 0; i < 13; i++) {
                assertEquals("busy " + i, c.roundTrip("busy " + i));
                TimeUnit.MILLISECONDS.sleep(200);
            }
            assertTrue(System.nanoTime() - start > 2_000_000_000L, "the flow lived longer than the timeout");
            assertEquals(0, dp.stats().idleTimeouts());
            assertEquals(Outcome.RESET, c.awaitEnd(DEADLINE), "once idle, it is reset");
        }
        assertEquals(1, dp.stats().idleTimeouts());
    }

    @Test
    void aBlackholedConnectionEndsAtTheIdleTimeout() throws Exception {
        InterfaceListener l = start(TestWorld.in(NET).acceptanceRequired(true).admission("blackhole"));
        try (TestClient c = TestClient.connect(l)) {
            c.writeLine("is anyone there?");
            long since = System.nanoTime();
            Outcome end = c.awaitEnd(DEADLINE);
            long millis = (System.nanoTime() - since) / 1_000_000;
            assertEquals(Outcome.RESET, end, "silent, then reset");
            assertTrue(millis >= MIN_MILLIS, "held silent for " + millis + " ms");
        }
        assertEquals(1, dp.stats().denied().get("endpoint-pendingAcceptance"));
        assertEquals(0, dp.stats().admitted());
    }
}
