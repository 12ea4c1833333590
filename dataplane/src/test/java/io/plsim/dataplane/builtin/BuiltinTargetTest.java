package io.plsim.dataplane.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.plsim.core.model.LoadBalancer.TargetKind;
import io.plsim.dataplane.Await;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TcpSockets;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestClient;
import io.plsim.dataplane.Transport;
import io.plsim.dataplane.proxy.ProxyHeaderWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in targets on their own, on 127.156.0.1: {@code pp2-inspect} answers one JSON line
 * about the header it got (or its absence, or what is wrong with it) and then echoes;
 * {@code echo} takes the header off and echoes the rest exactly; both end a connection once its
 * peer has ended its side.
 */
@ExtendWith(LeakCheck.class)
class BuiltinTargetTest {

    private static final String HOST = "127." + TestBlocks.of(BuiltinTargetTest.class) + ".0.1";
    private static final String VPCE = "vpce-0123456789abcdef0";
    /** 127.0.0.1:40000 -> 127.156.129.4:443 */
    private static final int SRC = 0x7f000001;
    private static final int DST = 0x7f9c8104;

    private static EventLoopGroup group;
    private BuiltinTargetServer server;

    @BeforeAll
    static void loop() {
        group = Transport.best().newGroup(1, "builtin-target-test");
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestClient start(TargetKind kind) throws InterruptedException {
        listen(kind);
        return TestClient.connect(HOST, server.address().getPort());
    }

    private void listen(TargetKind kind) throws InterruptedException {
        server = BuiltinTargetServer.start(kind, new InetSocketAddress(HOST, 0), group, Transport.best().serverChannel());
        assertEquals(HOST, server.address().getAddress().getHostAddress());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void pp2InspectDescribesTheHeaderThenEchoes() throws Exception {
        byte[] header = ProxyHeaderWriter.minimal(VPCE, true).toBytes(SRC, 40000, DST, 443);
        try (TestClient c = start(TargetKind.PP2_INSPECT)) {
            c.write(concat(header, "hello\n".getBytes(StandardCharsets.US_ASCII)));
            String json = c.readLine();
            assertEquals(HOST + ":" + server.address().getPort(), TestClient.jsonField(json, "target"), json);
            assertEquals(c.localAddress(), TestClient.jsonField(json, "peer"), json);
            assertEquals("127.0.0.1:40000", TestClient.jsonField(json, "source"), json);
            assertEquals("127.156.129.4:443", TestClient.jsonField(json, "destination"), json);
            assertEquals(VPCE, TestClient.jsonField(json, "vpceEndpointId"), json);
            assertEquals("valid", TestClient.jsonField(json, "crc32c"), json);
            assertEquals("hello", c.readLine(), "then the echo, without the header");
        }
    }

    @Test
    void pp2InspectSaysWhenThereIsNoHeaderAndEchoesEverything() throws Exception {
        try (TestClient c = start(TargetKind.PP2_INSPECT)) {
            c.writeLine("GET / HTTP/1.0");
            String json = c.readLine();
            assertEquals("no proxy protocol header", TestClient.jsonField(json, "error"), json);
            assertEquals("GET / HTTP/1.0", c.readLine(), "the whole stream comes back");
        }
    }

    @Test
    void pp2InspectDropsAMalformedHeaderWithItsReason() throws Exception {
        byte[] header = ProxyHeaderWriter.minimal(VPCE, false).toBytes(SRC, 40000, DST, 443);
        header[12] = 0x31; // version 3: a receiver must drop it
        try (TestClient c = start(TargetKind.PP2_INSPECT)) {
            c.write(concat(header, "data\n".getBytes(StandardCharsets.US_ASCII)));
            String json = c.readLine();
            assertTrue(TestClient.jsonField(json, "error").startsWith("malformed proxy protocol header"), json);
            assertEquals(TestClient.Outcome.EOF, c.awaitEnd(java.time.Duration.ofSeconds(3)), "then it closes");
        }
    }

    @Test
    void pp2InspectReportsAHealthChecksLocalHeader() throws Exception {
        try (TestClient c = start(TargetKind.PP2_INSPECT)) {
            c.write(ProxyHeaderWriter.minimalLocalBytes(true));
            String json = c.readLine();
            assertEquals("LOCAL", TestClient.jsonField(json, "command"), json);
            assertEquals("valid", TestClient.jsonField(json, "crc32c"), json);
        }
    }

    @Test
    void echoTakesTheHeaderOffAndEchoesTheRestExactly() throws Exception {
        byte[] header = ProxyHeaderWriter.minimal(VPCE, true).toBytes(SRC, 40000, DST, 443);
        byte[] payload = new byte[300_000];
        new java.util.Random(7).nextBytes(payload);
        try (TestClient c = start(TargetKind.ECHO)) {
            Thread writer = new Thread(() -> {
                try {
                    c.write(concat(header, payload));
                    c.shutdownOutput();
                } catch (IOException e) {
                    // the read below fails then
                }
            }, "echo-writer");
            writer.setDaemon(true);
            writer.start();
            c.socket().setSoTimeout(5000);
            assertArrayEquals(payload, readAll(c), "exactly the payload, then EOF");
            writer.join(5000);
        }
    }

    static Stream<Arguments> targetsAndProxyProtocol() {
        return Stream.of(TargetKind.values()).filter(k -> k != TargetKind.ADDRESS)
                .flatMap(k -> Stream.of(Arguments.of(k, false), Arguments.of(k, true)));
    }

    /**
     * A peer that sends some bytes and then half-closes gets them back (after pp2-inspect's line)
     * and then the end of the stream, even when they stopped inside a header: one that can no
     * longer complete is none, so they are echoed like any stream without a header. Without that
     * end, the target's socket would stay in CLOSE_WAIT.
     */
    @ParameterizedTest(name = "{0}, Proxy Protocol v2 {1}")
    @MethodSource("targetsAndProxyProtocol")
    void aPeerThatSentSomeBytesThenHalfClosedGetsThemBackThenTheEnd(TargetKind kind, boolean proxyProtocol)
            throws Exception {
        assumeTrue(TcpSockets.readable(), "counts sockets in Linux's /proc/net/tcp");
        listen(kind);
        InetSocketAddress at = server.address();
        long baseline = TcpSockets.notClosedAt(at);
        byte[] payload = "hello\n".getBytes(StandardCharsets.US_ASCII);
        byte[] header = ProxyHeaderWriter.minimal(VPCE, true).toBytes(SRC, 40000, DST, 443);
        // Undecided when the stream ends: the first 20 bytes of a v2 header, or "PRO" of a v1 one.
        byte[] unfinished = proxyProtocol ? Arrays.copyOf(header, 20) : "PRO".getBytes(StandardCharsets.US_ASCII);
        byte[] whole = proxyProtocol ? concat(header, payload) : payload;

        for (int i = 0; i < 50; i++) {
            boolean cut = i % 2 == 0;
            byte[] reply;
            try (TestClient c = TestClient.connect(HOST, at.getPort())) {
                c.write(cut ? unfinished : whole);
                c.shutdownOutput();
                reply = readAll(c);
            }
            if (kind == TargetKind.PP2_INSPECT) {
                String json = new String(reply, StandardCharsets.UTF_8).lines().findFirst().orElse("");
                if (cut) {
                    assertEquals("stream ended before the proxy protocol header was complete",
                            TestClient.jsonField(json, "error"), json);
                } else if (proxyProtocol) {
                    assertEquals(VPCE, TestClient.jsonField(json, "vpceEndpointId"), json);
                } else {
                    assertEquals("no proxy protocol header", TestClient.jsonField(json, "error"), json);
                }
                reply = Arrays.copyOfRange(reply, json.getBytes(StandardCharsets.UTF_8).length + 1, reply.length);
            }
            assertArrayEquals(cut ? unfinished : payload, reply, "connection " + i + ": what it sent, then the end");
        }
        Await.until(Duration.ofSeconds(10), () -> TcpSockets.notClosedAt(at) == baseline,
                () -> TcpSockets.notClosedAt(at) + " of the target's sockets still open, " + baseline + " before");
    }

    private static byte[] readAll(TestClient c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        for (int n; (n = c.read(buf, 0, buf.length)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
