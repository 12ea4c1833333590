package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static io.plsim.dataplane.TestWorld.AZ2;
import static io.plsim.dataplane.TestWorld.CONSUMER;
import static io.plsim.dataplane.TestWorld.PROVIDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.CreateEndpointRequest;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.dataplane.TestClient.Outcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admission of connections by endpoint state, on real sockets in 127.150.0.0/16: denied while
 * {@code pendingAcceptance}, {@code rejected} or deleted; relayed while {@code available}; a state
 * change applies to the very next connection and cuts open ones.
 */
@ExtendWith(LeakCheck.class)
class AdmissionTest {

    private static final int NET = TestBlocks.of(AdmissionTest.class);
    private static final Duration END_DEADLINE = Duration.ofSeconds(5);

    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;

    private static TestWorld world() {
        return TestWorld.in(NET).acceptanceRequired(true)
                .target("us-east-1a", "builtin: echo")
                .target("us-east-1b", "builtin: echo");
    }

    private DataPlane start(TestWorld w) throws Exception {
        dp = dataPlanes.startHealthy(w);
        return dp;
    }

    private ControlPlane cp() {
        return dp.world().controlPlane();
    }

    private void accept() {
        assertEquals(List.of(), cp().acceptConnections(PROVIDER, TestWorld.serviceId(dp),
                List.of(TestWorld.endpointId(dp))));
    }

    private void reject() {
        assertEquals(List.of(), cp().rejectConnections(PROVIDER, TestWorld.serviceId(dp),
                List.of(TestWorld.endpointId(dp))));
    }

    private TestClient open(InterfaceListener l, String line) throws IOException {
        TestClient c = dataPlanes.client(TestClient.connect(l));
        assertEquals(line, c.roundTrip(line), "echo through " + l.address());
        return c;
    }

    private long denied(String reason) {
        return dp.stats().denied().getOrDefault(reason, 0L);
    }

    @Test
    void everyInterfaceIsListedTheMomentTheDataPlaneHasStarted() throws Exception {
        // A bind's future completes before its listener is announced: start must wait for the announcement.
        for (int round = 0; round < 10; round++) {
            dp = dataPlanes.start(world());
            assertEquals(2, dp.listeners(TestWorld.endpointId(dp)).size(), "round " + round + ": " + dp.listeners());
            dp.close(Duration.ZERO);
            dp = null;
        }
    }

    @Test
    void connectionWhilePendingAcceptanceIsReset() throws Exception {
        start(world());
        for (InterfaceListener l : dp.listeners()) {
            long t0 = System.nanoTime();
            assertEquals(Outcome.RESET, TestClient.probe(l, Duration.ofSeconds(2)), l.address());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 1000, "the reset came at once, not after " + millis + " ms");
        }
        assertEquals(2, denied("endpoint-pendingAcceptance"), () -> "denied: " + dp.stats().denied());
        assertEquals(0, dp.stats().admitted());
    }

    @Test
    void blackholeAdmissionHoldsTheConnectionSilent() throws Exception {
        start(world().admission("blackhole"));
        InterfaceListener l = dp.listeners().get(0);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(l.ip(), l.port()), 2000);
            s.setSoTimeout(500);
            s.getOutputStream().write("anyone there?\n".getBytes());
            long t0 = System.nanoTime();
            try {
                int b = s.getInputStream().read();
                throw new AssertionError("a blackholed connection answered: " + b);
            } catch (SocketTimeoutException expected) {
                assertTrue(System.nanoTime() - t0 >= 450_000_000L, "the read waited its timeout");
            }
            // Still open: neither reset nor closed by the data plane.
            assertTrue(s.isConnected() && !s.isInputShutdown());
            s.getOutputStream().write("still?\n".getBytes());
        }
        assertEquals(1, denied("endpoint-pendingAcceptance"), () -> "denied: " + dp.stats().denied());
        assertEquals(0, dp.stats().admitted());
    }

    @Test
    void acceptedEndpointCarriesTrafficFromTheVeryNextConnection() throws Exception {
        start(world());
        InterfaceListener a = TestWorld.listenerIn(dp, AZ1);
        InterfaceListener b = TestWorld.listenerIn(dp, AZ2);
        assertEquals(Outcome.RESET, TestClient.probe(a, Duration.ofSeconds(2)));

        accept();

        open(a, "hello through " + a.address());
        open(b, "hello through " + b.address());
        assertEquals(2, dp.stats().admitted());
        assertEquals(1, denied("endpoint-pendingAcceptance"));
    }

    @Test
    void rejectResetsOpenConnectionsAndDeniesNewOnes() throws Exception {
        start(world());
        accept();
        List<TestClient> held = new ArrayList<>();
        for (InterfaceListener l : dp.listeners()) {
            for (int i = 0; i < 2; i++) {
                held.add(open(l, "held " + i + " via " + l.address()));
            }
        }
        Await.until(END_DEADLINE, () -> dp.stats().openConnections() == 4, () -> "4 open: " + dp.stats());

        reject();

        for (TestClient c : held) {
            assertEquals(Outcome.RESET, c.awaitEnd(END_DEADLINE), "open connection from " + c.localAddress());
        }
        for (InterfaceListener l : dp.listeners()) {
            assertEquals(Outcome.RESET, TestClient.probe(l, Duration.ofSeconds(2)), "new connection to " + l.address());
        }
        assertEquals(2, denied("endpoint-rejected"), () -> "denied: " + dp.stats().denied());
        Await.until(END_DEADLINE, () -> dp.stats().openConnections() == 0, () -> "none open: " + dp.stats());
    }

    @Test
    void deleteStopsTheListenersAndResetsOpenConnections() throws Exception {
        start(world());
        accept();
        String endpointId = TestWorld.endpointId(dp);
        List<TestClient> held = new ArrayList<>();
        for (InterfaceListener l : dp.listeners()) {
            held.add(open(l, "held via " + l.address()));
        }
        List<InterfaceListener> listeners = dp.listeners(endpointId);
        assertEquals(2, listeners.size());

        assertEquals(List.of(), cp().deleteVpcEndpoints(CONSUMER, List.of(endpointId)));

        for (TestClient c : held) {
            assertEquals(Outcome.RESET, c.awaitEnd(END_DEADLINE), "open connection from " + c.localAddress());
        }
        for (InterfaceListener l : listeners) {
            // The very next connection is denied; once the listener is closed it is refused.
            Outcome next = TestClient.probe(l, Duration.ofSeconds(2));
            assertTrue(next == Outcome.RESET || next == Outcome.REFUSED, l.address() + ": " + next);
            Await.until(END_DEADLINE, () -> TestClient.probe(l, Duration.ofSeconds(2)) == Outcome.REFUSED,
                    "connections to " + l.address() + " refused");
        }
        assertEquals(List.of(), dp.listeners(endpointId));
        Await.until(END_DEADLINE, () -> dp.stats().openConnections() == 0, () -> "none open: " + dp.stats());
    }

    @Test
    void zoneTotalsKeepWhatADeletedEndpointCounted() throws Exception {
        start(world());
        accept();
        String endpointId = TestWorld.endpointId(dp);
        for (InterfaceListener l : dp.listeners(endpointId)) {
            open(l, "counted via " + l.address()).close();
        }
        Map<String, Long> before = admittedByZone();
        assertEquals(2, before.size(), () -> "a zone per interface: " + before);
        before.values().forEach(n -> assertEquals(1L, n));

        assertEquals(List.of(), cp().deleteVpcEndpoints(CONSUMER, List.of(endpointId)));
        Await.until(END_DEADLINE, () -> dp.interfaceStats().isEmpty(), () -> "interfaces left: " + dp.interfaceStats());
        // The interfaces' own counters are gone with them; their zones' totals are counters still.
        assertEquals(before, admittedByZone());
    }

    private Map<String, Long> admittedByZone() {
        Map<String, Long> out = new java.util.TreeMap<>();
        dp.zoneTotals().forEach((zone, t) -> out.put(zone, t.admitted()));
        return out;
    }

    @Test
    void anEndpointCreatedAfterADeleteListensOnTheFreedAddress() throws Exception {
        TestWorld w = world().acceptanceRequired(false);
        start(w);
        InterfaceListener before = TestWorld.listenerIn(dp, AZ2);
        open(before, "first endpoint");
        cp().deleteVpcEndpoints(CONSUMER, List.of(TestWorld.endpointId(dp)));

        String serviceName = cp().services().get(0).serviceName();
        VpcEndpoint e = cp().createVpcEndpoint(CONSUMER,
                CreateEndpointRequest.of(w.consumerVpc(), serviceName, w.consumerSubnet("us-east-1a")));
        Await.until(END_DEADLINE, () -> dp.listeners(e.vpcEndpointId()).size() == 1,
                () -> "the new endpoint listens: " + dp.listeners());
        InterfaceListener after = dp.listeners(e.vpcEndpointId()).get(0);
        assertEquals(before.address(), after.address(), "the freed address is given out again");
        open(after, "second endpoint");
    }

    /**
     * Several clients connect in a bounded loop while the provider accepts and rejects. A rejected
     * endpoint cannot be accepted again, so each round is a fresh endpoint in the same subnet, which
     * gets the same freed address: create (pendingAcceptance), accept, reject, delete.
     *
     * <p>The happens-before argument: a connection whose client began connecting after a reject
     * returned, and that received its first echo byte before the next accept began, was admitted
     * while no endpoint at that address was available; there must be none. After the last reject,
     * every open connection must end.
     */
    @Test
    void noConnectionSlipsThroughWhileAcceptAndRejectRace() throws Exception {
        TestWorld w = world();
        start(w);
        String serviceName = cp().services().get(0).serviceName();
        String serviceId = TestWorld.serviceId(dp);
        final int rounds = 8;
        final int clientsCount = 4;
        final int maxAttemptsPerClient = 20_000;
        final long hardStop = System.nanoTime() + Duration.ofSeconds(30).toNanos();

        VpcEndpoint first = createIn(w, serviceName);
        InterfaceListener target = dp.listeners(first.vpcEndpointId()).get(0);

        record Attempt(long start, long firstByte, Outcome outcome) {
        }
        Queue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger notAnswered = new AtomicInteger();
        List<Long> acceptBegan = new CopyOnWriteArrayList<>();
        List<Long> rejectReturned = new CopyOnWriteArrayList<>();
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long testStart = System.nanoTime();
        AtomicBoolean flipperDone = new AtomicBoolean();

        List<Thread> clientThreads = new ArrayList<>();
        for (int c = 0; c < clientsCount; c++) {
            Thread t = new Thread(() -> {
                Deque<Socket> mine = new ArrayDeque<>();
                try {
                    for (int i = 0; i < maxAttemptsPerClient && !flipperDone.get() && System.nanoTime() < hardStop; i++) {
                        long start = System.nanoTime();
                        Socket s = new Socket();
                        long firstByte = 0;
                        Outcome outcome;
                        try {
                            s.connect(new InetSocketAddress(target.ip(), target.port()), 2000);
                            s.setSoTimeout(2000);
                            s.getOutputStream().write('x');
                            int b = s.getInputStream().read();
                            if (b == 'x') {
                                firstByte = System.nanoTime();
                                outcome = Outcome.ANSWERED;
                            } else {
                                outcome = b < 0 ? Outcome.EOF : Outcome.ANSWERED;
                            }
                        } catch (SocketTimeoutException e) {
                            outcome = Outcome.SILENT;
                        } catch (IOException e) {
                            outcome = TestClient.classify(e);
                        }
                        attempts.add(new Attempt(start, firstByte, outcome));
                        if (outcome == Outcome.ANSWERED) {
                            answered.incrementAndGet();
                            // Keep the last few admitted connections open, to see the reject cut them.
                            mine.addLast(s);
                            held.add(s);
                            if (mine.size() > 3) {
                                TestClient.closeQuietly(mine.removeFirst());
                            }
                        } else {
                            notAnswered.incrementAndGet();
                            TestClient.closeQuietly(s);
                            // Paced, so that the attempts last through every round however fast a
                            // denial comes back; otherwise the clients could spend them all in the
                            // first windows and stop before the last round.
                            LockSupport.parkNanos(200_000);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "admission-client-" + c);
            t.setDaemon(true);
            clientThreads.add(t);
        }
        clientThreads.forEach(Thread::start);

        try {
            String endpointId = first.vpcEndpointId();
            for (int round = 0; round < rounds; round++) {
                if (round > 0) {
                    assertEquals(List.of(), cp().deleteVpcEndpoints(CONSUMER, List.of(endpointId)));
                    VpcEndpoint next = createIn(w, serviceName);
                    endpointId = next.vpcEndpointId();
                    assertEquals(target.address(), dp.listeners(endpointId).get(0).address());
                }
                awaitProgress(notAnswered, 5);
                acceptBegan.add(System.nanoTime());
                assertEquals(List.of(), cp().acceptConnections(PROVIDER, serviceId, List.of(endpointId)));
                awaitProgress(answered, 8);
                assertEquals(List.of(), cp().rejectConnections(PROVIDER, serviceId, List.of(endpointId)));
                rejectReturned.add(System.nanoTime());
                awaitProgress(notAnswered, 5);
            }
        } finally {
            flipperDone.set(true);
            for (Thread t : clientThreads) {
                t.join(10_000);
            }
        }
        assertEquals(List.of(), failures);

        // No connection that began in a closed window got data before the window ended.
        List<String> violations = new ArrayList<>();
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        for (Attempt a : attempts) {
            outcomes.merge(a.outcome(), 1, Integer::sum);
            for (int round = 0; round < rounds; round++) {
                long windowStart = round == 0 ? testStart : rejectReturned.get(round - 1);
                long windowEnd = acceptBegan.get(round);
                if (a.start() >= windowStart && a.firstByte() != 0 && a.firstByte() < windowEnd) {
                    violations.add("round " + round + ": began " + (a.start() - windowStart) / 1000
                            + " us after the window opened, data " + (windowEnd - a.firstByte()) / 1000
                            + " us before the next accept");
                }
            }
            long lastReject = rejectReturned.get(rounds - 1);
            if (a.start() >= lastReject && a.firstByte() != 0) {
                violations.add("data after the last reject, began " + (a.start() - lastReject) / 1000 + " us after it");
            }
        }
        assertEquals(List.of(), violations, () -> "outcomes " + outcomes);
        assertEquals(null, outcomes.get(Outcome.SILENT), () -> "no connection hangs: " + outcomes);
        assertTrue(answered.get() >= rounds * 8, () -> "admitted connections: " + outcomes);
        assertTrue(outcomes.getOrDefault(Outcome.RESET, 0) >= rounds * 5, () -> "denied connections: " + outcomes);
        assertTrue(denied("endpoint-rejected") > 0 && denied("endpoint-pendingAcceptance") > 0,
                () -> "denials by reason: " + dp.stats().denied());

        // After the last reject, every connection still held ends (reset, as NLB does), in time.
        int ended = 0;
        for (Socket s : held) {
            if (s.isClosed()) {
                continue;
            }
            try (TestClient v = TestClient.wrap(s)) {
                Outcome end = v.awaitEnd(END_DEADLINE);
                assertNotEquals(Outcome.SILENT, end, "a connection outlived the last reject");
                ended++;
            }
        }
        assertTrue(ended > 0, "some admitted connections were still held at the end");
        Await.until(END_DEADLINE, () -> dp.stats().openConnections() == 0, () -> "none open: " + dp.stats());
    }

    private VpcEndpoint createIn(TestWorld w, String serviceName) {
        VpcEndpoint e = cp().createVpcEndpoint(CONSUMER,
                CreateEndpointRequest.of(w.consumerVpc(), serviceName, w.consumerSubnet("us-east-1a")));
        Await.until(END_DEADLINE, () -> dp.listeners(e.vpcEndpointId()).size() == 1,
                () -> e.vpcEndpointId() + " listens: " + dp.listeners());
        return e;
    }

    /** Lets the clients make some attempts in the current state, bounded by a deadline. */
    private static void awaitProgress(AtomicInteger counter, int more) {
        int target = counter.get() + more;
        Await.until(Duration.ofSeconds(5), () -> counter.get() >= target, "clients make progress");
    }
}
