package io.plsim.app.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plsim.core.config.SimConfigLoader;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.proxy.ProxyHeader;
import io.plsim.dataplane.proxy.ProxyHeaderParser;
import io.plsim.dataplane.proxy.ProxyHeaderWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped {@code sim-configs/your-service.yaml}, unedited, in front of two services on the ports it names
 * (127.0.0.1:9001 and :9002): its health checks send NLB's 100-byte LOCAL header, and a connection's PROXY
 * header is NLB's, held until the consumer's first bytes and sent with them.
 */
@ExtendWith(LeakCheck.class)
class YourServiceHeadersTest {

    private static final Path YOUR_SERVICE = Path.of("../sim-configs/your-service.yaml");

    /** The first read of every connection a service accepted. */
    private final BlockingQueue<byte[]> firstReads = new LinkedBlockingQueue<>();

    @Test
    void yourServiceSendsNlbsHeadersWhereNlbSendsThem() throws Exception {
        List<ServerSocket> services = new ArrayList<>();
        try {
            for (int port : new int[] {9001, 9002}) {
                ServerSocket s;
                try {
                    s = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
                } catch (IOException e) {
                    assumeTrue(false, "127.0.0.1:" + port + " is taken on this machine (" + e.getMessage()
                            + "); your-service.yaml names it");
                    return;
                }
                services.add(s);
                Thread t = new Thread(() -> serve(s), "service-" + port);
                t.setDaemon(true);
                t.start();
            }
            DataPlane dp = DataPlane.start(SimConfigLoader.load(YOUR_SERVICE));
            try {
                assertTrue(dp.awaitHealthy("your-nlb", Duration.ofSeconds(20)), () -> "healthy: " + dp.targets());
                byte[] check = firstReads.poll(10, TimeUnit.SECONDS);
                assertNotNull(check, "a health check reached a service");
                assertArrayEquals(ProxyHeaderWriter.awsLocalBytes(), check, "NLB's health-check header, exactly");
                firstReads.clear();

                InterfaceListener zoneA = dp.listeners().stream().filter(l -> l.zoneName().equals("us-east-1a"))
                        .findFirst().orElseThrow();
                try (Socket consumer = new Socket(zoneA.ip(), zoneA.port())) {
                    // A second of silence from the consumer: only health checks reach the services.
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    for (long left; (left = until - System.nanoTime()) > 0; ) {
                        byte[] r = firstReads.poll(left, TimeUnit.NANOSECONDS);
                        assertTrue(r == null || r[12] == 0x20, "a PROXY header before the consumer spoke");
                    }
                    consumer.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] first = nextProxy();
                    assertNotNull(first, "the consumer's connection reached a service");
                    ProxyHeaderParser.Result parsed = ProxyHeaderParser.parse(first);
                    assertEquals(ProxyHeaderParser.Status.PARSED, parsed.status(), parsed::error);
                    ProxyHeader h = parsed.header();
                    assertEquals("aws-privatelink", h.shape().kind(), () -> h.shape().differences().toString());
                    assertEquals(100, h.headerLength());
                    assertEquals(zoneA.endpointId(), h.vpceId());
                    assertEquals(zoneA.ip() + ":" + zoneA.port(), h.destinationAddress() + ":" + h.destinationPort());
                    assertEquals("hello\n", new String(first, 100, first.length - 100, StandardCharsets.US_ASCII),
                            "the consumer's first bytes came in the header's segment");
                }
            } finally {
                dp.close(Duration.ZERO);
            }
        } finally {
            for (ServerSocket s : services) {
                s.close();
            }
        }
    }

    private byte[] nextProxy() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            byte[] r = firstReads.poll(left, TimeUnit.NANOSECONDS);
            if (r != null && r.length > 12 && r[12] == 0x21) {
                return r;
            }
        }
        return null;
    }

    private void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                int n = in.read(buf);
                if (n > 0) {
                    firstReads.add(Arrays.copyOf(buf, n));
                }
            } catch (IOException e) {
                // closed, or a client that went
            }
        }
    }
}
