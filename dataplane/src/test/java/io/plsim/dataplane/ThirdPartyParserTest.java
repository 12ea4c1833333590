package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * plsim's Proxy Protocol v2 header as two widely used receivers read it, in 127.155.0.0/16: nginx
 * ({@code listen ... proxy_protocol}, answering with {@code $proxy_protocol_addr}) and HAProxy
 * ({@code bind ... accept-proxy}, answering with {@code %[src]}; HAProxy also checks the CRC32C TLV
 * and drops a connection whose checksum is wrong). Each runs as a target from a config in a temp
 * directory, on a free port of 127.0.0.1, nothing global; a test is skipped when its binary is missing.
 */
@ExtendWith(LeakCheck.class)
class ThirdPartyParserTest {

    private static final int NET = 155;
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    private static Path dir;
    private static Server nginx;
    private static Server haproxy;

    private DataPlane dp;

    /** A third-party server the tests started. */
    private record Server(Process process, int port, Path logFile) {
        String log() {
            try {
                return Files.exists(logFile) ? Files.readString(logFile) : "(no log)";
            } catch (IOException e) {
                return "(unreadable log: " + e + ")";
            }
        }
    }

    @BeforeAll
    static void startServers() throws Exception {
        dir = Files.createTempDirectory("plsim-third-party");
        if (Files.isExecutable(NGINX)) {
            nginx = startNginx(dir.resolve("nginx"));
        }
        if (Files.isExecutable(HAPROXY)) {
            haproxy = startHaproxy(dir.resolve("haproxy"));
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (Server s : new Server[] {nginx, haproxy}) {
            if (s != null) {
                s.process().destroy();
                if (!s.process().waitFor(5, TimeUnit.SECONDS)) {
                    s.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @AfterEach
    void tearDown() {
        if (dp != null) {
            dp.close(Duration.ZERO);
        }
    }

    private static Server startNginx(Path home) throws Exception {
        Files.createDirectories(home);
        int port = freePort();
        Files.writeString(home.resolve("nginx.conf"), """
                worker_processes 1;
                events { worker_connections 64; }
                http {
                  log_format pp '$proxy_protocol_addr:$proxy_protocol_port -> $proxy_protocol_server_addr:$proxy_protocol_server_port via $remote_addr';
                  access_log %1$s/access.log pp;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  server {
                    listen 127.0.0.1:%2$d proxy_protocol;
                    location / {
                      default_type text/plain;
                      return 200 "consumer=$proxy_protocol_addr:$proxy_protocol_port endpoint=$proxy_protocol_server_addr:$proxy_protocol_server_port peer=$remote_addr\\n";
                    }
                  }
                }
                """.formatted(home, port));
        Process p = new ProcessBuilder(NGINX.toString(), "-p", home.toString(), "-c", home.resolve("nginx.conf").toString(),
                "-g", "daemon off; pid " + home.resolve("nginx.pid") + "; error_log " + home.resolve("error.log") + ";")
                .redirectErrorStream(true).redirectOutput(home.resolve("stdout.log").toFile()).start();
        return awaitListening(new Server(p, port, home.resolve("error.log")), "nginx");
    }

    private static Server startHaproxy(Path home) throws Exception {
        Files.createDirectories(home);
        int port = freePort();
        Files.writeString(home.resolve("haproxy.cfg"), """
                global
                  maxconn 100
                defaults
                  mode http
                  timeout connect 5s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d accept-proxy
                  http-request return status 200 content-type text/plain lf-string "consumer=%%[src]:%%[src_port] endpoint=%%[dst]:%%[dst_port]\\n"
                """.formatted(port));
        Process p = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", home.resolve("haproxy.cfg").toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("haproxy.log").toFile()).start();
        return awaitListening(new Server(p, port, home.resolve("haproxy.log")), "haproxy");
    }

    private static Server awaitListening(Server s, String name) {
        Await.until(Duration.ofSeconds(10), () -> {
            if (!s.process().isAlive()) {
                throw new AssertionError(name + " exited with " + s.process().exitValue() + ": " + s.log());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", s.port()), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }, () -> name + " listens on 127.0.0.1:" + s.port() + "; log: " + s.log());
        return s;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts plsim with the server as its one target and answers the listener of zone AZ1. */
    private InterfaceListener startPlsimInFrontOf(Server server) throws Exception {
        dp = TestWorld.in(NET)
                .healthCheck("{intervalSeconds: 0.2, timeoutSeconds: 0.2, healthyThreshold: 2, unhealthyThreshold: 2}")
                .targetAt("us-east-1a", server.port()).start();
        TestWorld.awaitHealthy(dp);
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
        assumeTrue(nginx != null, "nginx not installed: " + NGINX + " (apt-get install nginx-light)");
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
        assumeTrue(haproxy != null, "haproxy not installed: " + HAPROXY + " (apt-get install haproxy)");
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
