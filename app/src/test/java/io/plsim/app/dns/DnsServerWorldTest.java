package io.plsim.app.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.dataplane.Await;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TargetHealth;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The endpoint DNS server in front of a real world and data plane, {@link TestWorld}'s in
 * 127.140.0.0/16: a provider NLB with a node in each of two zones, one target per zone that the test
 * runs itself (so it can stop and restart them), and a consumer endpoint in both zones. NLB's DNS failover: the regional
 * name drops a zone whose node has no healthy target, gets it back when a target is healthy again,
 * and answers every zone when none has one; zonal names always give their own interface's IP.
 */
@ExtendWith(LeakCheck.class)
class DnsServerWorldTest {

    private static final int NET = TestBlocks.of(DnsServerWorldTest.class);
    private static final String AZ1 = TestWorld.AZ1;
    private static final String AZ2 = TestWorld.AZ2;
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private PortTarget targetAz1;
    private PortTarget targetAz2;
    private DataPlane dp;
    private DnsServer dns;
    private VpcEndpoint endpoint;

    @BeforeEach
    void setUp() throws Exception {
        targetAz1 = new PortTarget();
        targetAz2 = new PortTarget();
        // Cross-zone off, so that a zone's health is its own target's: the failover under test.
        dp = TestWorld.in(NET).crossZone(false).proxyProtocol("false")
                .targetAt("us-east-1a", targetAz1.port).targetAt("us-east-1b", targetAz2.port).start();
        dns = DnsServer.start(new InetSocketAddress("127.0.0.1", 0), dp.transport(), dp::dnsAnswer);
        endpoint = dp.world().controlPlane().endpoints().get(0);
        assertEquals(2, endpoint.interfaces().size());
        if (!dp.awaitHealthy(TestWorld.NLB, DEADLINE)) {
            throw new AssertionError("targets not healthy: " + dp.targets());
        }
    }

    @AfterEach
    void tearDown() {
        if (dns != null) {
            dns.close();
        }
        if (dp != null) {
            dp.close(Duration.ZERO);
        }
        targetAz1.close();
        targetAz2.close();
    }

    // ---------------------------------------------------------------- the world's names

    private String regionalName() {
        return endpoint.dnsEntries().stream().filter(d -> d.zoneName() == null).map(DnsEntry::dnsName)
                .findFirst().orElseThrow();
    }

    private String ipIn(String zoneId) {
        return endpoint.interfaces().stream().filter(i -> i.zoneId().equals(zoneId))
                .map(EndpointInterface::privateIp).findFirst().orElseThrow();
    }

    /** The A records of a name over UDP, sorted. */
    private List<String> udpAnswer(String name) {
        try {
            RawDns.Message m = RawDns.udp(dns.address(), RawDns.query(ThreadLocalRandom.current().nextInt(65536), name, RawDns.A));
            assertEquals(RawDns.NOERROR, m.rcode(), () -> name + ": " + m);
            assertTrue(m.authoritative());
            return m.ips().stream().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> tcpAnswer(String name) throws IOException {
        RawDns.Message m = RawDns.tcp(dns.address(), RawDns.query(1, name, RawDns.A));
        assertEquals(RawDns.NOERROR, m.rcode(), () -> name + ": " + m);
        return m.ips().stream().sorted().toList();
    }

    private static List<String> sorted(String... ips) {
        return java.util.Arrays.stream(ips).sorted().toList();
    }

    private void awaitRegional(List<String> expected, String why) {
        Await.until(DEADLINE, () -> udpAnswer(regionalName()).equals(expected),
                () -> why + ": regional answer " + expected + ", last " + udpAnswer(regionalName())
                        + "; targets " + dp.targets());
    }

    private boolean allUnhealthy() {
        return dp.targets().stream().allMatch(t -> t.healthByNodeZoneId().values().stream()
                .allMatch(h -> h == TargetHealth.UNHEALTHY));
    }

    // ---------------------------------------------------------------- tests

    @Test
    void theRegionalNameDropsAZoneWithoutAHealthyTargetAndGetsItBack() throws IOException {
        String regional = regionalName();
        assertTrue(regional.startsWith(endpoint.vpcEndpointId() + "-"), regional);
        assertTrue(regional.endsWith("." + endpoint.serviceId() + ".us-east-1.vpce.amazonaws.com"), regional);
        String ip1 = ipIn(AZ1);
        String ip2 = ipIn(AZ2);
        assertTrue(ip1.startsWith("127.140.130."), "the consumer's us-east-1b is use1-az1: " + ip1);
        assertTrue(ip2.startsWith("127.140.129."), ip2);

        assertEquals(sorted(ip1, ip2), udpAnswer(regional), "both zones while healthy");
        assertEquals(sorted(ip1, ip2), tcpAnswer(regional));

        // use1-az1's only target stops listening: after the unhealthy threshold, its zone leaves the answer.
        targetAz1.stop();
        awaitRegional(List.of(ip2), "use1-az1 has no healthy target");
        assertEquals(List.of(ip2), tcpAnswer(regional));
        assertEquals(List.of(ip1), udpAnswer(zonalName(AZ1)), "a zonal name keeps its IP");

        // It listens again: back after the healthy threshold.
        targetAz1.listen();
        awaitRegional(sorted(ip1, ip2), "use1-az1 healthy again");

        // Every target down: NLB fails open, every zone is in the answer.
        targetAz2.stop();
        awaitRegional(List.of(ip1), "use1-az2 has no healthy target");
        targetAz1.stop();
        Await.until(DEADLINE, this::allUnhealthy, () -> "every target unhealthy: " + dp.targets());
        assertEquals(sorted(ip1, ip2), udpAnswer(regional), "fail open: all zones");

        targetAz2.listen();
        awaitRegional(List.of(ip2), "only use1-az2 healthy");
    }

    private String zonalName(String zoneId) {
        String zoneName = endpoint.interfaces().stream().filter(i -> i.zoneId().equals(zoneId))
                .map(EndpointInterface::zoneName).findFirst().orElseThrow();
        return endpoint.dnsEntries().stream().filter(d -> zoneName.equals(d.zoneName())).map(DnsEntry::dnsName)
                .findFirst().orElseThrow();
    }

    @Test
    void zonalNamesAnswerTheirOwnInterfaceAndOtherNamesAreNot() throws IOException {
        List<DnsEntry> zonal = endpoint.dnsEntries().stream().filter(d -> d.zoneName() != null).toList();
        assertEquals(2, zonal.size());
        for (DnsEntry d : zonal) {
            String ip = endpoint.interfaces().stream().filter(i -> i.zoneName().equals(d.zoneName()))
                    .map(EndpointInterface::privateIp).findFirst().orElseThrow();
            assertTrue(d.dnsName().contains("-" + d.zoneName() + "."), d.dnsName());
            assertEquals(List.of(ip), udpAnswer(d.dnsName()), d.dnsName());
            assertEquals(List.of(ip), tcpAnswer(d.dnsName()), d.dnsName());
        }
        // A name of the service that is no endpoint's: NXDOMAIN.
        String other = "vpce-0123456789abcdef0-aaaaaaaa." + endpoint.serviceId() + ".us-east-1.vpce.amazonaws.com";
        assertEquals(RawDns.NXDOMAIN, RawDns.udp(dns.address(), RawDns.query(2, other, RawDns.A)).rcode());
        // The names plsim run prints.
        List<String> lines = EndpointDnsNames.lines(dp.world().controlPlane());
        assertEquals(3, lines.size(), lines::toString);
        assertEquals("dns " + endpoint.vpcEndpointId() + " " + regionalName(), lines.get(0));
        for (DnsEntry d : zonal) {
            assertTrue(lines.contains("dns " + endpoint.vpcEndpointId() + " " + d.zoneName() + " " + d.dnsName()),
                    lines::toString);
        }
        assertEquals(regionalName(), EndpointDnsNames.example(dp.world().controlPlane()));
    }

    @Test
    void digGetsTheSameAnswers() throws Exception {
        Assumptions.assumeTrue(Dig.available(), "dig is not installed");
        String regional = regionalName();
        List<String> both = sorted(ipIn(AZ1), ipIn(AZ2));
        assertEquals(both, dig("+short", regional).stream().sorted().toList());
        assertEquals(both, dig("+short", "+tcp", regional).stream().sorted().toList());

        List<String> full = dig(regional);
        String text = String.join("\n", full);
        assertTrue(text.contains("status: NOERROR"), text);
        assertTrue(text.matches("(?s).*flags: qr aa rd;.*"), text);
        for (String ip : both) {
            assertTrue(text.matches("(?s).*\\Q" + regional + ".\\E\\s+60\\s+IN\\s+A\\s+\\Q" + ip + "\\E.*"), text);
        }
        String nx = String.join("\n", dig("nope." + endpoint.serviceId() + ".us-east-1.vpce.amazonaws.com"));
        assertTrue(nx.contains("status: NXDOMAIN"), nx);
        String refused = String.join("\n", dig("example.com"));
        assertTrue(refused.contains("status: REFUSED"), refused);
        assertEquals(List.of(), dig("+short", "AAAA", regional));
    }

    private List<String> dig(String... args) throws IOException, InterruptedException {
        return Dig.at("127.0.0.1", dns.address().getPort(), args);
    }

    /**
     * A target of the test's own: a listening socket on 127.0.0.1 that accepts and closes (enough
     * for TCP health checks), and that can stop listening and listen again on the same port.
     */
    private static final class PortTarget implements AutoCloseable {
        final int port;
        private volatile ServerSocket server;

        PortTarget() throws IOException {
            server = open(0);
            port = server.getLocalPort();
        }

        private static ServerSocket open(int port) throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port), 50);
            Thread t = new Thread(() -> {
                while (!s.isClosed()) {
                    try (Socket c = s.accept()) {
                        c.shutdownOutput();
                    } catch (IOException e) {
                        // closed, or the peer went away first
                    }
                }
            }, "dns-test-target-" + s.getLocalPort());
            t.setDaemon(true);
            t.start();
            return s;
        }

        void stop() throws IOException {
            server.close();
        }

        void listen() throws IOException {
            server = open(port);
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
