package io.plsim.app.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plsim.app.cli.Plsim;
import io.plsim.app.api.ApiServer;
import io.plsim.app.api.AdminRoutes;
import io.plsim.app.dns.DnsServer;
import io.plsim.app.notify.NotificationHub;
import io.plsim.core.api.QueryApi;
import io.plsim.core.elb.LoadBalancing;
import io.plsim.core.model.LoadBalancer;
import io.plsim.dataplane.Await;
import io.plsim.dataplane.CrossZoneTraffic;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestWorld;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plsim load} through an endpoint's regional DNS name, as clients send, on {@link TestWorld}'s
 * world in 127.141.0.0/16 with a built-in echo target per zone and cross-zone off: the flows of a churn
 * run reach both zones' interfaces, about half each, and bytes are counted; once one zone has no
 * healthy target, DNS answers the other only, and so do the flows.
 */
@ExtendWith(LeakCheck.class)
class LoadThroughDnsTest {

    private static final int NET = TestBlocks.of(LoadThroughDnsTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private DataPlane dp;
    private DnsServer dns;
    private ApiServer api;
    private NotificationHub hub;
    private String regional;
    private String lastOutput;

    @BeforeEach
    void setUp() throws Exception {
        dp = TestWorld.in(NET).crossZone(false).proxyProtocol("false")
                .healthCheck("{intervalSeconds: 0.1, timeoutSeconds: 0.1, healthyThreshold: 2, unhealthyThreshold: 2}")
                .target("us-east-1a", "builtin: echo").target("us-east-1b", "builtin: echo").start();
        dns = DnsServer.start(new InetSocketAddress("127.0.0.1", 0), dp.transport(), dp::dnsAnswer);
        hub = new NotificationHub(dp.world().topics());
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), dp.transport(), new QueryApi(dp.world()),
                new AdminRoutes(dp, hub));
        regional = dp.world().controlPlane().endpoints().get(0).dnsEntries().get(0).dnsName();
        if (!dp.awaitHealthy(TestWorld.NLB, DEADLINE)) {
            throw new AssertionError("targets not healthy: " + dp.targets());
        }
    }

    @AfterEach
    void tearDown() {
        if (api != null) {
            api.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (dp != null) {
            dp.close(Duration.ZERO);
        }
    }

    private JsonNode churn(String name) throws Exception {
        return churn(name, dir.resolve("load-" + System.nanoTime() + ".json"));
    }

    private JsonNode churn(String name, Path json, String... more) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            List<String> args = new java.util.ArrayList<>(List.of("load", name + ":" + TestWorld.LISTENER_PORT,
                    "--dns", "127.0.0.1:" + dns.address().getPort(), "--mode", "churn", "--rate", "200", "--duration",
                    // Not a whole number of seconds: the run ends in a sliver after the last whole second.
                    "2050ms", "--dns-ttl", "100ms", "--json", json.toString(), "--api", api.url(), "--allow-late"));
            args.addAll(List.of(more));
            exit = Plsim.run(o, e, args.toArray(new String[0]));
        }
        assertEquals(0, exit, out + "\n" + err);
        assertTrue(out.toString().contains("by address"), out.toString());
        lastOutput = out.toString();
        return new ObjectMapper().readTree(Files.readString(json));
    }

    /**
     * A latency fault on one zone's interface: that zone's figures show it and the other's do not,
     * every second and in all (JSON, HTML), and {@code plsim load compare} of the runs before and
     * after puts the ratio on that zone's row.
     */
    @Test
    void aSlowZoneShowsInItsOwnFiguresAndInACompare() throws Exception {
        Path before = dir.resolve("before.json");
        Path after = dir.resolve("after.json");
        Path page = dir.resolve("after.html");
        JsonNode a = churn(regional, before);
        dp.addFault(io.plsim.core.model.Fault.parse(Map.of("fault", "latency", "latency", "30", "stream", "downstream",
                "az", TestWorld.AZ1)));
        JsonNode b = churn(regional, after, "--html", page.toString());
        String az1 = TestWorld.listenerIn(dp, TestWorld.AZ1).address();
        String az2 = TestWorld.listenerIn(dp, TestWorld.AZ2).address();
        // The fault adds 30 ms to each answer in az1: its p50 is at least that, and at least 15 ms above
        // the same zone's before and the other zone's during, which share whatever else slows this machine.
        double az1Before = a.path("by_address").path(az1).path("latency_us").path("p50").asDouble();
        double az1During = b.path("by_address").path(az1).path("latency_us").path("p50").asDouble();
        double az2During = b.path("by_address").path(az2).path("latency_us").path("p50").asDouble();
        assertTrue(az1During >= 30_000, b.path("by_address").toString());
        assertTrue(az1Before + 15_000 < az1During, a.path("by_address") + "\n" + b.path("by_address"));
        assertTrue(az2During + 15_000 < az1During, b.path("by_address").toString());
        JsonNode second = b.path("timeline").get(1).path("by_address");
        assertTrue(second.path(az1).path("p50_us").asDouble() >= 30_000, second.toString());
        assertTrue(second.path(az2).path("p50_us").asDouble() + 15_000 < second.path(az1).path("p50_us").asDouble(),
                second.toString());
        assertTrue(b.path("latency_percentiles_us").size() > 10, "the whole curve is kept for compare");
        String html = Files.readString(page);
        assertTrue(html.contains("Latency per zone every second") && html.contains("By address")
                && html.contains(TestWorld.AZ1 + " " + az1), "per-zone plots and table");

        Path cmp = dir.resolve("compare.html");
        LoadCommandTest.Result r = LoadCommandTest.plsim("load", "compare", before.toString(), after.toString(), "--html", cmp.toString());
        assertEquals(0, r.exit(), r.toString());
        String row = r.out().lines().filter(l -> l.trim().startsWith(TestWorld.AZ1 + " p50 (ms)")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + TestWorld.AZ1 + "'s p50:\n" + r.out()));
        String[] cells = row.trim().split("\\s+");
        double ratio = Double.parseDouble(cells[cells.length - 1].replace("x", ""));
        // The rows' ratios are the runs' own figures divided (as printed, to two decimals).
        assertEquals(az1During / az1Before, ratio, 0.006 * Math.max(1, az1During / az1Before),
                "the slow zone's p50 ratio: " + row + "\n" + r.out());
        String other = r.out().lines().filter(l -> l.trim().startsWith(TestWorld.AZ2 + " p50 (ms)")).findFirst()
                .orElseThrow();
        assertTrue(r.out().contains("ratios are to the first run, before"), r.out());
        String[] o = other.trim().split("\\s+");
        double az2Before = a.path("by_address").path(az2).path("latency_us").path("p50").asDouble();
        assertEquals(az2During / az2Before, Double.parseDouble(o[o.length - 1].replace("x", "")),
                0.006 * Math.max(1, az2During / az2Before), other);
        String cmpHtml = Files.readString(cmp);
        assertTrue(cmpHtml.contains("Latency by percentile") && cmpHtml.contains(">before<")
                && cmpHtml.contains(">after<"), "both runs on the page");

        // What cannot be compared is said, by file.
        Path notJson = Files.writeString(dir.resolve("notes.json"), "{ not json");
        Path bulk = Files.writeString(dir.resolve("bulk.json"), b.toString().replace("\"mode\":\"churn\"",
                "\"mode\":\"bulk\""));
        LoadCommandTest.Result one = LoadCommandTest.plsim("load", "compare", before.toString());
        LoadCommandTest.Result missing = LoadCommandTest.plsim("load", "compare", before.toString(), dir.resolve("nope.json").toString());
        LoadCommandTest.Result bad = LoadCommandTest.plsim("load", "compare", before.toString(), notJson.toString());
        LoadCommandTest.Result mixed = LoadCommandTest.plsim("load", "compare", before.toString(), bulk.toString());
        assertEquals(2, one.exit(), one.toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nope.json: no such file"), missing.err());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("notes.json: not JSON (line 1"), bad.err());
        assertEquals(2, mixed.exit());
        assertTrue(mixed.err().contains("a bulk run cannot be compared with"), mixed.err());
    }

    /** The sum of the samples whose line starts with {@code prefix} and contains every one of {@code also}. */
    private static long metricSum(String metrics, String prefix, String... also) {
        return metrics.lines().filter(l -> l.startsWith(prefix) && java.util.Arrays.stream(also).allMatch(l::contains))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private List<String> interfaceIps() {
        return dp.world().controlPlane().endpoints().get(0).interfaces().stream().map(i -> i.privateIp()).toList();
    }

    /**
     * Cross-zone on: about half the flows go to the other zone's target, and the report has what the plsim
     * counted across zones during the run, each way, and its cost at AWS's rate, in JSON and in text.
     */
    @Test
    void withCrossZoneOnTheReportHasTheBytesThatCrossedZonesAndTheirCost() throws Exception {
        dp.crossZone(TestWorld.NLB, true);
        JsonNode run = churn(regional);
        long toTarget = dp.crossZoneTraffic().stream().mapToLong(CrossZoneTraffic::bytesToTarget).sum();
        long toConsumer = dp.crossZoneTraffic().stream().mapToLong(CrossZoneTraffic::bytesToConsumer).sum();
        JsonNode cz = run.path("cross_zone");
        assertTrue(toTarget > 0 && toConsumer > 0, "flows crossed zones: " + dp.crossZoneTraffic());
        assertEquals(toTarget, cz.path("bytes_to_target").asLong(), cz.toString());
        assertEquals(toConsumer, cz.path("bytes_to_consumer").asLong(), cz.toString());
        assertEquals(0.01, cz.path("price_usd_per_gb").asDouble(), cz.toString());
        assertEquals(CrossZoneTraffic.cost(toTarget + toConsumer, 0.01), cz.path("cost_usd").asDouble(), 1e-15);
        assertTrue(lastOutput.contains(CrossZoneTraffic.describe(toTarget, toConsumer, 0.01)), lastOutput);
    }

    @Test
    void aChurnRunThroughTheRegionalNameReachesBothZonesAndFollowsFailover() throws Exception {
        JsonNode run = churn(regional);
        String healthyIpFirst = TestWorld.listenerIn(dp, TestWorld.AZ2).ip();
        assertTrue(lastOutput.matches("(?s).*  split 127\\.\\S+ \\d+% 127\\.\\S+ \\d+%.*"), "the live line shows the split: "
                + lastOutput);
        assertTrue(lastOutput.contains(healthyIpFirst), lastOutput);
        long total = run.path("connections_opened").asLong();
        assertTrue(total >= 300, "connections: " + total);
        for (String ip : interfaceIps()) {
            long here = run.path("by_address").path(ip + ":" + TestWorld.LISTENER_PORT).path("connections_opened")
                    .asLong();
            // Round robin over both answers: half each, give or take what one DNS refresh shifts.
            assertTrue(Math.abs(here - total / 2.0) <= total * 0.1, ip + " got " + here + " of " + total + ": "
                    + run.path("by_address"));
        }
        assertTrue(run.path("bytes").path("sent").asLong() > 0, "bytes counted: " + run.path("bytes"));
        long byAddress = 0;
        for (JsonNode a : run.path("by_address")) {
            byAddress += a.path("latency_us").path("count").asLong();
        }
        assertEquals(run.path("requests").path("ok").asLong(), byAddress,
                "every answered request belongs to one address, those of the last sliver too: " + run.path("by_address"));
        JsonNode inAz1 = run.path("by_address").path(TestWorld.listenerIn(dp, TestWorld.AZ1).address());
        assertEquals(TestWorld.AZ1, inAz1.path("zone_id").asText(), "named by zone: " + run.path("by_address"));
        assertEquals(TestWorld.listenerIn(dp, TestWorld.AZ1).zoneName(), inAz1.path("zone").asText());
        assertTrue(run.path("dns").path("answers").asLong() >= 10, "resolved every 100 ms: " + run.path("dns"));
        String endpointId = dp.world().controlPlane().endpoints().get(0).vpcEndpointId();
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api.url() + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        long viaEndpoint = metrics.lines().filter(l -> l.startsWith("plsim_target_flows_total{")
                        && l.contains("endpoint=\"" + endpointId + "\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertEquals(total, viaEndpoint, "the targets' flows, by the endpoint they came through:\n" + metrics);
        // Every connect is in the interfaces' and the targets' connect-time histograms.
        assertEquals(total, metricSum(metrics, "plsim_connect_seconds_count{"), metrics);
        assertEquals(total, metricSum(metrics, "plsim_target_connect_seconds_count{"), metrics);
        assertEquals(total, metricSum(metrics, "plsim_connect_seconds_bucket{", "le=\"+Inf\""), metrics);
        assertTrue(metricSum(metrics, "plsim_connect_seconds_bucket{", "le=\"2.5\"")
                >= metricSum(metrics, "plsim_connect_seconds_bucket{", "le=\"0.0001\""), "cumulative buckets");

        // Zone A's target leaves: its node has no healthy target, so DNS fails over to zone B.
        LoadBalancing lbs = dp.world().loadBalancing();
        String arn = dp.world().topology().loadBalancers().keySet().iterator().next();
        String group = lbs.describeTargetGroups(TestWorld.PROVIDER, arn, List.of(), List.of()).get(0).arn();
        LoadBalancer.Target a = lbs.registered(arn).stream().filter(t -> t.zoneId().equals(TestWorld.AZ1))
                .findFirst().orElseThrow();
        lbs.modifyTargetGroupAttributes(TestWorld.PROVIDER, group, Map.of("deregistration_delay.timeout_seconds", "0"));
        lbs.deregisterTargets(TestWorld.PROVIDER, group, List.of(new LoadBalancing.TargetRef("127.0.0.1", a.port(), null)));
        String healthyIp = TestWorld.listenerIn(dp, TestWorld.AZ2).ip();
        Await.until(DEADLINE, () -> dp.dnsAnswer(regional).orElseThrow().equals(List.of(healthyIp)),
                () -> "DNS still answers " + dp.dnsAnswer(regional));
        JsonNode after = churn(regional);
        assertEquals(List.of(healthyIp + ":" + TestWorld.LISTENER_PORT),
                List.copyOf(iterable(after.path("by_address").fieldNames())), "only the healthy zone's interface");
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
