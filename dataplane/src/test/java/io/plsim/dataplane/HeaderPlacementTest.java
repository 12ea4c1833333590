package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where the Proxy Protocol header goes, in 127.165.0.0/16: as NLB's default header placement
 * ({@code on_first_ack_with_payload}) sends it, with the consumer's first bytes, not as soon as
 * the node has connected; and with {@code headerPlacement: on-first-ack}, as soon as it has.
 * The target here speaks first, as SMTP or MySQL do: it greets once it has read the header.
 */
@ExtendWith(LeakCheck.class)
class HeaderPlacementTest {

    private static final int NET = TestBlocks.of(HeaderPlacementTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte PROXY_COMMAND = 0x21;

    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;
    private TestTarget target;

    @Test
    void theHeaderAndTheConsumersFirstBytesArriveInOneRead() throws Exception {
        BlockingQueue<byte[]> firstReads = new LinkedBlockingQueue<>();
        target = dataPlanes.target(TestTarget.start((s, t) -> {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            // Returns as soon as anything arrives: a header sent on its own comes alone.
            int n = in.read(buf);
            if (n > 13 && buf[12] == PROXY_COMMAND) {
                firstReads.add(Arrays.copyOf(buf, n));
            }
            while (in.read(buf) >= 0) {
                // until the consumer leaves
            }
        }));
        dp = dataPlanes.startHealthy(TestWorld.in(NET).targetAt("us-east-1a", target.port()));
        try (TestClient c = TestClient.connect(TestWorld.listenerIn(dp, AZ1))) {
            // The node is connected to the target before the consumer sends anything.
            Await.until(DEADLINE, () -> dp.stats().admitted() == 1, () -> "admitted: " + dp.stats());
            c.write("hello\n".getBytes(StandardCharsets.US_ASCII));
            byte[] first = firstReads.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(first, "the target read the relayed connection's first bytes");
            assertArrayEquals(SIGNATURE, Arrays.copyOf(first, 12), "a Proxy Protocol v2 header first");
            int headerLength = 16 + ((first[14] & 0xff) << 8 | (first[15] & 0xff));
            assertTrue(first.length > headerLength, "the consumer's bytes came with the header, in "
                    + first.length + " bytes for a " + headerLength + "-byte header");
            assertEquals("hello\n", new String(first, headerLength, first.length - headerLength,
                    StandardCharsets.US_ASCII));
        }
    }

    /** What the greeting target saw: each read's bytes, in order. */
    private final BlockingQueue<byte[]> reads = new LinkedBlockingQueue<>();

    /** A target that reads the header (one read), greets, then echoes what follows. */
    private void startGreetingTarget(String proxyProtocol) throws Exception {
        target = dataPlanes.target(TestTarget.start((s, t) -> {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            if (n <= 13 || buf[12] != PROXY_COMMAND) {
                return; // a health check's LOCAL header
            }
            reads.add(Arrays.copyOf(buf, n));
            s.getOutputStream().write("220 ready\n".getBytes(StandardCharsets.US_ASCII));
            while ((n = in.read(buf)) >= 0) {
                reads.add(Arrays.copyOf(buf, n));
            }
        }));
        dp = dataPlanes.startHealthy(TestWorld.in(NET).proxyProtocol(proxyProtocol).targetAt("us-east-1a", target.port()));
    }

    @Test
    void byDefaultAServerThatSpeaksFirstHearsNothingUntilTheConsumerSpeaks() throws Exception {
        startGreetingTarget("{v2: true}");
        try (TestClient c = TestClient.connect(TestWorld.listenerIn(dp, AZ1))) {
            Await.until(DEADLINE, () -> dp.stats().admitted() == 1, () -> "admitted: " + dp.stats());
            // The consumer says nothing for a second: the target gets no header, so it never greets.
            assertEquals(null, reads.poll(1, TimeUnit.SECONDS), "the target got bytes before the consumer spoke");
            c.socket().setSoTimeout(200);
            assertThrows(java.net.SocketTimeoutException.class, () -> c.socket().getInputStream().read(),
                    "no greeting reached the silent consumer");
            c.write("EHLO\n".getBytes(StandardCharsets.US_ASCII));
            byte[] first = reads.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(first, "the header came once the consumer spoke");
            assertEquals(100 + 5, first.length, "the 100-byte header and the consumer's 5 bytes, in one read");
            assertEquals("EHLO\n", new String(first, 100, 5, StandardCharsets.US_ASCII));
            c.socket().setSoTimeout(10_000);
            assertEquals("220 ready", c.readLine());
        }
    }

    @Test
    void onFirstAckTheHeaderGoesAsSoonAsTheTargetIsConnected() throws Exception {
        startGreetingTarget("{v2: true, headerPlacement: on-first-ack}");
        try (TestClient c = TestClient.connect(TestWorld.listenerIn(dp, AZ1))) {
            // The consumer sends nothing at all, and is greeted.
            byte[] first = reads.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(first, "the header reached the target before the consumer spoke");
            assertEquals(100, first.length, "the header alone");
            assertArrayEquals(SIGNATURE, Arrays.copyOf(first, 12));
            c.socket().setSoTimeout(10_000);
            assertEquals("220 ready", c.readLine());
            c.write("EHLO\n".getBytes(StandardCharsets.US_ASCII));
            byte[] next = reads.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertEquals("EHLO\n", next == null ? null : new String(next, StandardCharsets.US_ASCII));
        }
    }
}
