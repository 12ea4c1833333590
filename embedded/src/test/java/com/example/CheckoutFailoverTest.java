package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.embedded.Endpoint;
import io.plsim.embedded.FaultSpec;
import io.plsim.embedded.PlsimWorld;
import io.plsim.embedded.WorldSpec;
import io.plsim.embedded.junit.PlsimExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * The example of docs/embedding.md: a service of yours (here a small echo server in each zone) behind an
 * endpoint service, a consumer that creates its endpoint with the AWS SDK, a zone outage, and the
 * assertion that a client honouring DNS fails over to the other zone.
 */
class CheckoutFailoverTest {

    // Your service, one instance per zone (here: a line echo on a free port).
    static final EchoService zoneA = EchoService.start();
    static final EchoService zoneB = EchoService.start();

    @RegisterExtension
    static final PlsimExtension plsim = PlsimExtension.of(WorldSpec.builder()
            .loadBalancer("checkout-nlb", 443)
            .target("us-east-1a", "127.0.0.1:" + zoneA.port())
            .target("us-east-1b", "127.0.0.1:" + zoneB.port())
            .service("checkout", false));

    @AfterAll
    static void stopService() throws IOException {
        zoneA.close();
        zoneB.close();
    }

    @Test
    void theConsumerFailsOverWhenAZoneGoesOut(PlsimWorld world) throws Exception {
        String serviceId = world.world().controlPlane().services().get(0).serviceId();
        PlsimWorld.Credentials consumer = world.credentials("444455556666");
        String endpointId;
        try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(world.apiUrl()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(consumer.accessKeyId(), consumer.secretAccessKey())))
                .build()) {
            endpointId = ec2.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE)
                    .vpcId("vpc-0f0f0f0f0f0f00002").serviceName("com.amazonaws.vpce.us-east-1." + serviceId)
                    .subnetIds("subnet-0f0f0f0f0f0f00021", "subnet-0f0f0f0f0f0f00022"))
                    .vpcEndpoint().vpcEndpointId();
        }
        assertTrue(world.awaitState(endpointId, "available", Duration.ofSeconds(5)));
        assertTrue(world.awaitHealthy(Duration.ofSeconds(5)));
        Endpoint endpoint = world.endpoint(endpointId);
        String name = endpoint.regionalDnsName();
        assertEquals(2, world.resolve(name).size(), "both zones answer");
        assertEquals("hello", call(world.resolve(name).get(0), "hello"));

        // The provider's use1-az1 goes out: its node's health checks fail, and DNS drops the zone.
        world.addFault(FaultSpec.azOutage("use1-az1"));
        InetSocketAddress survivor = endpoint.address("use1-az2");
        assertTrue(awaitOnly(world, name, survivor, Duration.ofSeconds(5)), "DNS failed over: " + world.resolve(name));
        for (int i = 0; i < 10; i++) {
            assertEquals("order-" + i, call(world.resolve(name).get(0), "order-" + i));
        }
    }

    /** Waits until DNS answers only {@code survivor}. */
    static boolean awaitOnly(PlsimWorld world, String name, InetSocketAddress survivor, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (world.resolve(name).equals(List.of(survivor))) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** One line to the service through the endpoint, and its answer. */
    static String call(InetSocketAddress at, String line) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(at, 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] answer = s.getInputStream().readNBytes(line.length() + 1);
            return new String(answer, StandardCharsets.UTF_8).trim();
        }
    }

    /** A stand-in for your service: echoes what it reads, one thread per connection. */
    record EchoService(ServerSocket socket) implements AutoCloseable {
        static EchoService start() {
            try {
                ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                Thread t = new Thread(() -> {
                    while (!s.isClosed()) {
                        try {
                            Socket c = s.accept();
                            Thread w = new Thread(() -> {
                                try (c) {
                                    c.getInputStream().transferTo(c.getOutputStream());
                                } catch (IOException e) {
                                    // the client went away
                                }
                            });
                            w.setDaemon(true);
                            w.start();
                        } catch (IOException e) {
                            return; // closed
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
                return new EchoService(s);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
