package io.plsim.dataplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Two widely used Proxy Protocol receivers, started from a config in a directory the caller owns, on a free
 * port of 127.0.0.1, each answering an HTTP request with what it read from the header: nginx
 * ({@code listen ... proxy_protocol}, answering with {@code $proxy_protocol_addr}) and HAProxy
 * ({@code bind ... accept-proxy}, answering with {@code %[src]}). Tests skip when a binary is missing;
 * {@code .ci/run} installs both.
 */
public final class ThirdPartyServers {

    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    public static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    public static final String NGINX_MISSING = "nginx not installed: " + NGINX + " (apt-get install nginx-light)";
    public static final String HAPROXY_MISSING = "haproxy not installed: " + HAPROXY + " (apt-get install haproxy)";

    private ThirdPartyServers() {
    }

    /** A third-party server a test started. */
    public record Server(String name, Process process, int port, Path logFile) {
        public String log() {
            try {
                // nginx quotes the bytes of a broken header, which need not be UTF-8.
                return Files.exists(logFile) ? Files.readString(logFile, java.nio.charset.StandardCharsets.ISO_8859_1) : "(no log)";
            } catch (IOException e) {
                return "(unreadable log: " + e + ")";
            }
        }

        public InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", port);
        }

        /** Stops the process, waiting for it to go. */
        public void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    public static boolean hasNginx() {
        return Files.isExecutable(NGINX);
    }

    public static boolean hasHaproxy() {
        return Files.isExecutable(HAPROXY);
    }

    /** nginx with {@code proxy_protocol} on its one listener; its error log says why it dropped a header. */
    public static Server nginx(Path home) throws Exception {
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
        return awaitListening(new Server("nginx", p, port, home.resolve("error.log")));
    }

    /** HAProxy with {@code accept-proxy} on its one bind; HAProxy also checks the CRC32C TLV. */
    public static Server haproxy(Path home) throws Exception {
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
        return awaitListening(new Server("haproxy", p, port, home.resolve("haproxy.log")));
    }

    private static Server awaitListening(Server s) {
        Await.until(Duration.ofSeconds(10), () -> {
            if (!s.process().isAlive()) {
                throw new AssertionError(s.name() + " exited with " + s.process().exitValue() + ": " + s.log());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", s.port()), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }, () -> s.name() + " listens on 127.0.0.1:" + s.port() + "; log: " + s.log());
        return s;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
