package io.plsim.dataplane.fault;

import static io.plsim.dataplane.TestWorld.AZ1;
import static io.plsim.dataplane.TestWorld.AZ2;
import static io.plsim.dataplane.TestWorld.NLB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.dataplane.Await;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.DataPlanes;
import io.plsim.dataplane.FaultView;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TargetHealth;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestWorld;
import io.plsim.dataplane.fault.Serve.Seen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Zone faults, in 127.161.0.0/16: two built-in echo targets in each zone behind an endpoint with an
 * interface in both, health checks every 100 ms with thresholds of 2. An AZ outage or a node that
 * goes down takes its zone out of the regional DNS answer once the thresholds are reached; clients
 * that follow DNS lose nothing after that with cross-zone on; with it off, the out zone's interface
 * goes silent while the other zone's works; everything comes back when the fault ends.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZoneFaultTest {

    private static final int NET = TestBlocks.of(ZoneFaultTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    /** How long a silent connection is given before it counts as going nowhere. */
    private static final int SILENT_MILLIS = 400;

    private final TestWorld world = TestWorld.in(NET).target("us-east-1a", "builtin: echo")
            .target("us-east-1a", "builtin: echo").target("us-east-1b", "builtin: echo")
            .target("us-east-1b", "builtin: echo");
    /** One world for the class, started in {@code @BeforeAll} and closed after the last test (static for that). */
    @RegisterExtension
    static final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;
    private String endpointId;
    private String regionalName;
    private String az1ZonalName;
    private InterfaceListener az1;
    private InterfaceListener az2;

    @BeforeAll
    void start() throws Exception {
        dp = dataPlanes.startHealthy(world);
        endpointId = TestWorld.endpointId(dp);
        VpcEndpoint e = dp.world().controlPlane().endpoints().get(0);
        regionalName = e.dnsEntries().stream().filter(d -> d.zoneName() == null).map(DnsEntry::dnsName)
                .findFirst().orElseThrow();
        az1 = TestWorld.listenerIn(dp, AZ1);
        az2 = TestWorld.listenerIn(dp, AZ2);
        az1ZonalName = e.dnsEntries().stream().filter(d -> az1.zoneName().equals(d.zoneName()))
                .map(DnsEntry::dnsName).findFirst().orElseThrow();
    }

    /** Every test ends with its faults gone and the world whole again. */
    @AfterEach
    void recover() throws InterruptedException {
        dp.faults().forEach(f -> dp.removeFault(f.id()));
        TestWorld.awaitHealthy(dp);
        Await.until(DEADLINE, () -> dp.servingZones(endpointId).size() == 2, "both zones in DNS");
    }

    private List<String> serving() {
        return new ArrayList<>(new java.util.TreeSet<>(dp.servingZones(endpointId)));
    }

    private boolean allTargetsIn(String zoneId, TargetHealth health, String asSeenByNodeIn) {
        return dp.targets().stream().filter(t -> t.zoneId().equals(zoneId))
                .allMatch(t -> t.healthByNodeZoneId().get(asSeenByNodeIn) == health);
    }

    /** Waits until the regional name answers only {@code zones}; answers how long it took from {@code since}. */
    private long awaitServing(List<String> zones, long since) {
        Await.until(DEADLINE, () -> serving().equals(zones), () -> "DNS serving " + zones + ", is " + serving()
                + "; targets " + dp.targets());
        return Serve.millisSince(since);
    }

    /**
     * Starts watching, every 5 ms on a thread of its own, for the regional name to answer only
     * {@code zones}; the future holds the milliseconds from {@code since}, or fails after the deadline.
     */
    private java.util.concurrent.CompletableFuture<Long> watchServing(List<String> zones, long since) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> awaitServing(zones, since));
    }

    private static long join(java.util.concurrent.CompletableFuture<Long> f) {
        try {
            return f.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("waiting for DNS: " + e, e);
        }
    }

    /** {@code count} new connections through the regional DNS answer, resolved each time; answers what each saw. */
    private Map<Seen, Integer> throughRegionalName(int count) {
        Map<Seen, Integer> seen = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            List<String> ips = dp.dnsAnswer(regionalName).orElseThrow();
            String ip = ips.get(i % ips.size());
            seen.merge(Serve.probe(ip, TestWorld.LISTENER_PORT, 2000), 1, Integer::sum);
        }
        return seen;
    }

    private static String ips(InterfaceListener... ls) {
        return String.join(",", java.util.Arrays.stream(ls).map(InterfaceListener::ip).sorted().toList());
    }

    @Test
    void azOutageWithCrossZoneOnLosesNoNewConnectionAfterFailover() {
        dp.crossZone(NLB, true);
        try {
            assertEquals(List.of(AZ1, AZ2), serving());
            assertEquals(Map.of(Seen.ANSWERED, 40), throughRegionalName(40), "before the fault");

            long t0 = System.nanoTime();
            FaultView f = dp.addFault(ConnectionFaultTest.fault("fault=az-outage", "az=" + AZ1));
            long dnsMs = awaitServing(List.of(AZ2), t0);
            Await.until(DEADLINE, () -> allTargetsIn(AZ1, TargetHealth.UNHEALTHY, AZ2),
                    () -> "AZ1 targets unhealthy from AZ2's node: " + dp.targets());
            assertEquals(List.of(az2.ip()), dp.dnsAnswer(regionalName).orElseThrow(), "regional answer");
            assertEquals(List.of(az1.ip()), dp.dnsAnswer(az1ZonalName).orElseThrow(), "a zonal name does not fail over");

            Map<Seen, Integer> after = throughRegionalName(100);
            assertEquals(Map.of(Seen.ANSWERED, 100), after, "after failover, through the regional DNS answer");
            assertEquals(Seen.SILENT, Serve.probe(az1.ip(), az1.port(), SILENT_MILLIS), "the out zone's interface");
            assertTrue(dp.faults().get(0).hits() > 0, "hits: " + dp.faults());

            long t1 = System.nanoTime();
            dp.removeFault(f.id());
            long backMs = awaitServing(List.of(AZ1, AZ2), t1);
            Await.until(DEADLINE, () -> allTargetsIn(AZ1, TargetHealth.HEALTHY, AZ2)
                    && allTargetsIn(AZ1, TargetHealth.HEALTHY, AZ1), () -> "AZ1 healthy again: " + dp.targets());
            assertEquals(ips(az1, az2), String.join(",", dp.dnsAnswer(regionalName).orElseThrow().stream().sorted().toList()));
            for (int i = 0; i < 10; i++) {
                assertEquals(Seen.ANSWERED, Serve.probe(az1.ip(), az1.port(), 2000), "AZ1 after the outage");
            }
            System.out.printf("az-outage, cross-zone on: DNS dropped the zone after %d ms, took it back %d ms after"
                    + " the fault ended; 100 of 100 connections after failover answered%n", dnsMs, backMs);
        } finally {
            dp.crossZone(NLB, false);
        }
    }

    @Test
    void azOutageWithCrossZoneOffSilencesTheOutZonesInterfaceOnly() throws InterruptedException {
        dp.crossZone(NLB, false);
        long t0 = System.nanoTime();
        FaultView f = dp.addFault(ConnectionFaultTest.fault("fault=az-outage", "az=" + AZ1));
        var dns = watchServing(List.of(AZ2), t0);
        // At once, before any health check noticed: the zone's interface and node stop answering.
        for (int i = 0; i < 3; i++) {
            assertEquals(Seen.SILENT, Serve.probe(az1.ip(), az1.port(), SILENT_MILLIS), "through the out zone");
            assertEquals(Seen.ANSWERED, Serve.probe(az2.ip(), az2.port(), 2000), "through the other zone");
        }
        long dnsMs = join(dns);
        assertEquals(List.of(az2.ip()), dp.dnsAnswer(regionalName).orElseThrow());
        // The readings from a snapshot in hand, as the console's live view takes them, fail over alike.
        VpcEndpoint now = dp.world().controlPlane().endpoints().get(0);
        DnsEntry regional = now.dnsEntries().stream().filter(d -> d.zoneName() == null).findFirst().orElseThrow();
        DnsEntry zonal = now.dnsEntries().stream().filter(d -> az1.zoneName().equals(d.zoneName())).findFirst()
                .orElseThrow();
        assertEquals(List.of(az2.ip()), dp.dnsAnswer(now, regional), "regional answer from a snapshot");
        assertEquals(List.of(az1.ip()), dp.dnsAnswer(now, zonal), "a zonal answer from a snapshot does not fail over");
        assertEquals(List.of(AZ2), dp.servingZones(now), "serving zones from a snapshot");
        assertEquals(Map.of(Seen.ANSWERED, 30), throughRegionalName(30), "through DNS after failover");
        assertTrue(allTargetsIn(AZ2, TargetHealth.HEALTHY, AZ2), "AZ2's targets stay healthy: " + dp.targets());

        long t1 = System.nanoTime();
        dp.removeFault(f.id());
        long backMs = awaitServing(List.of(AZ1, AZ2), t1);
        TestWorld.awaitHealthy(dp);
        for (int i = 0; i < 10; i++) {
            assertEquals(Seen.ANSWERED, Serve.probe(az1.ip(), az1.port(), 2000), "AZ1 after the outage");
        }
        assertEquals(Map.of(Seen.ANSWERED, 20), throughRegionalName(20));
        System.out.printf("az-outage, cross-zone off: DNS dropped the zone after %d ms, took it back %d ms after"
                + " the fault ended%n", dnsMs, backMs);
    }

    @Test
    void nodeDownTakesItsZoneOutOfDnsAfterTheThresholds() {
        String node = world.nodeIp(AZ1);
        long t0 = System.nanoTime();
        FaultView f = dp.addFault(ConnectionFaultTest.fault("fault=node-down", "node=" + node));
        var dns = watchServing(List.of(AZ2), t0);
        assertEquals(Seen.SILENT, Serve.probe(az1.ip(), az1.port(), SILENT_MILLIS), "through the node that is down");
        assertEquals(Seen.ANSWERED, Serve.probe(az2.ip(), az2.port(), 2000), "through the other node");
        long dnsMs = join(dns);
        // Two failed checks 100 ms apart: never sooner.
        assertTrue(dnsMs >= 100, "the zone left DNS after " + dnsMs + " ms, before two checks failed");
        // The node's own checks fail; the other node still sees AZ1's targets healthy.
        assertTrue(allTargetsIn(AZ1, TargetHealth.UNHEALTHY, AZ1) && allTargetsIn(AZ2, TargetHealth.UNHEALTHY, AZ1),
                "every target unhealthy from the node that is down: " + dp.targets());
        assertTrue(allTargetsIn(AZ1, TargetHealth.HEALTHY, AZ2), "AZ1's targets healthy from AZ2: " + dp.targets());
        assertEquals(Map.of(Seen.ANSWERED, 30), throughRegionalName(30));

        long t1 = System.nanoTime();
        dp.removeFault(f.id());
        long backMs = awaitServing(List.of(AZ1, AZ2), t1);
        assertEquals(Seen.ANSWERED, Serve.probe(az1.ip(), az1.port(), 2000));
        System.out.printf("node-down: zone left DNS after %d ms, back %d ms after the fault ended%n", dnsMs, backMs);
    }

    @Test
    void dnsFollowsHealthNotTheFaultList() {
        // Every target unhealthy from both nodes: DNS fails open and answers both zones, as NLB does.
        FaultView f = dp.addFault(ConnectionFaultTest.fault("fault=target-unhealthy", "az=" + AZ1));
        FaultView g = dp.addFault(ConnectionFaultTest.fault("fault=target-unhealthy", "az=" + AZ2));
        Await.until(DEADLINE, () -> dp.targets().stream().allMatch(t -> t.healthByNodeZoneId().values().stream()
                .allMatch(h -> h == TargetHealth.UNHEALTHY)), () -> "all unhealthy: " + dp.targets());
        assertEquals(List.of(AZ1, AZ2), serving(), "fail open");
        assertEquals(2, dp.dnsAnswer(regionalName).orElseThrow().size());
        // AZ2's targets come back: only AZ2 serves (cross-zone off, AZ1's node has no healthy target).
        dp.removeFault(g.id());
        awaitServing(List.of(AZ2), System.nanoTime());
        dp.removeFault(f.id());
        awaitServing(List.of(AZ1, AZ2), System.nanoTime());
    }
}
