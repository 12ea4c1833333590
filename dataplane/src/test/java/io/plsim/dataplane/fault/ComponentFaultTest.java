package io.plsim.dataplane.fault;

import static io.plsim.dataplane.TestWorld.AZ1;
import static io.plsim.dataplane.TestWorld.healthIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.Await;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.DataPlanes;
import io.plsim.dataplane.FaultView;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.InterfaceStats;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TargetHealth;
import io.plsim.dataplane.TargetView;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestTarget;
import io.plsim.dataplane.TestWorld;
import io.plsim.dataplane.fault.Serve.Seen;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Target faults, in 127.162.0.0/16: targets A and B in the provider's us-east-1a (use1-az1), C in
 * us-east-1b, cross-zone off; every flow here goes through the consumer's interface in use1-az1, so
 * it lands on A or B, and the target says which ({@code who}).
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComponentFaultTest {

    private static final int NET = TestBlocks.of(ComponentFaultTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    /** One world for the class, started in {@code @BeforeAll} and closed after the last test (static for that). */
    @RegisterExtension
    static final DataPlanes dataPlanes = new DataPlanes();

    private TestTarget a;
    private TestTarget b;
    private TestTarget c;
    private DataPlane dp;
    private InterfaceListener az1;

    @BeforeAll
    void start() throws Exception {
        a = dataPlanes.target(TestTarget.start(Serve.BEHAVIOUR));
        b = dataPlanes.target(TestTarget.start(Serve.BEHAVIOUR));
        c = dataPlanes.target(TestTarget.start(Serve.BEHAVIOUR));
        dp = dataPlanes.startHealthy(TestWorld.in(NET).proxyProtocol("false").targetAt("us-east-1a", a.port())
                .targetAt("us-east-1a", b.port()).targetAt("us-east-1b", c.port()));
        az1 = TestWorld.listenerIn(dp, AZ1);
    }

    @AfterEach
    void recover() throws InterruptedException {
        dp.faults().forEach(f -> dp.removeFault(f.id()));
        TestWorld.awaitHealthy(dp);
    }

    /** An open flow and the target it reached. */
    private record Open(Socket socket, String target) {
    }

    /** Opens a flow and asks the target who it is. */
    private Open open() throws IOException {
        Socket s = Serve.connect(az1, 3000);
        try {
            Serve.writeLine(s, "who");
            return new Open(s, Serve.readLine(s));
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** A new flow's target, the flow closed again. */
    private String who() throws IOException {
        Open o = open();
        o.socket().close();
        return o.target();
    }

    private long flowsOf(TestTarget t) {
        return dp.targets().stream().filter(x -> x.address().equals(t.address())).mapToLong(TargetView::flows)
                .sum();
    }

    private void awaitHealth(TestTarget t, TargetHealth h) {
        Await.until(DEADLINE, () -> healthIs(dp, t.address(), h), () -> t.address() + " " + h + ": " + dp.targets());
    }

    @Test
    void targetDownResetsItsFlowsAndNewFlowsAvoidItUntilItIsBack() throws Exception {
        List<Open> onA = new ArrayList<>();
        List<Open> onB = new ArrayList<>();
        for (int i = 0; i < 40 && (onA.size() < 2 || onB.size() < 2); i++) {
            Open o = open();
            (o.target().equals(a.address()) ? onA : onB).add(o);
        }
        assertTrue(onA.size() >= 2 && onB.size() >= 2, "flows on A " + onA.size() + ", on B " + onB.size());
        try {
            long t0 = System.nanoTime();
            FaultView f = dp.addFault(ConnectionFaultTest.fault("fault=target-down", "target=" + a.address()));
            for (Open o : onA) {
                Serve.Drain d = Serve.Drain.of(o.socket(), 3000);
                assertEquals(Serve.End.RESET, d.end, "a flow on the target that went down");
            }
            long resetMs = Serve.millisSince(t0);
            for (Open o : onB) {
                Serve.writeLine(o.socket(), "still there");
                assertEquals("still there", Serve.readLine(o.socket()), "a flow on the other target");
            }
            awaitHealth(a, TargetHealth.UNHEALTHY);
            long unhealthyMs = Serve.millisSince(t0);
            long before = flowsOf(a);
            for (int i = 0; i < 20; i++) {
                assertEquals(b.address(), who(), "new flow " + i + " once A is unhealthy");
            }
            assertEquals(before, flowsOf(a));
            assertTrue(healthIs(dp, b.address(), TargetHealth.HEALTHY));
            assertTrue(dp.faults().get(0).hits() > 0);

            long t1 = System.nanoTime();
            dp.removeFault(f.id());
            awaitHealth(a, TargetHealth.HEALTHY);
            long backMs = Serve.millisSince(t1);
            boolean reachedA = false;
            for (int i = 0; i < 40 && !reachedA; i++) {
                reachedA = who().equals(a.address());
            }
            assertTrue(reachedA, "no new flow reached A after it came back");
            System.out.printf("target-down: open flows reset within %d ms, unhealthy after %d ms, healthy %d ms"
                    + " after the fault ended%n", resetMs, unhealthyMs, backMs);
        } finally {
            for (Open o : onA) {
                o.socket().close();
            }
            for (Open o : onB) {
                o.socket().close();
            }
        }
    }

    @Test
    void targetBlackholeAcceptsButNothingComesBack() throws Exception {
        dp.addFault(ConnectionFaultTest.fault("fault=target-blackhole", "target=" + a.address()));
        int silentOnA = 0;
        int answeredByB = 0;
        for (int i = 0; i < 40 && (silentOnA < 2 || answeredByB < 2); i++) {
            long before = flowsOf(a);
            try (Socket s = Serve.connect(az1, 400)) {
                Serve.writeLine(s, "who");
                String back;
                try {
                    back = Serve.readLine(s);
                } catch (SocketTimeoutException e) {
                    back = null;
                }
                boolean toA = flowsOf(a) > before;
                if (toA) {
                    assertEquals(null, back, "a flow to the black-holed target got an answer");
                    silentOnA++;
                } else {
                    assertEquals(b.address(), back);
                    answeredByB++;
                }
            }
        }
        assertTrue(silentOnA >= 2 && answeredByB >= 2, "silent on A " + silentOnA + ", answered by B " + answeredByB);
        // Its health checks pass: it keeps getting flows.
        long checksLater = System.nanoTime() + 300_000_000L;
        Await.until(Duration.ofSeconds(1), () -> System.nanoTime() > checksLater, "three check intervals");
        assertTrue(healthIs(dp, a.address(), TargetHealth.HEALTHY), "a black-holed target stays healthy: " + dp.targets());
    }

    @Test
    void aFlowThatLostBytesToAStallIsResetWhenTheStallEnds() throws Exception {
        // Bytes dropped while the target was black-holed would have been retransmitted by TCP, never
        // skipped: a flow with a hole in its stream must not carry on as if nothing happened.
        Open o = null;
        for (int i = 0; i < 40; i++) {
            Open next = open();
            if (next.target().equals(a.address())) {
                o = next;
                break;
            }
            next.socket().close();
        }
        assertTrue(o != null, "no flow reached A");
        try {
            FaultView f = dp.addFault(ConnectionFaultTest.fault("fault=target-blackhole",
                    "target=" + a.address()));
            Serve.writeLine(o.socket(), "lost in the stall");
            Await.until(DEADLINE, () -> dp.interfaceStats().stream().mapToLong(InterfaceStats::bytesDropped)
                    .sum() > 0, "the stalled flow's bytes read and dropped");
            dp.removeFault(f.id());
            Serve.writeLine(o.socket(), "after the stall");
            Serve.Drain d = Serve.Drain.of(o.socket(), 3000);
            assertEquals(Serve.End.RESET, d.end, "a flow with a hole in its stream carried on");
        } finally {
            o.socket().close();
        }
    }

    @Test
    void targetUnhealthyGetsNoNewFlowsWhileAnotherIsHealthy() throws Exception {
        FaultView f = dp.addFault(ConnectionFaultTest.fault("fault=target-unhealthy", "target=" + a.address()));
        awaitHealth(a, TargetHealth.UNHEALTHY);
        long before = flowsOf(a);
        for (int i = 0; i < 20; i++) {
            assertEquals(b.address(), who(), "new flow " + i);
        }
        assertEquals(before, flowsOf(a), "flows A received while unhealthy");
        // It still serves, to whoever reaches it directly.
        assertEquals(Seen.ANSWERED, Serve.probe("127.0.0.1", a.port(), 2000));
        assertTrue(healthIs(dp, c.address(), TargetHealth.HEALTHY), "a fault on A leaves C alone");
        dp.removeFault(f.id());
        awaitHealth(a, TargetHealth.HEALTHY);
    }

    @Test
    void targetFaultScopedByZoneTakesEveryTargetThere() {
        dp.addFault(ConnectionFaultTest.fault("fault=target-unhealthy", "az=" + AZ1));
        awaitHealth(a, TargetHealth.UNHEALTHY);
        awaitHealth(b, TargetHealth.UNHEALTHY);
        assertTrue(healthIs(dp, c.address(), TargetHealth.HEALTHY), dp.targets()::toString);
        // Cross-zone off and no healthy target in use1-az1 while use1-az2 has one: the node refuses.
        assertEquals(Seen.RESET, Serve.probe(az1.ip(), az1.port(), 2000));
        assertEquals(List.of(TestWorld.AZ2), dp.servingZones(TestWorld.endpointId(dp)));
    }
}
