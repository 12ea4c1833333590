package io.plsim.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.LeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/** Worlds started in this JVM, driven through their handles, the AWS SDK and real sockets. */
@ExtendWith(LeakCheck.class)
class PlsimWorldTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** One line through an address, echoed back; the time it took in milliseconds. */
    static long echo(InetSocketAddress at, String line) throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(at, 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            out.write(bytes);
            InputStream in = s.getInputStream();
            byte[] back = in.readNBytes(bytes.length);
            assertEquals(line + "\n", new String(back, StandardCharsets.UTF_8), "echoed through " + at);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static Ec2Client ec2(PlsimWorld world, String account) {
        PlsimWorld.Credentials c = world.credentials(account);
        return Ec2Client.builder().endpointOverride(world.apiUrl()).region(Region.of(world.region()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(),
                        c.secretAccessKey()))).build();
    }

    @Test
    void aWorldFromAResourceServesTheSdkAndTraffic() throws Exception {
        try (PlsimWorld world = PlsimWorld.fromResource("world.yaml")) {
            assertTrue(world.awaitHealthy(DEADLINE), "targets healthy: " + world.stats());
            Endpoint ep = world.endpoint("your-endpoint");
            assertEquals("available", ep.state());
            assertEquals(2, ep.interfaces().size());
            assertTrue(ep.interfaces().stream().allMatch(i -> i.ip().startsWith("127.")
                    && Integer.parseInt(i.ip().split("\\.")[1]) >= LoopbackBlocks.FIRST), "moved: " + ep.interfaces());
            assertTrue(ep.regionalDnsName().endsWith(".vpce.amazonaws.com"), ep.regionalDnsName());
            assertEquals(2, ep.zonalDnsNames().size());
            echo(ep.address("us-east-1a"), "through zone a");
            echo(ep.address("us-east-1b"), "through zone b");

            try (Ec2Client consumer = ec2(world, "444455556666")) {
                List<VpcEndpoint> seen = consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(ep.id())).vpcEndpoints();
                assertEquals(1, seen.size());
                assertEquals(ep.regionalDnsName(), seen.get(0).dnsEntries().get(0).dnsName());
                Ec2Exception e = assertThrows(Ec2Exception.class,
                        () -> consumer.describeVpcEndpoints(r -> r.vpcEndpointIds("vpce-0123456789abcdef0")));
                assertEquals("InvalidVpcEndpointId.NotFound", e.awsErrorDetails().errorCode());
            }
            assertTrue(world.stats().connections().admitted() >= 2, world.stats().toString());
            assertThrows(IllegalArgumentException.class, () -> world.credentials("999999999999"));
        }
    }

    @Test
    void twoWorldsFromOneFileRunSideBySide() throws Exception {
        try (PlsimWorld a = PlsimWorld.fromResource("world.yaml"); PlsimWorld b = PlsimWorld.fromResource("world.yaml")) {
            assertTrue(a.awaitHealthy(DEADLINE) && b.awaitHealthy(DEADLINE));
            Endpoint ea = a.endpoint("your-endpoint");
            Endpoint eb = b.endpoint("your-endpoint");
            assertEquals(ea.id(), eb.id(), "the same seed, the same IDs");
            assertNotEquals(ea.address(), eb.address(), "but addresses of their own");
            assertNotEquals(a.apiUrl(), b.apiUrl());
            var page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(a.consoleUrl())
                    .timeout(java.time.Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), "the console of world a");
            assertTrue(page.body().contains("plsim console"), page.body());
            assertNotEquals(a.dnsAddress(), b.dnsAddress());
            echo(ea.address(), "world a");
            echo(eb.address(), "world b");
        }
    }

    @Test
    void aTypedFaultActsWhereItsScopeSaysAndGoesWhenRemoved() throws Exception {
        try (PlsimWorld world = PlsimWorld.fromResource("world.yaml")) {
            assertTrue(world.awaitHealthy(DEADLINE));
            Endpoint ep = world.endpoint("your-endpoint");
            String zoneA = ep.interfaces().stream().filter(i -> i.zoneName().equals("us-east-1a")).findFirst()
                    .orElseThrow().zoneId();
            PlsimWorld.ActiveFault f = world.addFault(FaultSpec.latency(Duration.ofMillis(200)).inZone(zoneA)
                    .named("slow-a"));
            assertEquals("slow-a", f.name());
            assertEquals(List.of(f), world.faults());
            assertTrue(echo(ep.address("us-east-1a"), "slow") >= 200, "the fault's zone is slow");
            assertTrue(echo(ep.address("us-east-1b"), "fast") < 200, "the other zone is not");
            world.updateFault("slow-a", FaultSpec.latency(Duration.ofMillis(0)).inZone(zoneA));
            assertTrue(echo(ep.address("us-east-1a"), "updated") < 200, "updated in place");
            assertTrue(world.removeFault("slow-a"));
            assertTrue(world.faults().isEmpty());
            PlsimException bad = assertThrows(PlsimException.class,
                    () -> world.addFault(FaultSpec.latency(Duration.ofMillis(10)).toxicity(2)));
            assertTrue(bad.getMessage().contains("toxicity"), bad.getMessage());
            assertTrue(world.events().stream().anyMatch(e -> e.kind().equals("fault-start")), "in the event log");
        }
    }

    /**
     * A fault whose zone is no zone ID of the world (an unknown ID, or a zone name where the ID
     * belongs) is refused in the JVM with the message the admin API answers, and nothing is in force.
     */
    @Test
    void aFaultInAZoneTheWorldLacksIsRefusedAsTheAdminApiRefusesIt() throws Exception {
        try (PlsimWorld world = PlsimWorld.fromResource("world.yaml")) {
            for (FaultSpec spec : List.of(FaultSpec.azOutage("use1-az9"),
                    FaultSpec.latency(Duration.ofMillis(10)).inZone("us-east-1a"))) {
                PlsimException e = assertThrows(PlsimException.class, () -> world.addFault(spec));
                String az = spec.toFault().scope().zoneId();
                assertTrue(e.getMessage().startsWith("az: no zone ID " + az + " in this world"), e.getMessage());
                var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                world.apiUrl().resolve("/admin/faults")).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"fault\":\"az-outage\",\"az\":\""
                                + az + "\"}")).timeout(Duration.ofSeconds(5)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(400, answer.statusCode(), answer.body());
                assertEquals(e.getMessage(), new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body())
                        .path("error").asText());
            }
            assertTrue(world.faults().isEmpty(), world.faults().toString());
        }
    }

    @Test
    void theProviderDecidesAndTheTestWaitsOnTheStateNotOnASleep() throws Exception {
        try (PlsimWorld world = PlsimWorld.start(WorldSpec.builder().builtinTarget("us-east-1a", "echo")
                .builtinTarget("us-east-1b", "echo").service("svc", true).endpoint("ep"))) {
            assertTrue(world.awaitHealthy(DEADLINE));
            assertEquals("pendingAcceptance", world.endpoint("ep").state());
            world.accept("ep");
            assertTrue(world.awaitState("ep", "available", DEADLINE), world.endpoint("ep").toString());
            echo(world.endpoint("ep").address(), "accepted");
            world.reject("ep");
            assertTrue(world.awaitState("ep", "rejected", DEADLINE));
            InetSocketAddress at = world.endpoint("ep").address();
            assertThrows(IOException.class, () -> echo(at, "rejected"), "a rejected endpoint's connections are reset");
            PlsimException again = assertThrows(PlsimException.class, () -> world.reject("ep"));
            assertTrue(again.getMessage().contains("InvalidState") || again.getMessage().contains("rejected"),
                    again.getMessage());
            world.delete("ep");
            assertTrue(world.awaitState("ep", "deleted", DEADLINE));
        }
    }

    @Test
    void aRestartPutsTheWorldBackBehindTheSameUrls() throws Exception {
        try (PlsimWorld world = PlsimWorld.fromResource("world.yaml")) {
            assertTrue(world.awaitHealthy(DEADLINE));
            var api = world.apiUrl();
            var dns = world.dnsAddress();
            world.addFault(FaultSpec.resetPeer(Duration.ZERO));
            world.reject("your-endpoint");
            world.restart();
            assertEquals(api, world.apiUrl());
            assertEquals(dns, world.dnsAddress());
            assertTrue(world.faults().isEmpty());
            assertTrue(world.awaitHealthy(DEADLINE));
            assertEquals("available", world.endpoint("your-endpoint").state());
            echo(world.endpoint("your-endpoint").address(), "after the restart");
        }
    }

    @Test
    void badInputIsSaidWithItsPlace() {
        PlsimException missing = assertThrows(PlsimException.class, () -> PlsimWorld.fromResource("nope.yaml"));
        assertEquals("no resource nope.yaml on the classpath", missing.getMessage());
        PlsimException bad = assertThrows(PlsimException.class, () -> PlsimWorld.fromYaml("region: us-east-1\n"
                + "accounts: 7\n"));
        assertTrue(bad.getMessage().contains("yaml:2"), bad.getMessage());
        assertFalse(bad.getMessage().contains("Exception"), bad.getMessage());
    }

    @Test
    void aClosedWorldSaysSo() throws Exception {
        PlsimWorld world = PlsimWorld.fromResource("world.yaml");
        InetSocketAddress at = world.endpoint("your-endpoint").address();
        world.close();
        world.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, world::apiUrl);
        assertEquals("this plsim world is closed", e.getMessage());
        assertThrows(SocketException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(at, 1000);
            }
        }, "nothing listens any more");
    }
}
