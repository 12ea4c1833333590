package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.TestClient.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The flow idle timeout, in 127.154.0.0/16, set to its minimum of 1 s: an idle flow is reset (as
 * NLB answers data on an expired flow with a reset), not before, and a busy one lives on. The flows'
 * time is a {@link MovedTicker} the test moves, so no test waits for the timeout to pass.
 */
@ExtendWith(LeakCheck.class)
class IdleTimeoutTest {

    private static final int NET = TestBlocks.of(IdleTimeoutTest.class);
    private static final long MIN_MILLIS = 800;
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private final MovedTicker ticker = new MovedTicker();
    private DataPlane dp;

    private InterfaceListener start(TestWorld w) throws Exception {
        dp = dataPlanes.startHealthy(w.idleTimeoutSeconds(1).target("us-east-1a", "builtin: echo"), ticker);
        return TestWorld.listenerIn(dp, AZ1);
    }

    /**
     * The sweeps see the flow's last bytes, then the time moves on by {@code time} and every sweep has seen
     * that too.
     */
    private void idleFor(Duration time) {
        ticker.awaitSweeps(DEADLINE);
        ticker.advance(time);
        ticker.awaitSweeps(DEADLINE);
    }

    @Test
    void anIdleFlowIsResetOnceTheTimeoutHasPassedAndNotBefore() throws Exception {
        InterfaceListener l = start(TestWorld.in(NET));
        try (TestClient c = TestClient.connect(l)) {
            assertEquals("then silence", c.roundTrip("then silence"));
            idleFor(Duration.ofMillis(900));
            assertEquals(0, dp.stats().idleTimeouts(), "idle for 900 ms of a 1 s timeout: not reset yet");
            assertEquals("still here", c.roundTrip("still here"));
            idleFor(Duration.ofMillis(999));
            assertEquals(0, dp.stats().idleTimeouts(), "idle for 999 ms since it last carried bytes: not reset yet");
            ticker.advance(Duration.ofMillis(1));
            assertEquals(Outcome.RESET, c.awaitEnd(DEADLINE), "idle for the whole second: reset");
        }
        assertEquals(1, dp.stats().idleTimeouts());
        Await.until(Duration.ofSeconds(5), () -> dp.stats().openConnections() == 0, () -> "closed: " + dp.stats());
    }

    @Test
    void aBusyFlowOutlivesTheTimeout() throws Exception {
        InterfaceListener l = start(TestWorld.in(NET));
        try (TestClient c = TestClient.connect(l)) {
            // A round trip every 200 ms for 2.6 s: never idle for the 1 s timeout.
            for (int i = 0; i < 13; i++) {
                assertEquals("busy " + i, c.roundTrip("busy " + i));
                idleFor(Duration.ofMillis(200));
            }
            assertEquals(0, dp.stats().idleTimeouts(), "busy for 2.6 s, never idle for 1 s");
            ticker.advance(Duration.ofSeconds(1));
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
