package io.plsim.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.ResetPeer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plsim.dataplane.LeakCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * plsim's Toxiproxy-compatible API driven by the real Toxiproxy client, {@code toxiproxy-java},
 * as a suite written for Toxiproxy drives it: the endpoints and interfaces as proxies, toxics that
 * act on real connections where their proxy is, updated and removed in place, disable and enable,
 * reset, and Toxiproxy's refusals for what plsim cannot map.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The Toxiproxy client reads without a timeout: a request plsim never answered would hang the build.
@org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class ToxiproxyApiTest {

    private PlsimWorld world;
    private ToxiproxyClient toxiproxy;
    private URI url;
    private InetSocketAddress zoneA;
    private InetSocketAddress zoneB;

    @BeforeAll
    void start() {
        world = PlsimWorld.fromResource("world.yaml");
        assertTrue(world.awaitHealthy(Duration.ofSeconds(10)));
        url = world.toxiproxyUrl();
        toxiproxy = new ToxiproxyClient(url.getHost(), url.getPort());
        Endpoint ep = world.endpoint("your-endpoint");
        zoneA = ep.address("us-east-1a");
        zoneB = ep.address("us-east-1b");
    }

    @BeforeEach
    void reset() throws IOException {
        toxiproxy.reset();
    }

    @AfterAll
    void stop() {
        world.close();
    }

    @Test
    void theWorldsEndpointsAndInterfacesAreItsProxies() throws IOException {
        assertEquals("2.5.0-plsim", toxiproxy.version());
        Set<String> names = toxiproxy.getProxies().stream().map(Proxy::getName).collect(Collectors.toSet());
        assertEquals(Set.of("your-endpoint", "your-endpoint-us-east-1a", "your-endpoint-us-east-1b"), names);
        Proxy a = toxiproxy.getProxy("your-endpoint-us-east-1a");
        assertEquals(zoneA.getAddress().getHostAddress() + ":" + zoneA.getPort(), a.getListen());
        assertTrue(a.isEnabled());
        assertTrue(toxiproxy.getProxy("your-endpoint").getListen().contains(".vpce.amazonaws.com:"),
                "the endpoint's proxy listens at its regional name");
        assertEquals(null, toxiproxy.getProxyOrNull("nope"));
    }

    @Test
    void aLatencyToxicOnOneInterfaceSlowsThatZoneOnlyAndChangesInPlace() throws Exception {
        Proxy a = toxiproxy.getProxy("your-endpoint-us-east-1a");
        Latency slow = a.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 300);
        assertEquals(300, slow.getLatency());
        assertTrue(PlsimWorldTest.echo(zoneA, "slow") >= 300, "zone a through its proxy's toxic");
        assertTrue(PlsimWorldTest.echo(zoneB, "fast") < 300, "zone b untouched");
        assertEquals(List.of("slow"), a.toxics().getAll().stream().map(t -> t.getName()).toList());
        assertEquals(List.of("your-endpoint-us-east-1a/slow"), world.faults().stream().map(PlsimWorld.ActiveFault::name)
                .toList(), "a plsim fault under the proxy's name");
        slow.setLatency(0);
        assertEquals(0, a.toxics().get("slow", Latency.class).getLatency());
        assertTrue(PlsimWorldTest.echo(zoneA, "updated") < 300, "the update reached new connections");
        slow.setToxicity(0.5f);
        assertEquals(0.5f, a.toxics().get("slow").getToxicity());
        slow.remove();
        assertTrue(a.toxics().getAll().isEmpty());
        assertTrue(world.faults().isEmpty());
    }

    @Test
    void anEndpointToxicActsOnEveryInterfaceAndResetClearsIt() throws Exception {
        Proxy ep = toxiproxy.getProxy("your-endpoint");
        ResetPeer cut = ep.toxics().resetPeer("cut", ToxicDirection.UPSTREAM, 0);
        assertEquals(0, cut.getTimeout());
        assertThrows(IOException.class, () -> PlsimWorldTest.echo(zoneA, "a"));
        assertThrows(IOException.class, () -> PlsimWorldTest.echo(zoneB, "b"));
        toxiproxy.reset();
        assertTrue(ep.toxics().getAll().isEmpty());
        PlsimWorldTest.echo(zoneA, "a again");
    }

    @Test
    void aDisabledProxyResetsItsConnectionsUntilEnabled() throws Exception {
        Proxy b = toxiproxy.getProxy("your-endpoint-us-east-1b");
        b.disable();
        assertFalse(b.isEnabled());
        assertFalse(toxiproxy.getProxy("your-endpoint-us-east-1b").isEnabled());
        assertThrows(IOException.class, () -> PlsimWorldTest.echo(zoneB, "b"));
        PlsimWorldTest.echo(zoneA, "a is not disabled");
        b.enable();
        assertTrue(b.isEnabled());
        PlsimWorldTest.echo(zoneB, "b again");
    }

    @Test
    void whatPlsimCannotMapIsRefusedAsToxiproxyRefuses() throws Exception {
        IOException create = assertThrows(IOException.class, () -> toxiproxy.createProxy("redis", "127.0.0.1:6380",
                "127.0.0.1:6379"));
        assertTrue(create.getMessage().startsWith("[400] bad request body: plsim cannot create proxy redis"),
                create.getMessage());
        IOException exists = assertThrows(IOException.class, () -> toxiproxy.createProxy("your-endpoint",
                "127.0.0.1:1", "127.0.0.1:2"));
        assertEquals("[409] proxy already exists", exists.getMessage());
        Proxy a = toxiproxy.getProxy("your-endpoint-us-east-1a");
        a.toxics().latency("once", ToxicDirection.DOWNSTREAM, 10);
        IOException twice = assertThrows(IOException.class, () -> a.toxics().latency("once", ToxicDirection.DOWNSTREAM,
                10));
        assertEquals("[409] toxic already exists", twice.getMessage());
        IOException missing = assertThrows(IOException.class, () -> a.toxics().get("nope"));
        assertEquals("[404] toxic not found", missing.getMessage());

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> noop = http.send(HttpRequest.newBuilder(url.resolve("/proxies/your-endpoint/toxics"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"noop\",\"attributes\":{}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, noop.statusCode());
        assertTrue(noop.body().startsWith("{\"error\":\"invalid toxic type: noop (plsim maps latency, bandwidth,"),
                noop.body());
        HttpResponse<String> both = http.send(HttpRequest.newBuilder(url.resolve("/proxies/your-endpoint/toxics"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"latency\",\"stream\":\"both\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, both.statusCode());
        assertTrue(both.body().contains("stream was invalid"), both.body());
        HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(url.resolve("/proxies/your-endpoint/toxics"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().contains("bad request body: not JSON"), notJson.body());
        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(url.resolve("/proxies/your-endpoint"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, delete.statusCode());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An answer in Toxiproxy's error shape: JSON with the status in it and an error that starts as given. */
    private static void assertToxiproxyError(HttpResponse<String> r, int status, String startsWith) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), r.headers()::toString);
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertEquals(status, body.path("status").asInt(), r.body());
        assertTrue(body.path("error").asText().startsWith(startsWith), r.body());
    }

    /** A toxic's name keeps the rule of fault names; one that does not is refused and nothing is added. */
    @Test
    void aToxicNameOutsideTheRuleOfFaultNamesIsRefused() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String name : List.of("", "nul\u0000here", "two\nlines", " ", "a b", "x".repeat(65), "x".repeat(300), "a/b")) {
            String toxic = json.createObjectNode().put("name", name).put("type", "latency").toString();
            assertToxiproxyError(post("/proxies/your-endpoint/toxics", toxic), 400,
                    "bad request body: a toxic's name is 1 to 64 letters, digits, '.', '_' or '-', found ");
        }
        assertTrue(toxiproxy.getProxy("your-endpoint").toxics().getAll().isEmpty(), "nothing was added");
        String longest = "x.y_z-".repeat(10) + "0123";
        toxiproxy.getProxy("your-endpoint").toxics().latency(longest, ToxicDirection.DOWNSTREAM, 1);
        assertEquals(List.of("your-endpoint/" + longest), world.faults().stream().map(PlsimWorld.ActiveFault::name)
                .toList());
    }

    /** With as many faults in force as plsim holds, a toxic or a disabled proxy is refused as Toxiproxy refuses. */
    @Test
    void atTheLimitOfFaultsInForceTheRefusalIsToxiproxys() throws Exception {
        try {
            for (int n = world.faults().size(); n < io.plsim.dataplane.fault.FaultTable.MAX_FAULTS; n++) {
                world.addFault(FaultSpec.latency(Duration.ZERO));
            }
            assertToxiproxyError(post("/proxies/your-endpoint/toxics", "{\"name\":\"one-more\",\"type\":\"latency\"}"),
                    409, "fault: " + io.plsim.dataplane.fault.FaultTable.MAX_FAULTS + " faults are in force");
            assertToxiproxyError(post("/proxies/your-endpoint", "{\"enabled\":false}"), 409, "fault: ");
            assertTrue(toxiproxy.getProxy("your-endpoint").isEnabled());
        } finally {
            world.removeFaults();
        }
    }

    @Test
    void aBodyAPageCouldPostIsRefusedInToxiproxysShapeAndChangesNothing() throws Exception {
        Proxy a = toxiproxy.getProxy("your-endpoint-us-east-1a");
        a.toxics().latency("kept", ToxicDirection.DOWNSTREAM, 10);
        HttpClient http = HttpClient.newHttpClient();
        for (HttpRequest sent : List.of(
                HttpRequest.newBuilder(url.resolve("/proxies/your-endpoint-us-east-1a"))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")).build(),
                HttpRequest.newBuilder(url.resolve("/reset")).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.noBody()).build())) {
            HttpResponse<String> r = http.send(sent, HttpResponse.BodyHandlers.ofString());
            assertEquals(415, r.statusCode(), sent.uri() + ": " + r.body());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.body().startsWith("{\"error\":\"POST takes a body of Content-Type application/json, not"
                    + " text/plain") && r.body().contains("\"status\":415"), r.body());
        }
        assertTrue(toxiproxy.getProxy("your-endpoint-us-east-1a").isEnabled());
        assertEquals(List.of("kept"), a.toxics().getAll().stream().map(t -> t.getName()).toList());
    }

    @Test
    void aRestartKeepsTheApiWhereItWas() throws Exception {
        toxiproxy.getProxy("your-endpoint").toxics().latency("gone-after", ToxicDirection.DOWNSTREAM, 10);
        world.restart();
        assertEquals(url, world.toxiproxyUrl());
        assertTrue(toxiproxy.getProxy("your-endpoint").toxics().getAll().isEmpty());
        assertTrue(world.awaitHealthy(Duration.ofSeconds(10)));
    }
}
