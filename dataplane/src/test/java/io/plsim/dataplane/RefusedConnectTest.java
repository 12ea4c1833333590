package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.TestClient.Outcome;
import java.io.File;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A target that refuses the node's connect, in 127.167.0.0/16: the consumer is reset, and the
 * node's socket is closed, not left open (on epoll it would wait, and wake its event loop, forever).
 */
@ExtendWith(LeakCheck.class)
class RefusedConnectTest {

    private static final int NET = TestBlocks.of(RefusedConnectTest.class);
    private static final int CONNECTIONS = 40;
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;

    @Test
    void aRefusedConnectResetsTheConsumerAndClosesTheNodesSocket() throws Exception {
        int nobodyListens;
        try (ServerSocket s = new ServerSocket(0)) {
            nobodyListens = s.getLocalPort();
        }
        // Its health checks fail too; with every target unhealthy the node fails open and connects.
        dp = dataPlanes.start(TestWorld.in(NET).proxyProtocol("false")
                .healthCheck("{intervalSeconds: 0.1, timeoutSeconds: 0.1, healthyThreshold: 2, unhealthyThreshold: 2}")
                .targetAt("us-east-1a", nobodyListens));
        String target = "127.0.0.1:" + nobodyListens;
        Await.until(DEADLINE, () -> TestWorld.healthIs(dp, target, TargetHealth.UNHEALTHY),
                () -> "the target is unhealthy: " + dp.targets());
        InterfaceListener l = TestWorld.listenerIn(dp, AZ1);
        int before = openFiles();
        for (int i = 0; i < CONNECTIONS; i++) {
            assertEquals(Outcome.RESET, resetOrConnectReset(l), "connection " + i);
        }
        assertEquals(CONNECTIONS, (long) dp.stats().denied().get(InterfaceCounters.DENIED_TARGET_UNREACHABLE));
        Await.until(DEADLINE, () -> openFiles() < before + CONNECTIONS / 2,
                () -> "the node's sockets are closed: " + openFiles() + " open files, " + before + " before");
    }

    /** The reset can come so fast that it meets the consumer's connect itself. */
    private static Outcome resetOrConnectReset(InterfaceListener l) {
        try (TestClient c = TestClient.connect(l)) {
            return c.awaitEnd(DEADLINE);
        } catch (UncheckedIOException e) {
            assertTrue(String.valueOf(e.getCause().getMessage()).contains("reset"), e.getMessage());
            return Outcome.RESET;
        }
    }

    private static int openFiles() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? 0 : fds.length;
    }
}
