package io.plsim.app.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.plsim.core.model.LoadBalancer.TargetKind;
import io.plsim.dataplane.Await;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.Transport;
import io.plsim.app.cli.Plsim;
import io.plsim.dataplane.builtin.BuiltinTargetServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plsim load}, run in-process through {@link Plsim#run} against targets on real loopback
 * sockets. Every run bounds itself (duration + timeout + drain); each test has a timeout on top.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static EventLoopGroup echoGroup;
    static BuiltinTargetServer echo;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEcho() throws InterruptedException {
        Transport t = Transport.best();
        echoGroup = t.newGroup(2, "test-echo");
        echo = BuiltinTargetServer.start(TargetKind.ECHO, new InetSocketAddress("127.0.0.1", 0), echoGroup,
                t.serverChannel());
    }

    @AfterAll
    static void stopEcho() {
        echo.close();
        echoGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    static String echoTarget() {
        return "127.0.0.1:" + echo.address().getPort();
    }

    record Result(int exit, String out, String err, long millis) {
        @Override
        public String toString() {
            return "exit " + exit + " after " + millis + " ms\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    static Result plsim(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int exit;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            exit = Plsim.run(o, e, args);
        }
        return new Result(exit, out.toString(), err.toString(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Runs {@code plsim load} with {@code --json} and answers the exit and the parsed summary. */
    record Run(Result result, JsonNode json) {
        long ok() {
            return json.path("requests").path("ok").asLong();
        }

        long errors() {
            return json.path("requests").path("errors").asLong();
        }

        double latencyUs(String p) {
            return json.path("latency_us").path(p).asDouble();
        }

        double serviceUs(String p) {
            return json.path("service_time_us").path(p).asDouble();
        }

        @Override
        public String toString() {
            return result + "--- json:\n" + json.toPrettyString();
        }
    }

    Run load(String... args) throws IOException {
        Path file = dir.resolve("summary-" + System.nanoTime() + ".json");
        List<String> all = new ArrayList<>(List.of("load"));
        all.addAll(List.of(args));
        if (!all.contains("--timeout")) {
            // A loaded test machine can be slow; a request is late, not lost, within 10 s.
            all.add("--timeout");
            all.add("10s");
        }
        // What these tests check is the figures, not how punctual a loaded test machine let plsim load be
        // (rrRecordsItsOwnLatenessAndExitsByIt and ReliabilityTest check that).
        all.add("--allow-late");
        all.add("--json");
        all.add(file.toString());
        Result r = plsim(all.toArray(new String[0]));
        assertNoStackTrace(r);
        assertTrue(Files.exists(file), () -> "no JSON written:\n" + r);
        return new Run(r, JSON.readTree(file.toFile()));
    }

    static void assertNoStackTrace(Result r) {
        for (String text : List.of(r.out(), r.err())) {
            assertFalse(text.contains("Exception"), r::toString);
            assertFalse(text.contains("\tat "), r::toString);
        }
    }

    // ---- rate control and latency ----

    @Test
    void rrHoldsTheRate() throws Exception {
        try (TestServers target = TestServers.delayedEcho(0)) {
            Run run = load(target.target(), "--mode", "rr", "--rate", "500/s", "--duration", "2s", "--connections", "4");
            assertEquals(0, run.result().exit(), run::toString);
            assertEquals(1000, run.json().path("requests").path("planned").asLong(), run::toString);
            assertTrue(run.ok() >= 950 && run.ok() <= 1050, () -> "expected 1000 +- 5% answers:\n" + run);
            assertEquals(0, run.errors(), run::toString);
            // What the target saw: 1000 requests of 64 bytes, +- 5%.
            long seen = target.bytesRead.get() / 64;
            assertTrue(seen >= 950 && seen <= 1050, () -> "the target saw " + seen + " requests:\n" + run);
            // Sent on a timetable of 2 s: the rate achieved is 500/s unless the machine could not keep up.
            double rps = run.json().path("throughput_rps").asDouble();
            assertTrue(rps >= 400 && rps <= 525, () -> "expected ~500 req/s:\n" + run);
            // The event loops' CPU is read on the loops themselves: some, and part of the process's.
            JsonNode cpu = run.json().path("cpu");
            assertTrue(cpu.path("event_loops_s").asDouble() > 0
                    && cpu.path("event_loops_s").asDouble() <= cpu.path("process_s").asDouble(), cpu::toString);
            // A live line every second, and the final table.
            assertTrue(run.result().out().contains("req/s  p50"), run::toString);
            assertTrue(run.result().out().contains("p99.99"), run::toString);
            assertTrue(run.result().out().contains("errors       none"), run::toString);
        }
    }

    @Test
    void rrRecordsItsOwnLatenessAndExitsByIt() throws Exception {
        try (TestServers target = TestServers.delayedEcho(0)) {
            Path file = dir.resolve("late.json");
            Result r = plsim("load", target.target(), "--rate", "200/s", "--duration", "1s", "--timeout", "10s",
                    "--json", file.toString());
            assertNoStackTrace(r);
            JsonNode json = JSON.readTree(file.toFile());
            assertEquals(200, json.path("lateness_us").path("count").asLong(), "every request's hand-over: " + json);
            assertTrue(r.out().contains("lateness     p50"), r::toString);
            boolean reliable = json.path("reliable").asBoolean();
            // Either way the run says which, and exits by it: 3 and the reason when plsim load was late.
            assertEquals(reliable ? 0 : LoadReport.EXIT_UNRELIABLE, r.exit(), r::toString);
            assertEquals(reliable, !r.err().contains("unreliable run: plsim load's own lateness p99"), r::toString);
        }
    }

    @Test
    void latencyOfASlowTarget() throws Exception {
        // 10 connections at 100/s: each gets a request every 100 ms and answers take 20 ms, so nothing queues.
        try (TestServers slow = TestServers.delayedEcho(20)) {
            Run run = load(slow.target(), "--rate", "100/s", "--duration", "2s", "--connections", "10");
            assertEquals(0, run.result().exit(), run::toString);
            double p50 = run.latencyUs("p50");
            assertTrue(p50 >= 20_000 && p50 < 60_000, () -> "expected 20 ms <= p50 < 60 ms:\n" + run);
            assertTrue(run.serviceUs("p50") >= 20_000, run::toString);
            assertTrue(run.latencyUs("max") >= 20_000, run::toString);
        }
    }

    @Test
    void coordinatedOmissionIsCorrected() throws Exception {
        // Stalls every answer for 500 ms once, 1 s into the run; at 200/s about 100 requests come due
        // during the stall. Counted from their intended send times they waited up to 500 ms; counted
        // from when they could be written only the few in flight when it began did (4 of 600 < 1%).
        try (TestServers stall = TestServers.stallOnce(1000, 500)) {
            Run run = load(stall.target(), "--rate", "200/s", "--duration", "3s", "--connections", "4");
            assertEquals(0, run.result().exit(), run::toString);
            assertEquals(600, run.ok(), run::toString);
            double p99 = run.latencyUs("p99");
            assertTrue(p99 > 300_000, () -> "expected a corrected p99 well above 100 ms:\n" + run);
            assertTrue(run.latencyUs("p90") > 20_000, () -> "10% of requests waited behind the stall:\n" + run);
            assertTrue(run.latencyUs("max") >= 450_000, run::toString);
            double serviceP99 = run.serviceUs("p99");
            assertTrue(serviceP99 < p99 / 2, () -> "service time hides the stall, latency does not:\n" + run);
        }
    }

    @Test
    void warmupErrorsAreSaidByKind() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        Result r = plsim("load", "127.0.0.1:" + closed, "--mode", "churn", "--rate", "50", "--duration", "200ms",
                "--warmup", "200ms", "--quiet");
        assertTrue(r.out().matches("(?s).*warmup done: 0 ok, 10 errors \\(connect-refused 10\\).*"), r::toString);
    }

    @Test
    void warmupIsNotMeasured() throws Exception {
        try (TestServers target = TestServers.delayedEcho(0)) {
            Run run = load(target.target(), "--rate", "100/s", "--duration", "1s", "--warmup", "500ms");
            assertEquals(0, run.result().exit(), run::toString);
            assertTrue(run.result().out().contains("warmup done: 50 ok, 0 errors"), run::toString);
            assertEquals(100, run.ok(), run::toString);
            assertEquals(150 * 64, target.bytesRead.get(), "the target saw both");
        }
    }

    // ---- other modes ----

    @Test
    void closedLoopCompletesNRequests() throws IOException {
        Run run = load(echoTarget(), "--mode", "closed", "--requests", "2000", "--connections", "4",
                "--payload-size", "1k");
        assertEquals(0, run.result().exit(), run::toString);
        assertEquals(2000, run.ok(), run::toString);
        assertEquals(2000, run.json().path("requests").path("sent").asLong(), run::toString);
        assertEquals(4, run.json().path("connections_opened").asLong(), run::toString);
        assertEquals(2000, run.json().path("latency_us").path("count").asLong(), run::toString);
    }

    @Test
    void churnOpensAConnectionPerRequest() throws Exception {
        try (TestServers target = TestServers.delayedEcho(0)) {
            Run run = load(target.target(), "--mode", "churn", "--requests", "200", "--connections", "8");
            assertEquals(0, run.result().exit(), run::toString);
            assertEquals(200, run.ok(), run::toString);
            assertEquals(200, run.json().path("connections_opened").asLong(), run::toString);
            Await.until(Duration.ofSeconds(5), () -> target.accepted.get() == 200,
                    () -> "200 connections accepted, found " + target.accepted.get());
        }
    }

    @Test
    void churnAtARate() throws Exception {
        try (TestServers target = TestServers.delayedEcho(0)) {
            Run run = load(target.target(), "--mode", "churn", "--rate", "200/s", "--duration", "1s",
                    "--connections", "4");
            assertEquals(0, run.result().exit(), run::toString);
            assertEquals(200, run.json().path("requests").path("planned").asLong(), run::toString);
            assertEquals(200, run.ok(), run::toString);
            Await.until(Duration.ofSeconds(5), () -> target.accepted.get() == 200,
                    () -> "200 connections accepted, found " + target.accepted.get());
        }
    }

    @Test
    void bulkMovesBytesBothWays() throws IOException {
        Run run = load(echoTarget(), "--mode", "bulk", "--connections", "2", "--bytes-per-connection", "4m");
        assertEquals(0, run.result().exit(), run::toString);
        assertEquals(2, run.ok(), run::toString);
        assertEquals(8L << 20, run.json().path("bytes").path("sent").asLong(), run::toString);
        assertEquals(8L << 20, run.json().path("bytes").path("received").asLong(), run::toString);
        assertTrue(run.json().path("mb_per_s").path("sent").asDouble() > 0, run::toString);
        assertTrue(run.json().path("mb_per_s").path("received").asDouble() > 0, run::toString);
        assertTrue(run.result().out().contains("MB/s"), run::toString);
    }

    @Test
    void bulkUntilTheDurationEnds() throws IOException {
        Run run = load(echoTarget(), "--mode", "bulk", "--connections", "2", "--duration", "1s", "--proxy-header", "v2");
        assertEquals(0, run.result().exit(), run::toString);
        assertEquals(2, run.ok(), run::toString);
        long sent = run.json().path("bytes").path("sent").asLong();
        assertTrue(sent > 0, run::toString);
        // Each connection's 28-byte PROXY header (16 + 12 for IPv4) counts as sent, as it goes on the wire; the
        // echo takes it off and returns every other byte.
        assertEquals(sent - 2 * 28, run.json().path("bytes").path("received").asLong(),
                "the echo returns every byte but the headers");
        assertTrue(run.result().millis() < 20_000, run::toString);
    }

    @Test
    void samplesFallOnTheSecondAndABulkRunEndsAtItsDuration() throws IOException {
        Run rr = load(echoTarget(), "--mode", "rr", "--rate", "200", "--duration", "3s");
        JsonNode timeline = rr.json().path("timeline");
        assertTrue(timeline.size() >= 3, timeline::toString);
        // Every sample but the last, which is the run's end, stands for a whole second.
        for (int i = 0; i < timeline.size() - 1; i++) {
            assertEquals(i + 1.0, timeline.get(i).path("t_s").asDouble(), 1e-9, "sample " + i + " on its second: "
                    + timeline);
        }
        // Streams that the duration ends are counted done within one sample, not drained at leisure.
        Run bulk = load(echoTarget(), "--mode", "bulk", "--connections", "2", "--duration", "2s");
        assertEquals(0, bulk.result().exit(), bulk::toString);
        assertTrue(bulk.json().path("elapsed_s").asDouble() <= 3.0, "a 2 s bulk run took "
                + bulk.json().path("elapsed_s") + " s");
    }

    // ---- payload kinds ----

    @Test
    void httpWithContentLengthAndChunked() throws Exception {
        for (boolean chunked : new boolean[] {false, true}) {
            try (TestServers web = TestServers.http(200, chunked)) {
                Run run = load(web.target(), "--mode", "closed", "--http", "--path", "/health", "--requests", "300",
                        "--connections", "3");
                assertEquals(0, run.result().exit(), run::toString);
                assertEquals(300, run.ok(), run::toString);
                assertEquals(3, web.accepted.get(), "keep-alive: one connection each");
            }
        }
    }

    @Test
    void anHttpAnswerThatRunsToTheCloseCountsAndBytesThatAreNoHttpAreBadResponses() throws Exception {
        try (TestServers web = TestServers.raw("HTTP/1.0 200 OK\r\nServer: old\r\n\r\nuntil the close", true)) {
            Run run = load(web.target(), "--mode", "churn", "--http", "--requests", "50", "--duration", "5s");
            assertEquals(50, run.json().path("requests").path("ok").asLong(), run::toString);
        }
        try (TestServers web = TestServers.raw("SSH-2.0-OpenSSH_9.2\r\n", false)) {
            Run run = load(web.target(), "--mode", "closed", "--http", "--requests", "20", "--duration", "5s",
                    "--max-error-ratio", "1");
            assertEquals(20, run.json().path("errors").path("bad-response").asLong(), run::toString);
            assertEquals(20, web.accepted.get(), "a connection dropped after each bad answer: " + run);
        }
    }

    @Test
    void httpErrorsAreCountedByStatus() throws Exception {
        try (TestServers web = TestServers.http(503, false)) {
            Run run = load(web.target(), "--http", "--rate", "100/s", "--duration", "1s");
            assertEquals(1, run.result().exit(), run::toString);
            assertEquals(100, run.json().path("errors").path("http-5xx").asLong(), run::toString);
        }
    }

    @Test
    void proxyHeaderFirstOnEveryConnection() throws Exception {
        try (TestServers target = TestServers.proxyEcho()) {
            Run run = load(target.target(), "--mode", "churn", "--requests", "50", "--connections", "5",
                    "--proxy-header", "v2");
            assertEquals(0, run.result().exit(), run::toString);
            assertEquals(50, run.ok(), run::toString);
            Await.until(Duration.ofSeconds(5), () -> target.proxyHeaders.get() == 50,
                    () -> "50 headers parsed, found " + target.proxyHeaders.get());
        }
    }

    @Test
    void httpWithAProxyHeader() throws Exception {
        try (TestServers web = TestServers.httpBehindProxyHeader()) {
            Run run = load(web.target(), "--mode", "closed", "--http", "--proxy-header", "v2", "--requests", "100",
                    "--connections", "2");
            assertEquals(0, run.result().exit(), run::toString);
            assertEquals(100, run.ok(), run::toString);
            assertEquals(2, web.proxyHeaders.get(), "one header per connection");
        }
    }

    // ---- errors ----

    @Test
    void resetsFailTheRunWithErrorsByKind() throws Exception {
        try (TestServers target = TestServers.resetting()) {
            Run run = load(target.target(), "--rate", "100/s", "--duration", "1s", "--connections", "2");
            assertEquals(1, run.result().exit(), run::toString);
            assertEquals(0, run.ok(), run::toString);
            assertEquals(100, run.errors(), run::toString);
            JsonNode errors = run.json().path("errors");
            long known = 0;
            for (Map.Entry<String, JsonNode> e : errors.properties()) {
                assertTrue(List.of("reset", "closed", "short-read").contains(e.getKey()), run::toString);
                known += e.getValue().asLong();
            }
            assertEquals(100, known, run::toString);
            assertTrue(errors.path("reset").asLong() > 0, () -> "resets counted as such:\n" + run);
            assertTrue(run.result().out().contains("reset"), run::toString);
            assertTrue(run.result().err().contains("--max-error-ratio"), run::toString);
        }
    }

    @Test
    void refusedConnectionsAreCounted() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Run run = load("127.0.0.1:" + port, "--rate", "50/s", "--duration", "1s");
        assertEquals(1, run.result().exit(), run::toString);
        assertEquals(50, run.json().path("errors").path("connect-refused").asLong(), run::toString);
    }

    @Test
    void silentTargetTimesOutAndTheRunStopsByItself() throws Exception {
        try (TestServers target = TestServers.silent()) {
            Run run = load(target.target(), "--rate", "50/s", "--duration", "1s", "--timeout", "200ms");
            assertEquals(1, run.result().exit(), run::toString);
            assertEquals(50, run.json().path("errors").path("timeout").asLong(), run::toString);
            // duration + timeout + 1 s drain at most, plus start and stop
            assertTrue(run.result().millis() < 10_000, run::toString);
        }
    }

    @Test
    void errorsWithinTheAllowedRatioExitZero() throws Exception {
        try (TestServers target = TestServers.resetting()) {
            Run run = load(target.target(), "--rate", "20/s", "--duration", "1s", "--max-error-ratio", "1");
            assertEquals(0, run.result().exit(), run::toString);
            assertEquals(20, run.errors(), run::toString);
        }
    }

    // ---- output files ----

    @Test
    void writesHgrmJsonAndHtml() throws IOException {
        Path hgrm = dir.resolve("lat.hgrm");
        Path html = dir.resolve("report.html");
        Run run = load(echoTarget(), "--rate", "300/s", "--duration", "1500ms", "--hgrm", hgrm.toString(),
                "--html", html.toString());
        assertEquals(0, run.result().exit(), run::toString);
        JsonNode j = run.json();
        assertEquals("rr", j.path("mode").asText());
        assertEquals(450, j.path("requests").path("planned").asLong());
        for (String p : List.of("p50", "p90", "p99", "p99_9", "p99_99", "max")) {
            assertTrue(j.path("latency_us").path(p).asDouble() > 0, () -> p + " in " + j.toPrettyString());
        }
        assertTrue(j.path("timeline").size() >= 1, j::toPrettyString);
        String h = Files.readString(hgrm);
        assertTrue(h.contains("Value     Percentile TotalCount 1/(1-Percentile)"), h);
        assertTrue(h.contains("#[Mean"), h);
        assertTrue(h.contains("#[Max"), h);
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>"), page);
        assertTrue(page.contains("<svg"), page);
        assertTrue(page.contains("<polyline"), page);
        assertTrue(page.contains("99.9%"), "log-scale percentile axis labels");
        assertTrue(page.contains("Latency every second") && page.contains(">p50<") && page.contains(">max<"),
                "latency over time, p50, p99 and max per second");
        assertTrue(page.contains("errors/s"), "errors beside throughput");
        assertTrue(j.path("timeline").get(0).path("max_us").asDouble() >= j.path("timeline").get(0).path("p99_us")
                .asDouble(), j::toPrettyString);
        assertFalse(page.contains("http://") && page.replace("http://www.w3.org/2000/svg", "").contains("http://"),
                "nothing fetched from the network");
        assertFalse(page.contains("https://"), "nothing fetched from the network");
        assertFalse(page.contains("<script src"), page);
    }

    @Test
    void bulkHtmlPlotsThroughput() throws IOException {
        Path html = dir.resolve("bulk.html");
        Run run = load(echoTarget(), "--mode", "bulk", "--connections", "1", "--bytes-per-connection", "1m",
                "--html", html.toString());
        assertEquals(0, run.result().exit(), run::toString);
        assertTrue(Files.readString(html).contains("MB/s"));
    }

    // ---- names ----

    @Test
    void resolvesANameWithTheGivenDnsServer() throws Exception {
        String name = "vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com";
        try (FakeDns dns = new FakeDns(Map.of(name, "127.0.0.1", "outside.example.com", "10.1.2.3"))) {
            Run run = load(name + ":" + echo.address().getPort(), "--dns", dns.address(), "--requests", "20",
                    "--rate", "100/s");
            assertEquals(0, run.result().exit(), run::toString);
            assertEquals(20, run.ok(), run::toString);
            assertEquals("dns " + dns.address(), run.json().path("resolved").asText(), run::toString);

            Result outside = plsim("load", "outside.example.com:80", "--dns", dns.address());
            assertEquals(2, outside.exit(), outside::toString);
            assertTrue(outside.err().contains("not on loopback"), outside::toString);
            assertTrue(outside.err().contains("10.1.2.3"), outside::toString);

            Result unknown = plsim("load", "nowhere.example.com:80", "--dns", dns.address());
            assertEquals(2, unknown.exit(), unknown::toString);
            assertTrue(unknown.err().contains("NXDOMAIN"), unknown::toString);
            assertNoStackTrace(unknown);
        }
    }

    @Test
    void localhostIsLoopback() throws IOException {
        Run run = load("localhost:" + echo.address().getPort(), "--requests", "10", "--rate", "100/s");
        assertEquals(0, run.result().exit(), run::toString);
        assertEquals(10, run.ok(), run::toString);
    }

    // ---- refusals ----

    @Test
    void refusesTargetsOffLoopback() {
        for (String t : List.of("10.0.0.1:80", "8.8.8.8:53", "192.168.1.1:443", "example.com:80", "[::1]:80",
                "::1:80", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.300:80")) {
            Result r = plsim("load", t, "--duration", "1s");
            assertEquals(2, r.exit(), () -> t + ":\n" + r);
            assertNoStackTrace(r);
            assertTrue(r.err().startsWith("plsim load: "), () -> t + ":\n" + r);
        }
        Result r = plsim("load", "10.0.0.1:80");
        assertTrue(r.err().contains("not on loopback (127.0.0.0/8 or localhost)"), r::toString);
        Result name = plsim("load", "example.com:80");
        assertTrue(name.err().contains("--dns"), name::toString);
        Result dns = plsim("load", "example.com:80", "--dns", "8.8.8.8:53");
        assertEquals(2, dns.exit(), dns::toString);
        assertTrue(dns.err().contains("not on loopback"), dns::toString);
    }

    @Test
    void badFlagsExitTwoWithAClearMessage() {
        String t = echoTarget();
        Object[][] cases = {
            {new String[] {"load", t, "--mode", "sideways"}, "expected rr, closed, churn or bulk"},
            {new String[] {"load", t, "--rate", "fast"}, "not a rate"},
            {new String[] {"load", t, "--rate", "-5"}, "not a rate"},
            {new String[] {"load", t, "--rate", "max"}, "--mode closed"},
            {new String[] {"load", t, "--mode", "closed", "--rate", "100"}, "--rate applies to"},
            {new String[] {"load", t, "--duration", "2h"}, "at most 1h"},
            {new String[] {"load", t, "--duration", "0s"}, "above 0"},
            {new String[] {"load", t, "--duration", "soon"}, "not a duration"},
            {new String[] {"load", t, "--warmup", "1h"}, "--warmup must be at most 10m"},
            {new String[] {"load", t, "--connections", "0"}, "--connections must be"},
            {new String[] {"load", t, "--requests", "0"}, "--requests must be"},
            {new String[] {"load", t, "--payload-size", "0"}, "--payload-size must be"},
            {new String[] {"load", t, "--payload-size", "64", "--http"}, "exclude each other"},
            {new String[] {"load", t, "--mode", "bulk", "--http"}, "--http does not apply"},
            {new String[] {"load", t, "--mode", "bulk", "--requests", "5"}, "--requests does not apply"},
            {new String[] {"load", t, "--bytes-per-connection", "1m"}, "bulk only"},
            {new String[] {"load", t, "--proxy-header", "v3"}, "expected v2 or none"},
            {new String[] {"load", t, "--max-error-ratio", "2"}, "from 0 to 1"},
            {new String[] {"load", t, "--timeout", "5m"}, "--timeout must be"},
            {new String[] {"load", t, "--path", "/x"}, "--path needs --http"},
            {new String[] {"load", t, "--transport", "carrier-pigeon"}, "--transport"},
            {new String[] {"load", t, "--json", "/nonexistent-dir/x.json"}, "cannot write"},
            {new String[] {"load", t, "--mode", "bulk", "--hgrm", "x.hgrm"}, "--hgrm needs a latency"},
            {new String[] {"load", t, "--frobnicate"}, "Unknown option"},
            {new String[] {"load"}, "missing TARGET: host:port on loopback"},
        };
        for (Object[] c : cases) {
            String[] args = (String[]) c[0];
            Result r = plsim(args);
            assertEquals(2, r.exit(), () -> String.join(" ", args) + ":\n" + r);
            assertNoStackTrace(r);
            assertTrue(r.err().contains((String) c[1]), () -> String.join(" ", args) + ": expected \"" + c[1]
                    + "\":\n" + r);
            assertTrue(r.millis() < 5000, r::toString);
        }
    }

    @Test
    void helpListsTheOptions() {
        Result r = plsim("load", "--help");
        assertEquals(0, r.exit(), r::toString);
        for (String o : List.of("--mode", "--rate", "--connections", "--duration", "--requests", "--payload-size",
                "--http", "--proxy-header", "--hgrm", "--json", "--html", "--max-error-ratio", "--dns")) {
            assertTrue(r.out().contains(o), () -> o + " in\n" + r);
        }
        assertTrue(plsim("--help").out().contains("load"));
    }
}
