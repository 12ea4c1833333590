package io.plsim.dataplane.fault;

import static io.plsim.dataplane.TestWorld.AZ1;
import static io.plsim.dataplane.TestWorld.AZ2;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.model.Fault;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.DataPlanes;
import io.plsim.dataplane.FaultView;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestTarget;
import io.plsim.dataplane.TestWorld;
import io.plsim.dataplane.fault.Serve.Seen;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection faults as a consumer sees them, on real sockets in 127.160.0.0/16: one world (Proxy
 * Protocol off, one {@link Serve} target in each provider zone, cross-zone off) for the whole
 * class, every fault removed after each test. Times are measured on the consumer's side; lower
 * bounds are exact (a fault never acts early), upper bounds leave room for a busy machine.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionFaultTest {

    private static final int NET = TestBlocks.of(ConnectionFaultTest.class);
    /** What a loaded machine may add on top of a measured delay. */
    private static final long SLACK_MILLIS = 1500;

    /** One world for the class, started in {@code @BeforeAll} and closed after the last test (static for that). */
    @RegisterExtension
    static final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;
    private InterfaceListener az1;
    private InterfaceListener az2;

    @BeforeAll
    void start() throws Exception {
        TestTarget a = dataPlanes.target(TestTarget.start(Serve.BEHAVIOUR));
        TestTarget b = dataPlanes.target(TestTarget.start(Serve.BEHAVIOUR));
        dp = dataPlanes.startHealthy(TestWorld.in(NET).proxyProtocol("false").targetAt("us-east-1a", a.port())
                .targetAt("us-east-1b", b.port()));
        az1 = TestWorld.listenerIn(dp, AZ1);
        az2 = TestWorld.listenerIn(dp, AZ2);
    }

    @AfterEach
    void removeFaults() {
        dp.faults().forEach(f -> dp.removeFault(f.id()));
    }

    static Fault fault(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : pairs) {
            m.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        return Fault.parse(m);
    }

    /**
     * Adds a fault once no connection is open: a fault reaches open flows too, and a probe's
     * connection that the client has closed may still be open on plsim's side for a moment, which
     * would count as one more hit than the clients saw.
     */
    private FaultView addQuiet(Fault f) {
        io.plsim.dataplane.Await.until(Duration.ofSeconds(10), () -> dp.stats().openConnections() == 0,
                () -> "connections still open: " + dp.stats());
        return dp.addFault(f);
    }

    private FaultView active(String id) {
        return dp.faults().stream().filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("fault " + id + " not in force: " + dp.faults()));
    }

    static Seen probe(InterfaceListener l, int readTimeoutMillis) {
        return Serve.probe(l.ip(), l.port(), readTimeoutMillis);
    }

    /** Round trips of one line each on one connection, in milliseconds. */
    private static long[] roundTrips(InterfaceListener l, int count) throws IOException {
        long[] out = new long[count];
        try (Socket s = Serve.connect(l, 5000)) {
            for (int i = 0; i < count; i++) {
                String line = "ping-" + i;
                long t0 = System.nanoTime();
                Serve.writeLine(s, line);
                assertEquals(line, Serve.readLine(s));
                out[i] = Serve.millisSince(t0);
            }
        }
        return out;
    }

    private static long median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private long baselineMillis() throws IOException {
        roundTrips(az1, 3);
        return median(roundTrips(az1, 5));
    }

    // ---------------------------------------------------------------- latency and jitter

    @Test
    void latencyAddsAtLeastTheSetValueToARoundTripInItsDirections() throws IOException {
        long base = baselineMillis();
        for (String[] c : new String[][] {{"downstream", "150"}, {"upstream", "150"}, {"both", "300"}}) {
            FaultView f = dp.addFault(fault("fault=latency", "latency=150", "stream=" + c[0]));
            long added = Long.parseLong(c[1]);
            long[] rtt = roundTrips(az1, 3);
            for (long r : rtt) {
                assertTrue(r >= added, c[0] + ": round trip " + r + " ms < " + added + " ms (" + Arrays.toString(rtt) + ")");
                assertTrue(r <= added + base + SLACK_MILLIS, c[0] + ": round trip " + r + " ms, far above " + added);
            }
            dp.removeFault(f.id());
            System.out.printf("latency 150 %s: baseline %d ms, round trips %s ms, added about %d ms%n", c[0], base,
                    Arrays.toString(rtt), median(rtt) - base);
        }
    }

    @Test
    void jitterStaysWithinLatencyPlusOrMinusJitterAndKeepsTheOrder() throws Exception {
        long base = baselineMillis();
        FaultView f = dp.addFault(fault("fault=latency", "latency=100", "jitter=60", "stream=downstream"));
        long[] rtt = roundTrips(az1, 12);
        long min = Arrays.stream(rtt).min().orElseThrow();
        long max = Arrays.stream(rtt).max().orElseThrow();
        assertTrue(min >= 40, "a round trip of " + min + " ms is below latency - jitter: " + Arrays.toString(rtt));
        assertTrue(max <= 160 + base + SLACK_MILLIS, "far above latency + jitter: " + Arrays.toString(rtt));
        // 12 draws of 40 to 160 ms: all within 20 ms of each other has odds below 1e-8.
        assertTrue(max - min >= 20, "no jitter seen: " + Arrays.toString(rtt));
        System.out.printf("latency 100 jitter 60: round trips %d..%d ms, median %d ms (baseline %d ms)%n", min, max,
                median(rtt), base);
        dp.removeFault(f.id());

        // Delays from 0 to 4 ms on thousands of small writes: each write waits behind the one before it.
        dp.addFault(fault("fault=latency", "latency=2", "jitter=2"));
        int lines = 3000;
        try (Socket s = Serve.connect(az1, 10_000)) {
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < lines; i++) {
                        Serve.writeLine(s, "line-" + i);
                        if (i % 50 == 0) {
                            Thread.sleep(1);
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // the reader reports what is missing
                }
            }, "jitter-writer");
            writer.setDaemon(true);
            writer.start();
            for (int i = 0; i < lines; i++) {
                assertEquals("line-" + i, Serve.readLine(s), "line " + i + " out of order");
            }
            writer.join(5000);
        }
    }

    @Test
    void latencyFaultsOnOneInterfaceAdd() throws IOException {
        dp.addFault(fault("fault=latency", "latency=150", "stream=downstream", "interface=" + az1.ip()));
        dp.addFault(fault("fault=latency", "latency=100", "stream=downstream", "az=" + AZ1));
        // Every round trip waits for its echo until the socket's read deadline, however late it comes.
        long[] rtt = roundTrips(az1, 3);
        for (long r : rtt) {
            assertTrue(r >= 250, "round trip " + r + " ms < 150 + 100 ms (" + Arrays.toString(rtt) + ")");
        }
        System.out.printf("latency 150 + latency 100: round trips %s ms%n", Arrays.toString(rtt));
    }

    // ---------------------------------------------------------------- bandwidth

    @Test
    void bandwidthLimitsTheRateOfItsDirectionOnly() throws IOException {
        FaultView f = dp.addFault(fault("fault=bandwidth", "rate=100", "stream=downstream"));
        int total = 400 * 1024;
        long[] at = new long[5];
        try (Socket s = Serve.connect(az1, 10_000)) {
            long t0 = System.nanoTime();
            Serve.writeLine(s, "send " + total);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            long got = 0;
            int mark = 1;
            for (int n; (n = in.read(buf)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != Serve.pattern(got + i)) {
                        throw new AssertionError("byte " + (got + i) + " differs");
                    }
                }
                got += n;
                while (mark < at.length && got >= (long) total * mark / (at.length - 1)) {
                    at[mark++] = System.nanoTime() - t0;
                }
            }
            assertEquals(total, got);
        }
        double seconds = at[4] / 1e9;
        System.out.printf("bandwidth 100 KB/s: 400 KB in %.2f s (%.1f KB/s); quarters at %.2f %.2f %.2f %.2f s%n",
                seconds, total / 1024.0 / seconds, at[1] / 1e9, at[2] / 1e9, at[3] / 1e9, at[4] / 1e9);
        assertTrue(seconds >= 3.6 && seconds <= 4.4, "400 KB at 100 KB/s took " + seconds + " s, not 4 s +- 10%");
        // Steady, not a burst then a wait: every 100 KB takes about one second.
        for (int q = 1; q <= 4; q++) {
            double quarter = (at[q] - at[q - 1]) / 1e9;
            assertTrue(quarter >= 0.7 && quarter <= 1.4, "100 KB number " + q + " took " + quarter + " s");
        }
        dp.removeFault(f.id());

        dp.addFault(fault("fault=bandwidth", "rate=100", "stream=upstream"));
        double downstream = secondsToReceive(total, 10_000);
        assertTrue(downstream < 2.0, "upstream limit, downstream took " + downstream + " s");
    }

    /** Asks the target in az1 for {@code total} bytes and reads them all, to its EOF: the seconds from the ask to the end. */
    private double secondsToReceive(int total, int timeoutMillis) throws IOException {
        try (Socket s = Serve.connect(az1, timeoutMillis)) {
            long t0 = System.nanoTime();
            Serve.writeLine(s, "send " + total);
            Serve.Drain d = Serve.Drain.of(s, timeoutMillis);
            assertEquals(Serve.End.EOF, d.end);
            assertEquals(total, d.bytes);
            return (d.endNanos - t0) / 1e9;
        }
    }

    @Test
    void ofSeveralBandwidthFaultsTheLowestRatePaces() throws IOException {
        dp.addFault(fault("fault=bandwidth", "rate=100", "stream=downstream"));
        dp.addFault(fault("fault=bandwidth", "rate=2000", "stream=downstream", "interface=" + az1.ip()));
        // At 100 KB/s in pieces of 5 KB the last piece leaves 195 KB / 100 KB/s after the first;
        // at 2,000 KB/s everything would be through in a tenth of that.
        double seconds = secondsToReceive(200 * 1024, 20_000);
        assertTrue(seconds >= 1.9, "200 KB in " + seconds + " s, faster than 100 KB/s");
        System.out.printf("bandwidth 100 and 2000 KB/s: 200 KB in %.2f s%n", seconds);
    }

    // ---------------------------------------------------------------- reset, timeout

    @Test
    void resetPeerResetsAfterItsTimeout() throws IOException {
        FaultView f = dp.addFault(fault("fault=reset-peer", "timeout=300"));
        // From before the connect: the fault's clock starts when plsim accepts, which can be before
        // the client's connect call has returned.
        long t0 = System.nanoTime();
        try (Socket s = Serve.connect(az1, 5000)) {
            Serve.writeLine(s, "before the reset");
            assertEquals("before the reset", Serve.readLine(s), "data flows until the reset");
            Serve.Drain d = Serve.Drain.of(s, 5000);
            long ms = (d.endNanos - t0) / 1_000_000;
            assertEquals(Serve.End.RESET, d.end);
            assertTrue(ms >= 300 && ms <= 300 + SLACK_MILLIS, "reset after " + ms + " ms");
            System.out.printf("reset-peer 300: reset seen after %d ms%n", ms);
        }
        dp.removeFault(f.id());
        dp.addFault(fault("fault=reset-peer"));
        assertEquals(Seen.RESET, probe(az1, 3000), "timeout 0: at once");
    }

    @Test
    void timeoutStallsAndClosesAfterItsTime() throws IOException {
        FaultView f = dp.addFault(fault("fault=timeout"));
        try (Socket s = Serve.connect(az1, 400)) {
            Serve.writeLine(s, "anyone?");
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "no data comes back");
            Serve.Drain d = Serve.Drain.of(s, 300);
            assertEquals(Serve.End.SILENT, d.end, "timeout 0: still open");
            assertEquals(0, d.bytes);
        }
        dp.removeFault(f.id());

        dp.addFault(fault("fault=timeout", "timeout=500"));
        try (Socket s = Serve.connect(az1, 5000)) {
            long t0 = System.nanoTime();
            Serve.writeLine(s, "anyone?");
            Serve.Drain d = Serve.Drain.of(s, 5000);
            long ms = (d.endNanos - t0) / 1_000_000;
            assertEquals(Serve.End.EOF, d.end);
            assertEquals(0, d.bytes, "no data before the close");
            assertTrue(ms >= 450 && ms <= 500 + SLACK_MILLIS, "closed after " + ms + " ms");
            System.out.printf("timeout 500: closed after %d ms%n", ms);
        }
    }

    // ---------------------------------------------------------------- slicer, limit data, slow close

    @Test
    void slicerDeliversInPiecesSpacedByItsDelayWithEveryByteIntact() throws IOException {
        FaultView f = dp.addFault(fault("fault=slicer", "averageSize=10", "sizeVariation=0",
                "delay=30000", "stream=downstream"));
        String line = "x".repeat(99);
        try (Socket s = Serve.connect(az1, 5000)) {
            Serve.writeLine(s, line);
            InputStream in = s.getInputStream();
            byte[] got = new byte[100];
            int have = 0;
            int reads = 0;
            long first = 0;
            while (have < got.length) {
                int n = in.read(got, have, got.length - have);
                assertTrue(n > 0, "EOF after " + have + " bytes");
                if (reads++ == 0) {
                    first = System.nanoTime();
                }
                have += n;
            }
            long spread = Serve.millisSince(first);
            assertArrayEquals((line + "\n").getBytes(StandardCharsets.US_ASCII), got);
            // Ten pieces, 30 ms apart: 270 ms from the first to the last.
            assertTrue(reads >= 4, "100 bytes in " + reads + " reads");
            assertTrue(spread >= 200, "all pieces within " + spread + " ms; expected them 30 ms apart");
            System.out.printf("slicer 10 B / 30 ms: %d reads over %d ms%n", reads, spread);
        }
        dp.removeFault(f.id());

        dp.addFault(fault("fault=slicer", "averageSize=700", "sizeVariation=600", "delay=0"));
        int total = 300_000;
        try (Socket s = Serve.connect(az1, 10_000)) {
            Serve.writeLine(s, "send " + total);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            long got = 0;
            for (int n; (n = in.read(buf)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != Serve.pattern(got + i)) {
                        throw new AssertionError("byte " + (got + i) + " differs");
                    }
                }
                got += n;
            }
            assertEquals(total, got);
        }
    }

    @Test
    void limitDataClosesAfterExactlyItsBytes() throws IOException {
        FaultView f = dp.addFault(fault("fault=limit-data", "bytes=1000"));
        for (int round = 0; round < 3; round++) {
            try (Socket s = Serve.connect(az1, 5000)) {
                Serve.writeLine(s, "send 5000");
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                long got = 0;
                for (int n; (n = in.read(buf)) >= 0; ) {
                    for (int i = 0; i < n; i++) {
                        assertEquals(Serve.pattern(got + i), buf[i]);
                    }
                    got += n;
                }
                assertEquals(1000, got, "bytes before EOF");
            }
        }
        assertEquals(3, active(f.id()).hits());
        dp.removeFault(f.id());

        dp.addFault(fault("fault=limit-data", "bytes=20", "stream=upstream"));
        try (Socket s = Serve.connect(az1, 5000)) {
            // The target echoes what reaches it, 20 bytes at most, before the connection closes.
            s.getOutputStream().write("hello\n0123456789abcdefghijklmnop".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Serve.Drain d = Serve.Drain.of(s, 5000);
            assertEquals(Serve.End.EOF, d.end);
            assertTrue(d.bytes <= 20, "the target echoed " + d.bytes + " bytes, more than reached it");
        }
    }

    @Test
    void ofSeveralLimitDataFaultsTheSmallestCloses() throws IOException {
        dp.addFault(fault("fault=limit-data", "bytes=3000"));
        dp.addFault(fault("fault=limit-data", "bytes=1000", "az=" + AZ1));
        dp.addFault(fault("fault=limit-data", "bytes=10", "toxicity=0"));
        try (Socket s = Serve.connect(az1, 10_000)) {
            Serve.writeLine(s, "send 5000");
            Serve.Drain d = Serve.Drain.of(s, 10_000);
            assertEquals(Serve.End.EOF, d.end);
            assertEquals(1000, d.bytes, "bytes before EOF (the fault of 10 bytes never applies)");
        }
    }

    @Test
    void slowCloseDelaysTheCloseTheTargetSends() throws IOException {
        long baseline;
        try (Socket s = Serve.connect(az1, 5000)) {
            Serve.writeLine(s, "bye");
            assertEquals("bye", Serve.readLine(s));
            long t0 = System.nanoTime();
            Serve.Drain d = Serve.Drain.of(s, 5000);
            assertEquals(Serve.End.EOF, d.end);
            baseline = (d.endNanos - t0) / 1_000_000;
        }
        dp.addFault(fault("fault=slow-close", "delay=600"));
        try (Socket s = Serve.connect(az1, 5000)) {
            long t0 = System.nanoTime();
            Serve.writeLine(s, "bye");
            assertEquals("bye", Serve.readLine(s), "data is not delayed");
            long dataMs = Serve.millisSince(t0);
            Serve.Drain d = Serve.Drain.of(s, 5000);
            long ms = (d.endNanos - t0) / 1_000_000;
            assertEquals(Serve.End.EOF, d.end);
            assertTrue(dataMs < 600, "the data itself came after " + dataMs + " ms");
            assertTrue(ms >= 600 && ms <= 600 + SLACK_MILLIS, "the close came " + ms + " ms after the request");
            System.out.printf("slow-close 600: data after %d ms, close after %d ms (without the fault: %d ms)%n",
                    dataMs, ms, baseline);
        }
    }

    // ---------------------------------------------------------------- who, how often, where

    @Test
    void refuseFirstNResetsTheFirstNConnectionsOnly() {
        FaultView f = addQuiet(fault("fault=refuse-first-n", "count=3"));
        List<Seen> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(probe(i % 2 == 0 ? az1 : az2, 3000));
        }
        assertEquals(List.of(Seen.RESET, Seen.RESET, Seen.RESET, Seen.ANSWERED, Seen.ANSWERED, Seen.ANSWERED), seen);
        assertEquals(3, active(f.id()).hits());
    }

    @Test
    void toxicityZeroNeverAppliesOneAlwaysDoesAndHitsCountWhatClientsSaw() {
        FaultView never = addQuiet(fault("fault=reset-peer", "toxicity=0"));
        for (int i = 0; i < 50; i++) {
            assertEquals(Seen.ANSWERED, probe(i % 2 == 0 ? az1 : az2, 3000), "connection " + i + " at toxicity 0");
        }
        assertEquals(0, active(never.id()).hits());
        dp.removeFault(never.id());

        FaultView always = addQuiet(fault("fault=reset-peer", "toxicity=1"));
        for (int i = 0; i < 50; i++) {
            assertEquals(Seen.RESET, probe(i % 2 == 0 ? az1 : az2, 3000), "connection " + i + " at toxicity 1");
        }
        assertEquals(50, active(always.id()).hits());
        dp.removeFault(always.id());

        FaultView half = addQuiet(fault("fault=reset-peer", "toxicity=0.5"));
        int resets = 0;
        for (int i = 0; i < 50; i++) {
            if (probe(az1, 3000) == Seen.RESET) {
                resets++;
            }
        }
        long hits = active(half.id()).hits();
        assertEquals(resets, hits, "every hit is a reset a client saw");
        assertTrue(hits >= 10 && hits <= 40, hits + " of 50 at toxicity 0.5");
    }

    @Test
    void aRemovedFaultNoLongerApplies() throws IOException {
        FaultView f = dp.addFault(fault("fault=reset-peer"));
        assertEquals(Seen.RESET, probe(az1, 3000));
        assertTrue(dp.removeFault(f.id()).isPresent());
        assertTrue(dp.faults().isEmpty());
        assertTrue(dp.removeFault(f.id()).isEmpty(), "removed once only");
        for (int i = 0; i < 5; i++) {
            assertEquals(Seen.ANSWERED, probe(az1, 3000), "new connection " + i);
        }

        // On a connection that is open, too (bandwidth excepted, which keeps its rate).
        FaultView slow = dp.addFault(fault("fault=latency", "latency=300"));
        try (Socket s = Serve.connect(az1, 5000)) {
            long t0 = System.nanoTime();
            Serve.writeLine(s, "slow");
            assertEquals("slow", Serve.readLine(s));
            assertTrue(Serve.millisSince(t0) >= 600);
            dp.removeFault(slow.id());
            t0 = System.nanoTime();
            Serve.writeLine(s, "fast");
            assertEquals("fast", Serve.readLine(s));
            assertTrue(Serve.millisSince(t0) < 300, "still delayed: " + Serve.millisSince(t0) + " ms");
        }
    }

    @Test
    void aFaultAddedWhileAConnectionIsOpenReachesItAsToxiproxysToxicsDo() throws IOException {
        try (Socket inScope = Serve.connect(az1, 5000); Socket outOfScope = Serve.connect(az2, 5000)) {
            Serve.writeLine(inScope, "before");
            assertEquals("before", Serve.readLine(inScope));
            Serve.writeLine(outOfScope, "before");
            assertEquals("before", Serve.readLine(outOfScope));

            FaultView slow = dp.addFault(fault("fault=latency", "latency=300", "stream=downstream",
                    "az=" + AZ1));
            // The fault reaches an open flow on its event loop, soon after it is added; until the round
            // trip shows it, the connection is asked again, for at most five seconds.
            long deadline = System.nanoTime() + 5_000_000_000L;
            long rtt = 0;
            for (int i = 0; rtt < 300 && System.nanoTime() < deadline; i++) {
                long t0 = System.nanoTime();
                Serve.writeLine(inScope, "slow-" + i);
                assertEquals("slow-" + i, Serve.readLine(inScope));
                rtt = Serve.millisSince(t0);
            }
            assertTrue(rtt >= 300, "the open connection in the fault's zone never got its latency: " + rtt + " ms");
            assertEquals(1, active(slow.id()).hits(), "one open flow in its scope");
            long t0 = System.nanoTime();
            Serve.writeLine(outOfScope, "fast");
            assertEquals("fast", Serve.readLine(outOfScope));
            assertTrue(Serve.millisSince(t0) < 300, "the other zone's open connection was slowed");

            // An update reaches it too: the new parameters, the old ones no longer.
            dp.updateFault(slow.id(), fault("fault=latency", "latency=0", "stream=downstream", "az=" + AZ1));
            deadline = System.nanoTime() + 5_000_000_000L;
            for (int i = 0; rtt >= 300 && System.nanoTime() < deadline; i++) {
                long t1 = System.nanoTime();
                Serve.writeLine(inScope, "again-" + i);
                assertEquals("again-" + i, Serve.readLine(inScope));
                rtt = Serve.millisSince(t1);
            }
            assertTrue(rtt < 300, "the update did not reach the open connection: " + rtt + " ms");
            dp.removeFault(slow.id());

            // reset-peer on an open connection counts its timeout from when it reached it.
            long added = System.nanoTime();
            dp.addFault(fault("fault=reset-peer", "timeout=200", "az=" + AZ1));
            Serve.Drain d = Serve.Drain.of(inScope, 5000);
            assertEquals(Serve.End.RESET, d.end);
            long ms = (d.endNanos - added) / 1_000_000;
            assertTrue(ms >= 200 && ms <= 200 + SLACK_MILLIS, "reset " + ms + " ms after the fault was added");
            Serve.writeLine(outOfScope, "still here");
            assertEquals("still here", Serve.readLine(outOfScope));
        }
    }

    @Test
    void aFaultAppliesOnlyWhereItsScopeSays() {
        FaultView byIp = addQuiet(fault("fault=reset-peer", "interface=" + az1.ip()));
        assertAll("interface " + az1.ip(),
                () -> assertEquals(Seen.RESET, probe(az1, 3000)),
                () -> assertEquals(Seen.ANSWERED, probe(az2, 3000)),
                () -> assertEquals(Seen.RESET, probe(az1, 3000)),
                () -> assertEquals(Seen.ANSWERED, probe(az2, 3000)));
        assertEquals(2, active(byIp.id()).hits());
        dp.removeFault(byIp.id());

        FaultView byZone = addQuiet(fault("fault=reset-peer", "az=" + AZ2));
        assertAll("az " + AZ2,
                () -> assertEquals(Seen.ANSWERED, probe(az1, 3000)),
                () -> assertEquals(Seen.RESET, probe(az2, 3000)));
        assertEquals(1, active(byZone.id()).hits());
        dp.removeFault(byZone.id());

        FaultView byNode = addQuiet(fault("fault=reset-peer", "node=" + TestWorld.in(NET).nodeIp(AZ1)));
        assertAll("node of " + AZ1,
                () -> assertEquals(Seen.RESET, probe(az1, 3000)),
                () -> assertEquals(Seen.ANSWERED, probe(az2, 3000)));
        assertEquals(1, active(byNode.id()).hits());
        dp.removeFault(byNode.id());

        // A scope naming what the world lacks would apply to nothing: refused, whoever adds it.
        IllegalArgumentException nowhere = assertThrows(IllegalArgumentException.class,
                () -> dp.addFault(fault("fault=reset-peer", "endpoint=vpce-00000000000000000")));
        assertEquals("endpoint: no endpoint vpce-00000000000000000", nowhere.getMessage());
        assertTrue(dp.faults().isEmpty(), dp.faults().toString());
        addQuiet(fault("fault=reset-peer", "endpoint=" + az1.endpointId()));
        assertEquals(Seen.RESET, probe(az1, 3000), "this endpoint's fault");
    }
}
