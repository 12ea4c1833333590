package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * plsim's Proxy Protocol v2 header as two widely used receivers read it, in 127.155.0.0/16: nginx
 * ({@code listen ... proxy_protocol}, answering with {@code $proxy_protocol_addr}) and HAProxy
 * ({@code bind ... accept-proxy}, answering with {@code %[src]}; HAProxy also checks the CRC32C TLV
 * and drops a connection whose checksum is wrong). Each runs as a target from a config in a temp
 * directory, on a free port of 127.0.0.1, nothing global; a test is skipped when its binary is missing.
 */
@ExtendWith(LeakCheck.class)
class ThirdPartyParserTest {

    private static final int NET = TestBlocks.of(ThirdPartyParserTest.class);
    private static Path dir;
    private static ThirdPartyServers.Server nginx;
    private static ThirdPartyServers.Server haproxy;

    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;

    @BeforeAll
    static void startServers() throws Exception {
        dir = Files.createTempDirectory("plsim-third-party");
        if (ThirdPartyServers.hasNginx()) {
            nginx = ThirdPartyServers.nginx(dir.resolve("nginx"));
        }
        if (ThirdPartyServers.hasHaproxy()) {
            haproxy = ThirdPartyServers.haproxy(dir.resolve("haproxy"));
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (ThirdPartyServers.Server s : new ThirdPartyServers.Server[] {nginx, haproxy}) {
            if (s != null) {
                s.stop();
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Starts plsim with the server as its one target and answers the listener of zone AZ1. */
    private InterfaceListener startPlsimInFrontOf(ThirdPartyServers.Server server) throws Exception {
        dp = dataPlanes.startHealthy(TestWorld.in(NET)
                .healthCheck("{intervalSeconds: 0.2, timeoutSeconds: 0.2, healthyThreshold: 2, unhealthyThreshold: 2}")
                .targetAt("us-east-1a", server.port()));
        return TestWorld.listenerIn(dp, AZ1);
    }

    /** One HTTP/1.0 request through plsim; answers the response and the client's own address. */
    private static List<String> get(InterfaceListener l) throws IOException {
        try (TestClient c = TestClient.connect(l)) {
            c.write("GET / HTTP/1.0\r\nHost: plsim.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            c.socket().setSoTimeout(5000);
            String response = new String(c.socket().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return List.of(response, c.localAddress());
        }
    }

    @Test
    void nginxReadsTheConsumersAddressFromTheHeader() throws Exception {
        assumeTrue(nginx != null, ThirdPartyServers.NGINX_MISSING);
        InterfaceListener l = startPlsimInFrontOf(nginx);
        for (int i = 0; i < 5; i++) {
            List<String> r = get(l);
            String response = r.get(0);
            String consumer = r.get(1);
            assertTrue(response.startsWith("HTTP/1.1 200"), () -> "nginx answered: " + response + "\n" + nginx.log());
            assertTrue(response.contains("consumer=" + consumer + " "), () -> "nginx saw the consumer " + consumer
                    + ": " + response);
            assertTrue(response.contains("endpoint=" + l.address() + " "), () -> "and the endpoint interface: " + response);
            // The TCP peer nginx sees is the NLB node, not the consumer.
            String node = TestWorld.in(NET).nodeIp(AZ1);
            assertTrue(response.contains("peer=" + node), () -> "nginx's TCP peer is the node " + node + ": " + response);
            Path access = dir.resolve("nginx/access.log");
            Await.until(Duration.ofSeconds(5), () -> read(access).contains(consumer + " -> " + l.address()),
                    () -> "nginx logged the consumer " + consumer + ": " + read(access));
        }
    }

    @Test
    void haproxyReadsTheConsumersAddressAndAcceptsTheChecksum() throws Exception {
        assumeTrue(haproxy != null, ThirdPartyServers.HAPROXY_MISSING);
        InterfaceListener l = startPlsimInFrontOf(haproxy);
        for (int i = 0; i < 5; i++) {
            List<String> r = get(l);
            String response = r.get(0);
            String consumer = r.get(1);
            assertTrue(response.startsWith("HTTP/1.1 200"), () -> "haproxy answered: " + response + "\n" + haproxy.log());
            assertTrue(response.contains("consumer=" + consumer + " "), () -> "haproxy saw the consumer " + consumer
                    + ": " + response);
            assertTrue(response.contains("endpoint=" + l.address()), () -> "and the endpoint interface: " + response);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
