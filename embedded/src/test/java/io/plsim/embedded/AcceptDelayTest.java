package io.plsim.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.EventLog;
import io.plsim.dataplane.LeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code simulation.acceptDelaySeconds}: an accepted endpoint is {@code pending} for the delay, then
 * {@code available}, as in AWS; its interfaces admit connections once it is, without the test asking,
 * and {@link PlsimWorld#waitForState} waits through it.
 */
@ExtendWith(LeakCheck.class)
class AcceptDelayTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private static String delayedWorld() throws IOException {
        try (InputStream in = AcceptDelayTest.class.getResourceAsStream("/world.yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return "simulation:\n  acceptDelaySeconds: 2\n"
                    + yaml.replace("acceptanceRequired: false", "acceptanceRequired: true");
        }
    }

    private static List<String> stateChanges(PlsimWorld world) {
        return world.events().stream().filter(e -> e.kind().equals("endpoint-state"))
                .map(e -> e.fields().get("from") + "->" + e.fields().get("to")).toList();
    }

    /** Whether a line goes through and comes back; a connection the endpoint denies is reset. */
    private static boolean admitted(InetSocketAddress at) {
        try {
            PlsimWorldTest.echo(at, "admitted?");
            return true;
        } catch (IOException | AssertionError denied) {
            return false;
        }
    }

    @Test
    void theDataPlaneAdmitsOnceTheDelayHasPassedWithNoCallOfTheTest() throws Exception {
        try (PlsimWorld world = PlsimWorld.fromYaml(delayedWorld())) {
            world.waitForHealthy(DEADLINE);
            InetSocketAddress at = world.endpoint("your-endpoint").address();
            world.accept("your-endpoint");
            // Only connections from here on: the test asks the control plane nothing, so the data plane
            // must make the endpoint available on its own once the delay has passed.
            assertTrue(Waits.await(DEADLINE, () -> admitted(at)), "not admitted within " + DEADLINE);
            assertEquals(List.of("pendingAcceptance->pending", "pending->available"), stateChanges(world));
        }
    }

    @Test
    void waitForStateWaitsThroughPending() throws Exception {
        try (PlsimWorld world = PlsimWorld.fromYaml(delayedWorld())) {
            world.waitForHealthy(DEADLINE);
            world.accept("your-endpoint");
            // Well within the 2 s delay.
            PlsimException e = assertThrows(PlsimException.class,
                    () -> world.waitForState("your-endpoint", Endpoint.State.AVAILABLE, Duration.ZERO));
            assertTrue(e.getMessage().contains(") is pending, not available, after PT0S"), e.getMessage());
            world.waitForState("your-endpoint", Endpoint.State.AVAILABLE, DEADLINE);
            PlsimWorldTest.echo(world.endpoint("your-endpoint").address(), "available");
        }
    }
}
