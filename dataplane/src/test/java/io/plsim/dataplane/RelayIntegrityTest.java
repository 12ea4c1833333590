package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bytes through the relay, in 127.153.0.0/16: 8 MiB each way arrive byte for byte, with a fast
 * path, a client that reads late and a target that reads slowly; a target that stops reading holds
 * the consumer back instead of making the relay buffer; a half-close passes both ways, also when
 * it comes with the request, before the node has connected to the target, and when a large
 * response follows it. The data plane's open connections drop to 0 after each.
 */
@ExtendWith(LeakCheck.class)
class RelayIntegrityTest {

    private static final int NET = TestBlocks.of(RelayIntegrityTest.class);
    private static final int SIZE = 8 << 20;
    private static final int HALF = SIZE / 2;
    private static final byte[] DATA = new byte[SIZE];
    private static final Duration TRANSFER_DEADLINE = Duration.ofSeconds(60);

    static {
        new Random(0x5eed_8_1B).nextBytes(DATA);
    }

    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;
    private TestTarget own;

    private InterfaceListener startWithEcho() throws Exception {
        dp = dataPlanes.startHealthy(TestWorld.in(NET).target("us-east-1a", "builtin: echo"));
        return TestWorld.listenerIn(dp, AZ1);
    }

    private InterfaceListener startWithOwnTarget(TestTarget.Behaviour behaviour) throws Exception {
        return startWithOwnTarget(behaviour, Transport.best());
    }

    private InterfaceListener startWithOwnTarget(TestTarget.Behaviour behaviour, Transport transport)
            throws Exception {
        own = dataPlanes.target(TestTarget.start(behaviour));
        dp = dataPlanes.startHealthy(TestWorld.in(NET).proxyProtocol("false").targetAt("us-east-1a", own.port()), transport);
        return TestWorld.listenerIn(dp, AZ1);
    }

    /**
     * Writes {@link #DATA} on one thread while this one reads the echo and compares it, then
     * half-closes and expects EOF after the last byte.
     *
     * @param holdReadingUntil before reading at all, wait for this many bytes written (or for the
     *                         writer to stall); 0 to read at once
     * @return the bytes written before the first read
     */
    private long pump(InterfaceListener l, long holdReadingUntil) throws Exception {
        try (TestClient c = TestClient.connect(l)) {
            Socket s = c.socket();
            AtomicLong written = new AtomicLong();
            AtomicReference<Throwable> writeFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < SIZE; off += 65536) {
                        int n = Math.min(65536, SIZE - off);
                        out.write(DATA, off, n);
                        written.addAndGet(n);
                    }
                    s.shutdownOutput();
                } catch (Throwable e) {
                    writeFailure.set(e);
                }
            }, "integrity-writer");
            writer.setDaemon(true);
            writer.start();

            long beforeFirstRead = 0;
            if (holdReadingUntil > 0) {
                beforeFirstRead = awaitWrittenOrStalled(written, holdReadingUntil);
            }

            long deadline = System.nanoTime() + TRANSFER_DEADLINE.toNanos();
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            int got = 0;
            while (got < SIZE) {
                assertTrue(System.nanoTime() < deadline, "the echo took longer than " + TRANSFER_DEADLINE);
                int n = in.read(buf, 0, Math.min(buf.length, SIZE - got));
                assertTrue(n > 0, "EOF or nothing after " + got + " of " + SIZE + " bytes");
                if (!Arrays.equals(buf, 0, n, DATA, got, got + n)) {
                    int at = Arrays.mismatch(Arrays.copyOf(buf, n), Arrays.copyOfRange(DATA, got, got + n));
                    throw new AssertionError("byte " + (got + at) + " differs");
                }
                got += n;
            }
            assertEquals(-1, in.read(), "EOF after the last byte: the half-close came back");
            writer.join(10_000);
            assertEquals(null, writeFailure.get());
            assertEquals(SIZE, written.get());
            return beforeFirstRead;
        } finally {
            Await.until(Duration.ofSeconds(5), () -> dp.stats().openConnections() == 0,
                    () -> "the data plane's connections close: " + dp.stats());
        }
    }

    /**
     * What the relay may have read from the consumer while the target reads nothing: the send buffer
     * of its socket towards the target (Linux autotunes it up to tcp_wmem's maximum), the target's
     * receive buffer (its default, as it does not read), and 1 MiB for the relay's own outbound
     * buffer and a read batch; never more than 8 MiB, half of what the test sends.
     */
    private static long relayBufferBound() {
        long wmemMax = 4L << 20;
        long rmemDefault = 128L << 10;
        try {
            String[] w = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
            String[] r = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_rmem")).trim().split("\\s+");
            wmemMax = Long.parseLong(w[2]);
            rmemDefault = Long.parseLong(r[1]);
        } catch (IOException | RuntimeException e) {
            // not Linux: keep the Linux defaults
        }
        return Math.min(wmemMax + rmemDefault + (1L << 20), 8L << 20);
    }

    /** Waits until the writer wrote {@code until} bytes, or made no progress for 300 ms; bounded. */
    private static long awaitWrittenOrStalled(AtomicLong written, long until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = written.get();
            if (now >= until) {
                return now;
            }
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 300_000_000L) {
                return now;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new AssertionError("the writer neither wrote " + until + " bytes nor stalled: " + written.get());
    }

    @Test
    void eightMegabytesEachWayArriveByteForByte() throws Exception {
        pump(startWithEcho(), 0);
        assertEquals(1, dp.stats().admitted());
    }

    @Test
    void aClientThatReadsLateLosesNothing() throws Exception {
        // Nothing is read until 4 MiB are written (socket buffers on loopback often take that much) or
        // the writer stalls because every buffer on the way is full.
        pump(startWithEcho(), HALF);
    }

    @Test
    void aTargetThatStopsReadingHoldsTheClientBack() throws Exception {
        // The target reads nothing until released. The relay must stop reading from the consumer once
        // the target side cannot take more: what it has read but not delivered stays bounded (its
        // outbound buffer's high-water mark plus the kernel buffers towards the target), instead of
        // growing with everything the consumer sends.
        long total = 2L * SIZE;
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> corrupt = new AtomicReference<>();
        InterfaceListener l = startWithOwnTarget((s, t) -> {
            // (Health checks connect here too: they wait as well, then read their EOF.)
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            long at = 0;
            for (int n; (n = in.read(buf)) >= 0; ) {
                for (int i = 0; i < n && corrupt.get() == null; i++) {
                    if (buf[i] != DATA[(int) ((at + i) % SIZE)]) {
                        corrupt.set("byte " + (at + i) + " differs");
                    }
                }
                at += n;
            }
            s.getOutputStream().write(("got " + at + "\n").getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
        });
        try (TestClient c = TestClient.connect(l)) {
            AtomicLong written = new AtomicLong();
            AtomicReference<Throwable> writeFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = c.socket().getOutputStream();
                    for (long off = 0; off < total; off += 65536) {
                        out.write(DATA, (int) (off % SIZE), 65536);
                        written.addAndGet(65536);
                    }
                    c.shutdownOutput();
                } catch (Throwable e) {
                    writeFailure.set(e);
                }
            }, "backpressure-writer");
            writer.setDaemon(true);
            writer.start();

            long stalledAt = awaitWrittenOrStalled(written, total);
            long relayRead = dp.interfaceStats().stream().filter(i -> i.ip().equals(l.ip()))
                    .mapToLong(InterfaceStats::bytesUp).sum();
            assertTrue(stalledAt < total, "the consumer was held back, after " + stalledAt + " bytes");
            long bound = relayBufferBound();
            assertTrue(relayRead <= bound, "the relay read " + relayRead + " bytes the target did not take (more"
                    + " than the " + bound + " its buffers and the kernel's hold); it must stop reading instead");

            release.countDown();
            c.socket().setSoTimeout(30_000);
            assertEquals("got " + total, c.readLine(), "everything arrived once the target read again");
            writer.join(10_000);
            assertEquals(null, writeFailure.get());
            assertEquals(null, corrupt.get());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aTargetThatReadsSlowlyLosesNothing() throws Exception {
        InterfaceListener l = startWithOwnTarget((s, t) -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[16384];
            long total = 0;
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                total += n;
                if (total < 2 << 20) {
                    sleepMillis(2);
                }
            }
            s.shutdownOutput();
        });
        pump(l, 0);
    }

    @Test
    void halfCloseThroughTheEchoTarget() throws Exception {
        InterfaceListener l = startWithEcho();
        byte[] sent = Arrays.copyOf(DATA, 100_000);
        try (TestClient c = TestClient.connect(l)) {
            c.write(sent);
            c.shutdownOutput();
            byte[] back = c.socket().getInputStream().readAllBytes();
            assertArrayEquals(sent, back, "everything echoed, then EOF");
        }
    }

    @Test
    void aShortRequestSentWithItsFinAtOnceIsRelayed() throws Exception {
        // Data and FIN arrive before the node has connected to the target; epoll reads them anyway.
        InterfaceListener l = startWithEcho();
        for (int i = 0; i < 20; i++) {
            byte[] sent = ("request " + i).getBytes(StandardCharsets.US_ASCII);
            try (TestClient c = TestClient.connect(l)) {
                c.write(sent);
                c.shutdownOutput();
                assertArrayEquals(sent, c.socket().getInputStream().readAllBytes(), "request " + i);
            }
        }
        assertEquals(20, dp.stats().admitted());
    }

    @Test
    void halfClosePassesBothWays() throws Exception {
        // The target answers only once it saw the client's FIN, then closes its own side.
        InterfaceListener l = startWithOwnTarget((s, t) -> {
            long n = 0;
            byte[] buf = new byte[8192];
            for (int r; (r = s.getInputStream().read(buf)) >= 0; ) {
                n += r;
            }
            s.getOutputStream().write(("got " + n + " bytes\n").getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            // Wait for the relay to close its side before closing: an orderly end, no reset.
            s.setSoTimeout(5000);
            s.getInputStream().read();
        });
        try (TestClient c = TestClient.connect(l)) {
            c.write(Arrays.copyOf(DATA, 50_000));
            c.shutdownOutput();
            c.socket().setSoTimeout(5000);
            assertEquals("got 50000 bytes", c.readLine(), "the client's FIN reached the target");
            assertEquals(-1, c.read(new byte[1], 0, 1), "the target's FIN reached the client");
        }
        Await.until(Duration.ofSeconds(5), () -> dp.stats().openConnections() == 0, () -> "closed: " + dp.stats());
    }

    @Test
    void aHalfClosedClientStillGetsALargeResponseItReadsLate() throws Exception {
        halfClosedClientReadsLargeResponse(Transport.best());
    }

    /**
     * The same on native epoll, which loses a half-closed socket's registration in Netty 4.2.18
     * unless {@link EpollStayRegistered} keeps it.
     */
    @Test
    void aHalfClosedClientStillGetsALargeResponseOnEpoll() throws Exception {
        assumeTrue(Epoll.isAvailable(), "native epoll is not available here");
        halfClosedClientReadsLargeResponse(Transport.epoll());
    }

    /**
     * The same on io_uring, which keeps a half-closed socket's read submitted: no analogue of
     * epoll's lost registration, but its own half-closure path, so tested on its own.
     */
    @Test
    void aHalfClosedClientStillGetsALargeResponseOnIoUring() throws Exception {
        assumeTrue(IoUring.isAvailable(), "io_uring is not available here");
        halfClosedClientReadsLargeResponse(Transport.ioUring());
    }

    @Test
    void aHalfClosedClientStillGetsALargeResponseOnNio() throws Exception {
        halfClosedClientReadsLargeResponse(Transport.nio());
    }

    /**
     * Half-closes that cross: the target answers and half-closes while the consumer reads slowly, so
     * the answer's end waits on the way (in the socket buffers, or queued in the relay when those
     * are full); then the consumer half-closes too. The consumer's FIN must not end its side of the
     * relay before the whole answer has gone out.
     */
    @Test
    void crossingHalfClosesLoseNothingQueued() throws Exception {
        int size = 2 * 1024 * 1024;
        AtomicLong answered = new AtomicLong();
        InterfaceListener l = startWithOwnTarget((s, t) -> {
            InputStream in = s.getInputStream();
            in.read();
            answerAndHalfClose(s, size, answered);
            while (in.read() >= 0) {
                // up to the consumer's FIN
            }
        });
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(8192);
            s.connect(new java.net.InetSocketAddress(l.ip(), l.port()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write('G');
            // Every byte of the answer has left the target, and the relay has read it all (so the
            // target's FIN too): what the consumer has not taken waits in the relay.
            awaitWrittenOrStalled(answered, size);
            Await.until(Duration.ofSeconds(10), () -> bytesDown() == size, () -> "relayed: " + bytesDown());
            s.shutdownOutput();
            byte[] back = s.getInputStream().readAllBytes();
            assertEquals(size, back.length, "the whole answer, then EOF");
            assertTrue(Arrays.equals(DATA, 0, size, back, 0, size), "byte for byte");
        }
        Await.until(Duration.ofSeconds(5), () -> dp.stats().openConnections() == 0, () -> "closed: " + dp.stats());
    }

    /** The target's side: the first {@code size} bytes of {@link #DATA}, counted as they go, then its FIN. */
    private static void answerAndHalfClose(Socket s, int size, AtomicLong answered) throws IOException {
        OutputStream out = s.getOutputStream();
        for (int off = 0; off < size; off += 65536) {
            out.write(DATA, off, 65536);
            answered.addAndGet(65536);
        }
        s.shutdownOutput();
        s.setSoTimeout(10_000);
    }

    private long bytesDown() {
        return dp.interfaceStats().stream().mapToLong(InterfaceStats::bytesDown).sum();
    }

    /**
     * The consumer sends a request and half-closes at once; only then does the target answer, with
     * 8 MiB, which the consumer reads only once every buffer on the way is full.
     */
    private void halfClosedClientReadsLargeResponse(Transport transport) throws Exception {
        AtomicLong answered = new AtomicLong();
        InterfaceListener l = startWithOwnTarget((s, t) -> {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // the request, up to the consumer's FIN
            }
            answerAndHalfClose(s, SIZE, answered);
            in.read();
        }, transport);
        try (TestClient c = TestClient.connect(l)) {
            c.write("GET /large\n".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            awaitWrittenOrStalled(answered, SIZE);
            c.socket().setSoTimeout(10_000);
            byte[] back = c.socket().getInputStream().readAllBytes();
            assertEquals(SIZE, back.length, "the whole response, then EOF");
            assertTrue(Arrays.equals(DATA, back), "byte for byte");
        }
        Await.until(Duration.ofSeconds(5), () -> dp.stats().openConnections() == 0, () -> "closed: " + dp.stats());
    }

    private static void sleepMillis(long millis) throws IOException {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
