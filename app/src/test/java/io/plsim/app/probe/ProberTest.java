package io.plsim.app.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plsim.app.probe.ProbeResult.Verdict;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.ThirdPartyServers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every case of {@code plsim probe} against parsers whose behaviour is known: plsim's own parser, correct and
 * with each of four defects users met behind NLB; Netty's {@code HAProxyMessageDecoder}; and nginx and HAProxy
 * where installed. Each test pins the exact set of cases the parser fails, so a case that misjudges (passing
 * a defect, or blaming a correct parser) breaks a test. The nginx and HAProxy sets are what Debian 12's nginx
 * 1.22 and HAProxy 2.6 do; docs/probe.md has the run behind them.
 */
@ExtendWith(LeakCheck.class)
class ProberTest {

    private static final Pattern OK = Pattern.compile("^HTTP/1\\.[01] 200", Pattern.MULTILINE);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration HOLD = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private static ProbeReport probe(InetSocketAddress target, boolean v1) throws Prober.Unreachable {
        byte[] request = ("GET / HTTP/1.1\r\nHost: probe.test\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return Prober.run(new Prober.Settings(target, request, OK, TIMEOUT, HOLD, v1), r -> { });
    }

    private static Set<String> failed(ProbeReport report) {
        return report.failures().stream().map(r -> r.probeCase().id()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String table(ProbeReport report) {
        return report.results().stream().map(ProbeReport::line).collect(Collectors.joining("\n"));
    }

    private static void assertFailures(Set<String> expected, ProbeReport report) {
        assertEquals(new TreeSet<>(expected), failed(report), () -> "\n" + table(report));
        assertEquals(expected.isEmpty() ? 0 : 1, report.exitCode());
    }

    @Test
    void aCorrectParserPassesEveryRequiredCase() throws Exception {
        try (ToyParserServer strict = new ToyParserServer(ToyParserServer.Defect.NONE, false)) {
            ProbeReport report = probe(strict.address(), false);
            assertFailures(Set.of(), report);
            assertEquals(Prober.cases(report.settings()).size(), report.results().size());
            // What a correct parser does with the two cases either answer suits.
            assertEquals(ProbeResult.Outcome.ANSWERED, report.result("unspec").orElseThrow().outcome());
            ProbeResult stacked = report.result("stacked-headers").orElseThrow();
            assertEquals(Verdict.INFO, stacked.verdict());
            assertTrue(stacked.answer().startsWith("HTTP/1.1 400"), stacked::evidence);
        }
    }

    @Test
    void aCorrectV1ParserPassesEveryRequiredV1Case() throws Exception {
        try (ToyParserServer strict = new ToyParserServer(ToyParserServer.Defect.NONE, true)) {
            assertFailures(Set.of(), probe(strict.address(), true));
        }
    }

    @Test
    void aParserThatReadsOnceFailsTheSplitHeaders() throws Exception {
        try (ToyParserServer toy = new ToyParserServer(ToyParserServer.Defect.ONE_READ, false)) {
            ProbeReport report = probe(toy.address(), false);
            assertFailures(Set.of("split-fixed-part", "split-7-bytes", "split-1-byte"), report);
            ProbeResult r = report.result("split-1-byte").orElseThrow();
            assertTrue(r.evidence().contains("without answering: the parser does not keep reading"), r::evidence);
        }
    }

    @Test
    void aParserThatIgnoresTheChecksumFailsBadCrcAlone() throws Exception {
        try (ToyParserServer toy = new ToyParserServer(ToyParserServer.Defect.NO_CRC_CHECK, false)) {
            ProbeReport report = probe(toy.address(), false);
            assertFailures(Set.of("bad-crc"), report);
            assertTrue(report.result("bad-crc").orElseThrow().evidence().contains("does not check the CRC32C"));
        }
    }

    @Test
    void aParserThatSkipsOnly16BytesOfALocalHeaderFailsNlbsHealthCheck() throws Exception {
        try (ToyParserServer toy = new ToyParserServer(ToyParserServer.Defect.LOCAL_SKIPS_16, false)) {
            ProbeReport report = probe(toy.address(), false);
            assertFailures(Set.of("aws-health-check", "local-with-address-block"), report);
            ProbeResult r = report.result("aws-health-check").orElseThrow();
            assertEquals(ProbeResult.Outcome.ANSWERED, r.outcome());
            assertTrue(r.evidence().startsWith("answered \"HTTP/1.1 400 Bad Request\""), r::evidence);
        }
    }

    @Test
    void aParserWithA256ByteBufferFailsTheLongHeaders() throws Exception {
        try (ToyParserServer toy = new ToyParserServer(ToyParserServer.Defect.BUFFER_256, false)) {
            assertFailures(Set.of("long-600", "long-4k"), probe(toy.address(), false));
        }
    }

    @Test
    void nettysDecoder() throws Exception {
        try (NettyDecoderServer netty = new NettyDecoderServer()) {
            ProbeReport report = probe(netty.address(), false);
            // Netty's decoder reassembles split headers and refuses a TLV past the header, but does not
            // check the CRC32C, ignores bytes too few for a TLV, and detects v1 as readily as v2.
            assertFailures(Set.of("bad-crc", "v1-instead-of-v2", "length-overruns-tlvs"), report);
        }
    }

    @Test
    void nginx() throws Exception {
        assumeTrue(ThirdPartyServers.hasNginx(), ThirdPartyServers.NGINX_MISSING);
        ThirdPartyServers.Server nginx = ThirdPartyServers.nginx(dir.resolve("nginx"));
        try {
            ProbeReport v2 = probe(nginx.address(), false);
            assertFailures(Set.of("split-fixed-part", "split-7-bytes", "split-1-byte", "long-4k", "bad-crc",
                    "bad-version-command", "v1-instead-of-v2", "length-overruns-tlvs", "tlv-overruns-header"), v2);
            ProbeReport v1 = probe(nginx.address(), true);
            assertFailures(Set.of("v1-split-1-byte", "v2-instead-of-v1", "v1-no-crlf", "v1-bad-address"), v1);
            assertTrue(nginx.log().contains("broken header"), nginx::log);
        } finally {
            nginx.stop();
        }
    }

    @Test
    void haproxy() throws Exception {
        assumeTrue(ThirdPartyServers.hasHaproxy(), ThirdPartyServers.HAPROXY_MISSING);
        ThirdPartyServers.Server haproxy = ThirdPartyServers.haproxy(dir.resolve("haproxy"));
        try {
            ProbeReport v2 = probe(haproxy.address(), false);
            assertFailures(Set.of("split-fixed-part", "split-7-bytes", "split-1-byte", "v1-instead-of-v2"), v2);
            assertEquals(ProbeResult.Outcome.RESET, v2.result("bad-crc").orElseThrow().outcome());
            // HAProxy refuses PROXY UNKNOWN followed by addresses, which the spec says to ignore.
            ProbeReport v1 = probe(haproxy.address(), true);
            assertFailures(Set.of("v1-longest", "v1-split-1-byte", "v2-instead-of-v1", "v1-bad-address"), v1);
        } finally {
            haproxy.stop();
        }
    }

    @Test
    void aTargetThatIsNotThereIsOneErrorNotTwoDozenFailures() throws Exception {
        InetSocketAddress nothing;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            nothing = new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
        InetSocketAddress gone = nothing;
        Prober.Unreachable e = org.junit.jupiter.api.Assertions.assertThrows(Prober.Unreachable.class,
                () -> probe(gone, false));
        assertEquals("cannot connect to " + Prober.text(gone) + ": connection refused", e.getMessage());
    }

    @Test
    void theJsonHasEveryCaseWithItsBytes() throws Exception {
        try (ToyParserServer toy = new ToyParserServer(ToyParserServer.Defect.NO_CRC_CHECK, false)) {
            ProbeReport report = probe(toy.address(), false);
            Path json = dir.resolve("probe.json");
            report.writeJson(json);
            var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
            assertEquals(1, root.get("exitCode").asInt());
            assertEquals(1, root.get("failed").asInt());
            List<String> ids = new ArrayList<>();
            root.get("cases").forEach(c -> ids.add(c.get("id").asText()));
            assertEquals(Prober.cases(report.settings()).stream().map(ProbeCase::id).toList(), ids);
            var first = root.get("cases").get(0);
            assertEquals("aws-privatelink", first.get("id").asText());
            assertEquals("pass", first.get("verdict").asText());
            assertEquals("answered", first.get("outcome").asText());
            assertTrue(first.get("bytesSentHex").asText().startsWith("0d0a0d0a000d0a515549540a21110054"),
                    first.toString());
        }
    }

    @Test
    void aServiceThatStopsReadingIsSilentNotAHang() throws Exception {
        java.net.Socket[] held = {null};
        try (java.net.ServerSocket sink = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                try {
                    held[0] = sink.accept(); // accepted, never read
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            t.start();
            ProbeCase big = new ProbeCase("big", "8 MiB", ProbeCase.Must.ACCEPT, "",
                    List.of(new ProbeCase.Send(new byte[8 << 20])));
            var watchdog = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            try {
                InetSocketAddress at = new InetSocketAddress("127.0.0.1", sink.getLocalPort());
                ProbeResult r = Prober.run(new Prober.Settings(at, new byte[0], OK, Duration.ofMillis(200), HOLD, false),
                        big, watchdog);
                assertEquals(ProbeResult.Outcome.SILENT, r.outcome(), r::evidence);
                assertTrue(r.evidence().startsWith("stopped reading: the probe could not send everything in"),
                        r::evidence);
                assertEquals(Verdict.FAIL, r.verdict());
            } finally {
                watchdog.shutdownNow();
                t.join(5000);
                if (held[0] != null) {
                    held[0].close();
                }
            }
        }
    }
}
