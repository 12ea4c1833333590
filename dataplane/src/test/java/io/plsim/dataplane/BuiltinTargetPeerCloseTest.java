package io.plsim.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plsim.core.model.Fault;
import io.plsim.core.model.LoadBalancer.TargetKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in targets of a world, in 127.187.0.0/16, close every connection whose peer has
 * closed: bare connect-and-close, and the health checks of the NLB nodes with Proxy Protocol off
 * (nothing sent) and on (the LOCAL header). Otherwise each check, every few seconds, leaves a
 * socket in {@code CLOSE_WAIT} and a file descriptor open for as long as plsim runs. Counted in the
 * kernel's TCP table ({@link TcpSockets}, Linux).
 */
@ExtendWith(LeakCheck.class)
class BuiltinTargetPeerCloseTest {

    private static final int NET = TestBlocks.of(BuiltinTargetPeerCloseTest.class);
    private static final int N = 50;
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final int HEALTHY_THRESHOLD = 10;
    private static final int ROUNDS = 3;

    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;

    /**
     * N bare connect-and-close to each target, and the real health checker from the two nodes. A
     * fault that fails the checks before they connect turns the targets unhealthy, and lifting it
     * brings them back after {@value #HEALTHY_THRESHOLD} connects in a row from each node: {@value
     * #ROUNDS} rounds of that make at least 60 checks a target. Once the fault stays on and no check
     * connects any more, none of the target's connections may be left open.
     */
    @ParameterizedTest(name = "Proxy Protocol v2 {0}")
    @ValueSource(booleans = {false, true})
    void aConnectionWhosePeerClosedIsClosed(boolean proxyProtocol) throws Exception {
        assumeTrue(TcpSockets.readable(), "counts sockets in Linux's /proc/net/tcp");
        TestWorld world = TestWorld.in(NET).proxyProtocol(proxyProtocol ? "{v2: true, crc32c: true}" : "false")
                .healthCheck("{intervalSeconds: 0.05, timeoutSeconds: 0.05, healthyThreshold: " + HEALTHY_THRESHOLD
                        + ", unhealthyThreshold: 2}");
        List<TargetKind> builtins = Stream.of(TargetKind.values()).filter(k -> k != TargetKind.ADDRESS).toList();
        builtins.forEach(k -> world.target("us-east-1a", "builtin: " + k.configName()));
        dp = dataPlanes.start(world);
        List<String> targets = dp.targets().stream().map(TargetView::address).toList();
        assertEquals(builtins.size(), targets.size(), dp.targets().toString());

        for (String t : targets) {
            InetSocketAddress at = socketAddress(t);
            for (int i = 0; i < N; i++) {
                TestClient.connect(at.getHostString(), at.getPort()).close();
            }
        }
        for (int round = 1; round <= ROUNDS; round++) {
            TestWorld.awaitHealthy(dp);
            List<FaultView> faults = targets.stream()
                    .map(t -> dp.addFault(Fault.parse(Map.of("fault", "target-unhealthy", "target", t)))).toList();
            for (String t : targets) {
                Await.until(DEADLINE, () -> TestWorld.healthIs(dp, t, TargetHealth.UNHEALTHY),
                        () -> t + " unhealthy on every node: " + dp.targets());
            }
            if (round < ROUNDS) {
                faults.forEach(f -> dp.removeFault(f.id()));
            }
        }
        for (String t : targets) {
            InetSocketAddress at = socketAddress(t);
            Await.until(DEADLINE, () -> TcpSockets.notClosedAt(at) == 0,
                    () -> "every connection closed by " + t + " once its peer closed: " + TcpSockets.notClosedAt(at)
                            + " still open (ESTABLISHED or CLOSE_WAIT)");
        }
    }

    /** {@code ip:port} as {@link DataPlane#targets()} gives it. */
    private static InetSocketAddress socketAddress(String target) {
        int colon = target.lastIndexOf(':');
        return new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
    }
}
