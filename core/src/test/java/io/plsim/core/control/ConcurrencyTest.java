package io.plsim.core.control;

import static io.plsim.core.control.World.ALICE;
import static io.plsim.core.control.World.APP;
import static io.plsim.core.control.World.APP_ARN;
import static io.plsim.core.control.World.BOB;
import static io.plsim.core.control.World.BOB_ARN;
import static io.plsim.core.control.World.CONSUMER_ROOT;
import static io.plsim.core.control.World.NLB_SOLO;
import static io.plsim.core.control.World.SUBNET_A;
import static io.plsim.core.control.World.SUBNET_B;
import static io.plsim.core.control.World.SUBNET_C;
import static io.plsim.core.control.World.SUBNET_TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.model.Cidr;
import io.plsim.core.model.Ipv4;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight threads create, accept, reject and delete endpoints at random; afterwards the recorded
 * events must tell a consistent story.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int ITERATIONS = 250;
    private static final long DEADLINE_SECONDS = 20;
    /** Failures a random operation may legitimately meet. */
    private static final Set<String> EXPECTED_CODES = Set.of("InsufficientFreeAddressesInSubnet", "InvalidServiceName");

    private static final Map<EndpointState, Set<EndpointState>> NEXT = Map.of(
            EndpointState.PENDING_ACCEPTANCE, EnumSet.of(EndpointState.AVAILABLE, EndpointState.REJECTED,
                    EndpointState.DELETING),
            EndpointState.AVAILABLE, EnumSet.of(EndpointState.REJECTED, EndpointState.DELETING),
            EndpointState.REJECTED, EnumSet.of(EndpointState.DELETING),
            EndpointState.DELETING, EnumSet.of(EndpointState.DELETED),
            EndpointState.DELETED, EnumSet.noneOf(EndpointState.class));

    private final World w = new World();
    private final ControlPlane cp = w.cp;
    private final List<String> endpointIds = new CopyOnWriteArrayList<>();
    private final Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> done = new ConcurrentHashMap<>();

    private ServiceConfiguration manual;
    private ServiceConfiguration auto;

    @Test
    @Timeout(120)
    void randomConcurrentOperationsLeaveAConsistentWorld() throws Exception {
        manual = w.openService(true);                  // consumer root allowed: bob, app and root
        auto = w.service(false, NLB_SOLO);             // only bob and app; root gets InvalidServiceName
        w.allow(auto, BOB_ARN, APP_ARN);
        VpcEndpoint watched = w.endpoint(manual, SUBNET_C);
        endpointIds.add(watched.vpcEndpointId());
        List<ConnectionNotification> notifications = List.of(
                cp.createConnectionNotification(ALICE, manual.serviceId(), null, NotificationTest.TOPIC,
                        NotificationTest.ALL_EVENTS),
                cp.createConnectionNotification(ALICE, manual.serviceId(), null, NotificationTest.OTHER_TOPIC,
                        List.of("Accept", "Reject")),
                cp.createConnectionNotification(ALICE, auto.serviceId(), null, NotificationTest.TOPIC,
                        List.of("Connect", "Accept", "Delete")),
                cp.createConnectionNotification(BOB, null, watched.vpcEndpointId(), NotificationTest.BOB_TOPIC,
                        NotificationTest.ALL_EVENTS));
        int notificationsFrom = w.events.size();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(1000L + t);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < ITERATIONS && System.nanoTime() < deadline; i++) {
                        step(random);
                    }
                }));
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(pool.awaitTermination(DEADLINE_SECONDS + 30, TimeUnit.SECONDS), "workers did not finish");
        for (Future<?> f : futures) {
            f.get();
        }
        assertTrue(unexpected.isEmpty(), () -> "unexpected failures: " + unexpected);

        for (String op : List.of("create", "accept", "reject", "delete")) {
            assertTrue(done.containsKey(op) && done.get(op).get() > 0, () -> "never managed to " + op + ": " + done);
        }

        List<ControlEvent> events;
        synchronized (w.events) {
            events = List.copyOf(w.events);
        }
        Map<String, List<ControlEvent.EndpointChanged>> paths = endpointPaths(events);
        assertEquals(Set.copyOf(endpointIds), paths.keySet(), "every created endpoint and nothing else");

        checkPathsAndFinalStates(paths);
        checkAddresses();
        checkNotifications(events.subList(notificationsFrom, events.size()), notifications);
        checkNoAddressLeaked();
    }

    // ---------------------------------------------------------------- the random workload

    private void step(Random random) {
        try {
            int dice = random.nextInt(100);
            if (dice < 35) {
                create(random);
            } else if (dice < 55) {
                decide(random, true);
            } else if (dice < 70) {
                decide(random, false);
            } else {
                delete(random);
            }
        } catch (ControlPlaneException e) {
            if (EXPECTED_CODES.contains(e.code())) {
                refusals.computeIfAbsent(e.code(), k -> new AtomicInteger()).incrementAndGet();
            } else {
                unexpected.add(e);
            }
        } catch (Throwable e) {
            unexpected.add(e);
        }
    }

    private void create(Random random) {
        Caller caller = List.of(BOB, APP, CONSUMER_ROOT).get(random.nextInt(3));
        VpcEndpoint e;
        if (random.nextBoolean()) {
            List<List<String>> choices = List.of(List.of(SUBNET_A), List.of(SUBNET_C), List.of(SUBNET_A, SUBNET_B),
                    List.of(SUBNET_A, SUBNET_B, SUBNET_C), List.of(SUBNET_C, SUBNET_TINY));
            e = w.endpoint(caller, manual, choices.get(random.nextInt(choices.size())).toArray(String[]::new));
        } else {
            e = w.endpoint(caller, auto, random.nextInt(4) == 0 ? SUBNET_TINY : SUBNET_B);
        }
        endpointIds.add(e.vpcEndpointId());
        count("create");
    }

    private void decide(Random random, boolean accept) {
        if (endpointIds.isEmpty()) {
            return;
        }
        String serviceId = random.nextInt(4) == 0 ? auto.serviceId() : manual.serviceId();
        List<String> ids = pick(random, 1 + random.nextInt(3));
        List<Unsuccessful> failed = accept ? cp.acceptConnections(ALICE, serviceId, ids)
                : cp.rejectConnections(ALICE, serviceId, ids);
        checkFailures(failed, Set.of("InvalidVpcEndpointId.NotFound", "InvalidVpcEndpointState"));
        if (failed.size() < Set.copyOf(ids).size()) {
            count(accept ? "accept" : "reject");
        }
    }

    private void delete(Random random) {
        if (endpointIds.isEmpty()) {
            return;
        }
        Caller caller = List.of(BOB, APP, CONSUMER_ROOT).get(random.nextInt(3));
        List<String> ids = pick(random, 1 + random.nextInt(2));
        List<Unsuccessful> failed = cp.deleteVpcEndpoints(caller, ids);
        checkFailures(failed, Set.of("InvalidVpcEndpointId.NotFound"));
        if (failed.size() < Set.copyOf(ids).size()) {
            count("delete");
        }
    }

    private List<String> pick(Random random, int n) {
        List<String> out = new ArrayList<>();
        List<String> snapshot = List.copyOf(endpointIds);
        for (int i = 0; i < n; i++) {
            // favour recent endpoints, which are more likely still alive
            int size = snapshot.size();
            int index = random.nextBoolean() ? size - 1 - random.nextInt(Math.min(size, 10)) : random.nextInt(size);
            out.add(snapshot.get(index));
        }
        return out;
    }

    private void checkFailures(List<Unsuccessful> failed, Set<String> allowed) {
        for (Unsuccessful u : failed) {
            if (!allowed.contains(u.code()) || !u.message().contains(u.resourceId())) {
                unexpected.add(new AssertionError("unexpected per-item failure " + u));
            }
        }
    }

    private void count(String op) {
        done.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
    }

    // ---------------------------------------------------------------- checks

    private static Map<String, List<ControlEvent.EndpointChanged>> endpointPaths(List<ControlEvent> events) {
        Map<String, List<ControlEvent.EndpointChanged>> paths = new LinkedHashMap<>();
        for (ControlEvent e : events) {
            if (e instanceof ControlEvent.EndpointChanged c) {
                paths.computeIfAbsent(c.endpoint().vpcEndpointId(), k -> new ArrayList<>()).add(c);
            }
        }
        return paths;
    }

    private void checkPathsAndFinalStates(Map<String, List<ControlEvent.EndpointChanged>> paths) {
        Map<String, VpcEndpoint> now = new HashMap<>();
        cp.endpoints().forEach(e -> now.put(e.vpcEndpointId(), e));
        assertEquals(paths.keySet(), now.keySet());

        for (var entry : paths.entrySet()) {
            String id = entry.getKey();
            List<ControlEvent.EndpointChanged> path = entry.getValue();
            ControlEvent.EndpointChanged first = path.get(0);
            assertTrue(first.created(), () -> id + " first event is not its creation: " + path);
            EndpointState expectedStart = first.endpoint().serviceId().equals(auto.serviceId())
                    ? EndpointState.AVAILABLE : EndpointState.PENDING_ACCEPTANCE;
            assertEquals(expectedStart, first.endpoint().state(), () -> id + " created in the wrong state");

            EndpointState state = first.endpoint().state();
            for (ControlEvent.EndpointChanged c : path.subList(1, path.size())) {
                assertEquals(state, c.previous(), () -> id + " event does not follow the previous one: " + path);
                EndpointState to = c.endpoint().state();
                assertTrue(NEXT.get(state).contains(to), id + ": " + state + " -> " + to + " is not allowed");
                state = to;
            }
            for (int i = 0; i < path.size() - 1; i++) {
                if (path.get(i).endpoint().state() == EndpointState.DELETING) {
                    assertEquals(EndpointState.DELETED, path.get(i + 1).endpoint().state());
                }
            }
            assertEquals(state, now.get(id).state(), () -> id + " final state differs from its last event");
        }
    }

    private void checkAddresses() {
        Set<String> used = new HashSet<>();
        for (VpcEndpoint e : cp.endpoints()) {
            if (e.state() == EndpointState.DELETED) {
                assertEquals(List.of(), e.interfaces(), e.vpcEndpointId() + " deleted but holds interfaces");
                continue;
            }
            for (EndpointInterface eni : e.interfaces()) {
                assertTrue(used.add(eni.privateIp()), "address " + eni.privateIp() + " used twice");
                Cidr cidr = w.topology.subnets().get(eni.subnetId()).cidr();
                int ip = Ipv4.parse(eni.privateIp()).orElseThrow();
                long offset = Integer.toUnsignedLong(ip) - Integer.toUnsignedLong(cidr.network());
                assertTrue(cidr.contains(ip) && offset >= 4 && offset < cidr.size() - 1, eni.toString());
            }
        }
    }

    /**
     * Per endpoint, the Notified events since the notifications were created must be exactly: for each of its transitions in order, one
     * per matching notification, in notification creation order.
     */
    private void checkNotifications(List<ControlEvent> events, List<ConnectionNotification> notifications) {
        Map<String, List<String>> expected = new HashMap<>();
        Map<String, List<String>> actual = new HashMap<>();
        int transitions = 0;
        int expectedTotal = 0;
        int actualTotal = 0;
        for (ControlEvent e : events) {
            if (e instanceof ControlEvent.EndpointChanged c) {
                for (ConnectionEvent fired : firedBy(c)) {
                    transitions++;
                    for (ConnectionNotification n : notifications) {
                        if (matches(n, c.endpoint(), fired)) {
                            expected.computeIfAbsent(c.endpoint().vpcEndpointId(), k -> new ArrayList<>())
                                    .add(n.connectionNotificationId() + " " + fired);
                            expectedTotal++;
                        }
                    }
                }
            } else if (e instanceof ControlEvent.Notified n) {
                actual.computeIfAbsent(n.endpoint().vpcEndpointId(), k -> new ArrayList<>())
                        .add(n.notification().connectionNotificationId() + " " + n.event());
                actualTotal++;
            }
        }
        assertTrue(transitions > 0);
        assertEquals(expectedTotal, actualTotal, "one Notified per (notification, transition)");
        assertEquals(expected, actual);
    }

    /** The connection events an endpoint change stands for. */
    private static List<ConnectionEvent> firedBy(ControlEvent.EndpointChanged c) {
        EndpointState to = c.endpoint().state();
        if (c.created()) {
            return to == EndpointState.AVAILABLE ? List.of(ConnectionEvent.CONNECT, ConnectionEvent.ACCEPT)
                    : List.of(ConnectionEvent.CONNECT);
        }
        return switch (to) {
            case AVAILABLE -> List.of(ConnectionEvent.ACCEPT);
            case REJECTED -> List.of(ConnectionEvent.REJECT);
            case DELETED -> List.of(ConnectionEvent.DELETE);
            default -> List.of();
        };
    }

    private static boolean matches(ConnectionNotification n, VpcEndpoint e, ConnectionEvent event) {
        boolean scope = e.serviceId().equals(n.serviceId()) || e.vpcEndpointId().equals(n.vpcEndpointId());
        return scope && n.events().contains(event);
    }

    /** Once every endpoint is deleted, every usable address of the /29 can be taken again. */
    private void checkNoAddressLeaked() {
        List<String> live = cp.endpoints().stream().filter(e -> e.state() != EndpointState.DELETED)
                .map(VpcEndpoint::vpcEndpointId).toList();
        if (!live.isEmpty()) {
            assertEquals(List.of(), cp.deleteVpcEndpoints(BOB, live));
        }
        List<String> tiny = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tiny.add(w.endpoint(auto, SUBNET_TINY).interfaces().get(0).privateIp());
        }
        assertEquals(Set.of("127.10.5.4", "127.10.5.5", "127.10.5.6"), Set.copyOf(tiny));
        // and all 251 usable addresses of SUBNET_A
        for (int i = 0; i < 251; i++) {
            assertNotNull(w.endpoint(manual, SUBNET_A));
        }
        World.assertFails("InsufficientFreeAddressesInSubnet", () -> w.endpoint(manual, SUBNET_A), SUBNET_A);
    }
}
