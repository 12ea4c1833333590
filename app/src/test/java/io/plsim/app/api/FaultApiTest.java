package io.plsim.app.api;

import static io.plsim.dataplane.TestWorld.AZ1;
import static io.plsim.dataplane.TestWorld.AZ2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plsim.core.api.QueryApi;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.FaultView;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TargetView;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestWorld;
import io.plsim.dataplane.Transport;
import io.plsim.app.notify.NotificationHub;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault routes of the admin API, in 127.163.0.0/16, over HTTP to an API server wired as
 * {@code plsim run} wires it: POST /admin/faults answers 201 with exactly the interfaces, nodes and
 * targets the fault applies to; mistakes answer 400 naming the field; GET lists, DELETE removes.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultApiTest {

    private static final int NET = TestBlocks.of(FaultApiTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestWorld world = TestWorld.in(NET).target("us-east-1a", "builtin: echo")
            .target("us-east-1a", "builtin: echo").target("us-east-1b", "builtin: echo");
    private DataPlane dp;
    private NotificationHub hub;
    private ApiServer api;
    private InterfaceListener az1;
    private InterfaceListener az2;

    @BeforeAll
    void start() throws Exception {
        dp = world.start();
        hub = new NotificationHub(List.of());
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(),
                new QueryApi(dp.world()), new AdminRoutes(dp, hub));
        az1 = TestWorld.listenerIn(dp, AZ1);
        az2 = TestWorld.listenerIn(dp, AZ2);
    }

    @AfterEach
    void removeFaults() {
        dp.faults().forEach(f -> dp.removeFault(f.id()));
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.close();
        }
        if (dp != null) {
            dp.close(Duration.ZERO);
        }
        if (hub != null) {
            hub.close();
        }
    }

    private record Answer(int status, JsonNode body, String text) {
    }

    /**
     * One HTTP exchange over {@link HttpURLConnection} (light to start: {@code java.net.http}'s
     * client sets up TLS first, which takes seconds on a busy machine).
     */
    private Answer send(String method, String path, String json) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(api.url() + path).toURL().openConnection();
        try {
            c.setConnectTimeout(3000);
            c.setReadTimeout(5000);
            c.setRequestMethod(method);
            if (json != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(json.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JsonNode body;
            try {
                body = JSON.readTree(text);
            } catch (IOException e) {
                body = null;
            }
            return new Answer(status, body, text);
        } finally {
            c.disconnect();
        }
    }

    private Answer post(String json) throws IOException {
        return send("POST", "/admin/faults", json);
    }

    private Answer get(String path) throws IOException {
        return send("GET", path, null);
    }

    private Answer delete(String path) throws IOException {
        return send("DELETE", path, null);
    }

    /** PATCH, which HttpURLConnection cannot send. */
    private Answer patch(String path, String json) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(api.url() + path)).header("Content-Type", "application/json")
                        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()), r.body());
    }

    /**
     * Parameters beyond what the fault can mean are refused with the range, not wrapped into their
     * opposite (a rate of 1e16 B/s that paced at 130 KB/s, a delay of 1e18 us that delayed nothing),
     * and a JSON key given twice is refused rather than read as its last value.
     */
    @Test
    void extremeParametersAndDuplicateKeysAreRefused() throws Exception {
        for (String[] c : new String[][] {
            {"{\"fault\":\"bandwidth\",\"rate\":10000000000000}", "rate: must be from 0 to 10000000 KB/s"},
            {"{\"fault\":\"slicer\",\"averageSize\":10,\"delay\":1000000000000000000}",
                "delay: must be from 0 to 60000000 us"},
            {"{\"fault\":\"latency\",\"latency\":10,\"jitter\":9223372036854775807}",
                "jitter: must be from 0 to 3600000 ms"},
            {"{\"fault\":\"latency\",\"latency\":1e16}", "latency: expected a whole number"},
            {"{\"fault\":\"latency\",\"latency\":100,\"latency\":5}", "Duplicate field 'latency'"}}) {
            Answer a = post(c[0]);
            assertEquals(400, a.status(), c[0] + " -> " + a.text());
            assertTrue(a.text().contains(c[1]), c[0] + " -> " + a.text());
        }
        assertTrue(dp.faults().isEmpty(), "nothing was put in force");
    }

    @Test
    void aNamedFaultIsUpdatedInPlaceAndRemovedByName() throws Exception {
        Answer added = post("{\"fault\":\"latency\",\"latency\":100,\"name\":\"slow-a\",\"az\":\"" + AZ1 + "\"}");
        assertEquals(201, added.status(), added.text());
        assertEquals("slow-a", added.body().path("name").asText());
        String id = added.body().path("id").asText();
        assertEquals(409, post("{\"fault\":\"timeout\",\"name\":\"slow-a\"}").status(), "a name in force is taken");

        Answer updated = patch("/admin/faults/slow-a", "{\"latency\":300,\"jitter\":5}");
        assertEquals(200, updated.status(), updated.text());
        assertEquals(id, updated.body().path("id").asText(), "the same fault");
        assertEquals(added.body().path("since").asText(), updated.body().path("since").asText());
        assertEquals(300, updated.body().path("params").path("latency").asLong());
        assertEquals(5, updated.body().path("params").path("jitter").asLong());
        assertEquals(AZ1, dp.faults().get(0).fault().scope().zoneId(), "what was not named stays");
        assertEquals(1, dp.faults().size());
        assertEquals(300, dp.faults().get(0).fault().param("latency"), "in force at once");

        assertError(patch("/admin/faults/slow-a", "{\"fault\":\"timeout\"}"), 400, "fault: ");
        assertError(patch("/admin/faults/slow-a", "{\"latency\":\"fast\"}"), 400, "latency");
        assertEquals(404, patch("/admin/faults/nothing", "{\"latency\":1}").status());
        assertEquals(300, dp.faults().get(0).fault().param("latency"), "a refused update changes nothing");

        assertEquals(200, delete("/admin/faults/slow-a").status());
        assertTrue(dp.faults().isEmpty());
    }

    /** The values of one field of every item of an array, sorted. */
    private static List<String> field(JsonNode array, String name) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(name).asText()));
        return new ArrayList<>(new TreeSet<>(out));
    }

    private List<String> targetsIn(String zoneId) {
        return dp.targets().stream().filter(t -> t.zoneId().equals(zoneId)).map(TargetView::address)
                .sorted().toList();
    }

    private List<String> allTargets() {
        return dp.targets().stream().map(TargetView::address).sorted().toList();
    }

    private void assertAppliesTo(Answer a, List<String> interfaces, List<String> nodes, List<String> targets) {
        assertEquals(201, a.status(), a.text());
        JsonNode to = a.body().get("appliesTo");
        assertEquals(interfaces, field(to.get("interfaces"), "ip"), "interfaces of " + a.text());
        assertEquals(nodes, field(to.get("nodes"), "ip"), "nodes of " + a.text());
        assertEquals(targets, field(to.get("targets"), "address"), "targets of " + a.text());
    }

    private void assertError(Answer a, int status, String startsWith) {
        assertEquals(status, a.status(), a.text());
        assertTrue(a.body() != null && a.body().has("error"), "a JSON error: " + a.text());
        String e = a.body().get("error").asText();
        assertTrue(e.startsWith(startsWith), "error should start with \"" + startsWith + "\": " + e);
    }

    @Test
    void postAnswers201WithExactlyWhatTheFaultAppliesTo() throws Exception {
        String node1 = world.nodeIp(AZ1);
        String node2 = world.nodeIp(AZ2);

        Answer outage = post("{\"fault\":\"az-outage\",\"az\":\"" + AZ1 + "\"}");
        assertAppliesTo(outage, List.of(az1.ip()), List.of(node1), targetsIn(AZ1));
        JsonNode b = outage.body();
        assertEquals("az-outage", b.get("fault").asText());
        assertTrue(b.get("id").asText().startsWith("fault-"), b.toString());
        assertEquals("az-outage on az=" + AZ1, b.get("description").asText().substring(b.get("id").asText().length() + 1));
        assertTrue(dp.faults().stream().anyMatch(f -> f.id().equals(b.get("id").asText())), "in force");
        // A fault health checks must notice says how soon they will: here TestWorld's 0.1 s and 2 failures.
        JsonNode checks = b.path("healthChecks");
        assertEquals(1, checks.size(), b.toString());
        assertEquals(0.2, checks.get(0).path("failoverAfterSeconds").asDouble(), 1e-9, b.toString());
        assertTrue(checks.get(0).path("note").asText().endsWith("failover expected after about 0.2 s"), b.toString());

        Answer latency = post("{\"fault\":\"latency\",\"latency\":100,\"jitter\":\"10\",\"stream\":\"downstream\","
                + "\"toxicity\":0.5,\"interface\":\"" + az2.ip() + "\"}");
        assertAppliesTo(latency, List.of(az2.ip()), List.of(), List.of());
        assertEquals(100, latency.body().get("params").get("latency").asLong());
        assertEquals(10, latency.body().get("params").get("jitter").asLong());
        assertEquals("downstream", latency.body().get("stream").asText());
        assertEquals(0.5, latency.body().get("toxicity").asDouble());
        assertEquals("a round trip gains 100 ms (100 ms downstream only, +- 10 ms of jitter)",
                latency.body().path("roundTrip").asText(), "what the direction means, said where it is chosen");
        assertTrue(latency.body().path("healthChecks").isMissingNode(), "a connection fault waits on no health check");

        assertAppliesTo(post("{\"fault\":\"slicer\",\"averageSize\":10}"), List.of(az1.ip(), az2.ip()).stream().sorted()
                .toList(), List.of(), List.of());

        String t = targetsIn(AZ1).get(0);
        assertAppliesTo(post("{\"fault\":\"target-down\",\"target\":\"" + t + "\"}"), List.of(), List.of(), List.of(t));
        assertAppliesTo(post("{\"fault\":\"target-unhealthy\",\"az\":\"" + AZ2 + "\"}"), List.of(), List.of(),
                targetsIn(AZ2));

        // A node that is down blackholes the interfaces it serves.
        assertAppliesTo(post("{\"fault\":\"node-down\",\"node\":\"" + node2 + "\"}"), List.of(az2.ip()),
                List.of(node2), List.of());
        // A connection fault scoped to a node acts on the connections through that node only.
        assertAppliesTo(post("{\"fault\":\"reset-peer\",\"node\":\"" + node1 + "\"}"), List.of(az1.ip()),
                List.of(node1), List.of());
        assertAppliesTo(post("{\"fault\":\"limit-data\",\"bytes\":10,\"target\":\"" + t + "\"}"),
                List.of(az1.ip(), az2.ip()).stream().sorted().toList(), List.of(), List.of(t));
        assertEquals(3, allTargets().size());

        Answer list = get("/admin/faults");
        assertEquals(200, list.status());
        assertEquals(8, list.body().size(), list.text());
        assertEquals(dp.faults().stream().map(FaultView::id).toList(), field(list.body(), "id").stream()
                .sorted(java.util.Comparator.comparingInt(id -> Integer.parseInt(id.substring(6)))).toList());
    }

    @Test
    void deleteRemovesAndAnUnknownIdIs404() throws Exception {
        Answer a = post("{\"fault\":\"refuse-first-n\",\"count\":2}");
        assertEquals(201, a.status(), a.text());
        String id = a.body().get("id").asText();
        Answer d = delete("/admin/faults/" + id);
        assertEquals(200, d.status(), d.text());
        assertTrue(d.body().get("removed").asBoolean());
        assertEquals(id, d.body().get("id").asText());
        assertTrue(dp.faults().isEmpty());
        assertError(delete("/admin/faults/" + id), 404, "no fault " + id);
        assertError(delete("/admin/faults/fault-999"), 404, "no fault fault-999");
        assertEquals(0, get("/admin/faults").body().size());
    }

    @Test
    void mistakesAnswer400NamingTheProblem() throws Exception {
        assertError(post("{\"fault\":\"latency\","), 400, "not JSON");
        assertError(post(""), 400, "expected a JSON object");
        assertError(post("[{\"fault\":\"latency\"}]"), 400, "expected a JSON object");
        assertError(post("{\"fault\":\"packet-loss\",\"rate\":5}"), 400, "fault: unknown kind packet-loss");
        assertError(post("{\"latency\":5}"), 400, "fault: missing");
        assertError(post("{\"fault\":\"latency\"}"), 400, "latency: missing");
        assertError(post("{\"fault\":\"latency\",\"latency\":-5}"), 400, "latency: must not be negative");
        assertError(post("{\"fault\":\"latency\",\"latency\":5,\"toxicity\":3}"), 400, "toxicity:");
        assertError(post("{\"fault\":\"latency\",\"latency\":5,\"az\":[\"" + AZ1 + "\"]}"), 400, "az: expected a single value");
        assertError(post("{\"fault\":\"az-outage\"}"), 400, "az:");
        assertError(post("{\"fault\":\"az-outage\",\"az\":\"use1-az9\"}"), 400, "az: no zone ID use1-az9");
        assertError(post("{\"fault\":\"latency\",\"latency\":5,\"interface\":\"10.9.9.9\"}"), 400,
                "interface: no endpoint network interface");
        assertError(post("{\"fault\":\"node-down\",\"node\":\"127.163.3.10\"}"), 400, "node: no NLB node");
        assertError(post("{\"fault\":\"target-down\",\"target\":\"127.0.0.1:1\"}"), 400, "target: no target");
        assertError(post("{\"fault\":\"latency\",\"latency\":5,\"endpoint\":\"vpce-00000000000000000\"}"), 400,
                "endpoint: no endpoint");
        assertTrue(dp.faults().isEmpty(), "nothing refused is in force: " + dp.faults());
    }

    /**
     * A scope that names what the world lacks is refused the same whether it comes through the admin
     * API or straight to the data plane in the JVM: a zone ID no account has, or a zone name where
     * the zone ID belongs (both accounts name a zone us-east-1a, each another zone).
     */
    @Test
    void theAdminApiAndTheDataPlaneRefuseAScopeWithOneMessage() throws Exception {
        for (String az : List.of("use1-az9", "us-east-1a")) {
            Answer a = post("{\"fault\":\"az-outage\",\"az\":\"" + az + "\"}");
            assertError(a, 400, "az: no zone ID " + az + " in this world");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dp.addFault(
                    io.plsim.core.model.Fault.parse(java.util.Map.of("fault", "az-outage", "az", az))));
            assertEquals(a.body().get("error").asText(), e.getMessage());
        }
        assertTrue(post("{\"fault\":\"az-outage\",\"az\":\"us-east-1a\"}").body().get("error").asText()
                .contains("us-east-1a is a zone name"), "a zone name is called one");
        Answer added = post("{\"fault\":\"latency\",\"latency\":5,\"name\":\"moving\",\"az\":\"" + AZ1 + "\"}");
        assertEquals(201, added.status(), added.text());
        assertError(patch("/admin/faults/moving", "{\"az\":\"use1-az9\"}"), 400, "az: no zone ID use1-az9");
        assertThrows(IllegalArgumentException.class, () -> dp.updateFault("moving",
                io.plsim.core.model.Fault.parse(java.util.Map.of("fault", "latency", "latency", "5", "az", "use1-az9"))));
        assertEquals(AZ1, dp.faults().get(0).fault().scope().zoneId(), "the fault refused a move stays as it was");
    }
}
