package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Interface listeners with one listening socket per event loop ({@code SO_REUSEPORT} on epoll), in
 * 127.166.0.0/16: a second data plane on the same addresses is still refused rather than given a
 * share of the connections, and a closed one's addresses are free again.
 */
@ExtendWith(LeakCheck.class)
class SharedListenTest {

    private static final int NET = TestBlocks.of(SharedListenTest.class);

    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;
    private TestTarget target;

    private TestWorld world() {
        return TestWorld.in(NET).proxyProtocol("false").targetAt("us-east-1a", target.port());
    }

    @Test
    void aSecondDataPlaneOnTheSameAddressesIsRefused() throws Exception {
        target = dataPlanes.target(TestTarget.start(TestTarget.ECHO));
        dp = dataPlanes.start(world());
        DataPlaneException e = assertThrows(DataPlaneException.class, () -> world().start());
        assertTrue(e.getMessage().startsWith("cannot listen on 127." + NET + "."), e.getMessage());
        assertTrue(e.getMessage().contains("(is another plsim running?)"), e.getMessage());
        // The first one still relays.
        TestWorld.awaitHealthy(dp);
        try (TestClient c = TestClient.connect(TestWorld.listenerIn(dp, AZ1))) {
            assertEquals("still here", c.roundTrip("still here"));
        }
    }

    @Test
    void theAddressesOfAClosedDataPlaneCanBeListenedOnAgain() throws Exception {
        target = dataPlanes.target(TestTarget.start(TestTarget.ECHO));
        dp = dataPlanes.start(world());
        dp.close(Duration.ZERO);
        dp = dataPlanes.startHealthy(world());
        try (TestClient c = TestClient.connect(TestWorld.listenerIn(dp, AZ1))) {
            assertEquals("again", c.roundTrip("again"));
        }
    }
}
