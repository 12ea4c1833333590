package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static io.plsim.dataplane.TestWorld.PROVIDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.elb.LoadBalancing.TargetRef;
import io.plsim.core.elb.LoadBalancing;
import io.plsim.core.elb.TargetHealthSource.State;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the ELBv2 changes do to traffic, on real sockets in 127.168.0.0/16: a deregistered target drains (no new
 * flows, its open ones kept, then reset or not as the target group says, then gone), a registered one gets flows
 * once healthy, and Proxy Protocol turned off or on applies to the next connection.
 */
@ExtendWith(LeakCheck.class)
class LoadBalancingChangesTest {

    private static final int NET = TestBlocks.of(LoadBalancingChangesTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;

    private TestTarget target() {
        return dataPlanes.target(TestTarget.echo());
    }

    private DataPlane start(String proxyProtocol, TestTarget... zoneA) throws Exception {
        TestWorld w = TestWorld.in(NET).proxyProtocol(proxyProtocol)
                .healthCheck("{intervalSeconds: 0.1, timeoutSeconds: 0.1, healthyThreshold: 2, unhealthyThreshold: 2}");
        for (TestTarget t : zoneA) {
            w.targetAt("us-east-1a", t.port());
        }
        dp = dataPlanes.startHealthy(w);
        return dp;
    }

    private LoadBalancing lbs() {
        return dp.world().loadBalancing();
    }

    private String group() {
        String arn = dp.world().topology().loadBalancers().keySet().iterator().next();
        return lbs().describeTargetGroups(PROVIDER, arn, List.of(), List.of()).get(0).arn();
    }

    private State state(TestTarget t) {
        return lbs().describeTargetHealth(PROVIDER, group(), List.of(new TargetRef("127.0.0.1", t.port(), null)))
                .get(0).state();
    }

    private TestClient connect() {
        return dataPlanes.client(TestClient.connect(TestWorld.listenerIn(dp, AZ1)));
    }

    /** Opens connections until one reaches {@code target}; answers it. */
    private TestClient connectionTo(TestTarget target) throws IOException {
        for (int i = 0; i < 64; i++) {
            int before = target.openConnections();
            TestClient c = connect();
            assertEquals("hi", c.roundTrip("hi"));
            if (target.openConnections() > before) {
                return c;
            }
        }
        throw new AssertionError("64 connections and none reached " + target.address());
    }

    private void deregister(TestTarget t, int delaySeconds, boolean terminate) {
        lbs().modifyTargetGroupAttributes(PROVIDER, group(), Map.of(
                "deregistration_delay.timeout_seconds", String.valueOf(delaySeconds),
                "deregistration_delay.connection_termination.enabled", String.valueOf(terminate)));
        lbs().deregisterTargets(PROVIDER, group(), List.of(new TargetRef("127.0.0.1", t.port(), null)));
    }

    @Test
    void aDrainingTargetGetsNoNewFlowsKeepsItsOpenOnesThenResetsThemWhenTheGroupSaysSo() throws Exception {
        TestTarget a = target();
        TestTarget b = target();
        start("false", a, b);
        TestClient onA = connectionTo(a);
        deregister(a, 1, true);
        assertEquals(State.DRAINING, state(a));
        assertEquals("still", onA.roundTrip("still"), "an open flow goes on while its target drains");
        int toA = a.openConnections();
        for (int i = 0; i < 20; i++) {
            assertEquals("new", connect().roundTrip("new"));
        }
        assertEquals(toA, a.openConnections(), "no new flow went to the draining target");
        assertEquals(TestClient.Outcome.RESET, onA.awaitEnd(DEADLINE), "reset when the delay ended");
        Await.until(DEADLINE, () -> state(a) == State.UNUSED, () -> "a left the group: " + state(a));
        assertEquals(1, lbs().describeTargetHealth(PROVIDER, group(), List.of()).size());
    }

    @Test
    void withoutConnectionTerminationAFlowOutlivesTheDrain() throws Exception {
        TestTarget a = target();
        TestTarget b = target();
        start("false", a, b);
        TestClient onA = connectionTo(a);
        deregister(a, 0, false);
        Await.until(DEADLINE, () -> state(a) == State.UNUSED, () -> "a left the group: " + state(a));
        assertEquals("after", onA.roundTrip("after"), "NLB does not cut TCP flows on deregistration by default");
    }

    @Test
    void aRegisteredTargetGetsFlowsOnceHealthy() throws Exception {
        TestTarget a = target();
        start("false", a);
        TestTarget late = target();
        lbs().registerTargets(PROVIDER, group(), List.of(new TargetRef("127.0.0.1", late.port(), "us-east-1a")));
        Await.until(DEADLINE, () -> state(late) == State.HEALTHY, () -> "healthy: " + state(late));
        connectionTo(late);
        // And drained away again, then registered anew: it comes back initial, then healthy.
        deregister(late, 5, false);
        assertEquals(State.DRAINING, state(late));
        lbs().registerTargets(PROVIDER, group(), List.of(new TargetRef("127.0.0.1", late.port(), "us-east-1a")));
        assertFalse(state(late) == State.DRAINING, "registered again, it no longer drains");
        Await.until(DEADLINE, () -> state(late) == State.HEALTHY, () -> "healthy again: " + state(late));
    }

    /** Sends a line to the echo target and reads back the 100-byte header it was given and the line. */
    private static String echoAfterHeader(TestClient c, String line) throws IOException {
        c.writeLine(line);
        byte[] back = new byte[100 + line.length() + 1];
        for (int at = 0; at < back.length; ) {
            int n = c.read(back, at, back.length - at);
            if (n < 0) {
                throw new IOException("EOF after " + at + " bytes");
            }
            at += n;
        }
        assertEquals(0x21, back[12], "a PROXY header first");
        return new String(back, 100, back.length - 100, java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void proxyProtocolFollowsTheTargetGroupAttribute() throws Exception {
        TestTarget a = target();
        start("{v2: true}", a);
        assertEquals("one\n", echoAfterHeader(connect(), "one"), "the 100-byte header, then the line");
        lbs().modifyTargetGroupAttributes(PROVIDER, group(), Map.of("proxy_protocol_v2.enabled", "false"));
        assertEquals("two", connect().roundTrip("two"), "no header on the next connection");
        assertTrue(a.saw("two"), "the target read the line alone: " + a.lines());
        lbs().modifyTargetGroupAttributes(PROVIDER, group(), Map.of("proxy_protocol_v2.enabled", "true"));
        assertEquals("three\n", echoAfterHeader(connect(), "three"));
    }
}
