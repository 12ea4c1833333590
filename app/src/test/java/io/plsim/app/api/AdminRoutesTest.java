package io.plsim.app.api;

import static io.plsim.app.api.ApiWorld.CONSUMER;
import static io.plsim.app.api.ApiWorld.CONSUMER_KEY;
import static io.plsim.app.api.ApiWorld.CONSUMER_ROOT_ARN;
import static io.plsim.app.api.ApiWorld.NLB_VPCE;
import static io.plsim.app.api.ApiWorld.PROVIDER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plsim.dataplane.Await;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * The read-only views of a running world, after changes made through the EC2 API and traffic on
 * real sockets (127.125.0.0/16): {@code /admin/world}, {@code /admin/events}, {@code /metrics}.
 */
@ExtendWith(LeakCheck.class)
class AdminRoutesTest {

    private static final int NET = TestBlocks.of(AdminRoutesTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiWorld w;
    private HttpClient http;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        w = ApiWorld.start(NET);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        if (w != null) {
            w.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(w.url() + path)).timeout(Duration.ofSeconds(5)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> res = get(path);
        assertEquals(200, res.statusCode(), res::body);
        assertTrue(res.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                () -> res.headers().map().toString());
        return JSON.readTree(res.body());
    }

    @Test
    void worldEventsAndMetricsFollowTheApiAndTheTraffic() throws Exception {
        Ec2Client provider = w.client(PROVIDER_KEY);
        Ec2Client consumer = w.client(CONSUMER_KEY);
        String sid = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(w.nlbArn(NLB_VPCE))
                .acceptanceRequired(true)).serviceConfiguration().serviceId();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(CONSUMER_ROOT_ARN));
        String eid = consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE)
                .vpcId(w.consumerVpc()).serviceName("com.amazonaws.vpce.us-east-1." + sid)
                .subnetIds(w.consumerSubnet("us-east-1a"), w.consumerSubnet("us-east-1c"))).vpcEndpoint()
                .vpcEndpointId();
        Await.until(DEADLINE, () -> w.listeners(eid).size() == 2, () -> "listeners: " + w.listeners(eid));

        // ---- /admin/world: the endpoint, pending, with its interfaces and listeners
        JsonNode world = json("/admin/world");
        JsonNode ep = endpoint(world, eid);
        assertEquals("pendingAcceptance", ep.path("state").asText());
        assertEquals(CONSUMER, ep.path("owner").asText());
        assertEquals(sid, ep.path("serviceId").asText());
        assertEquals(2, ep.path("interfaces").size(), ep::toString);
        for (JsonNode i : ep.path("interfaces")) {
            assertTrue(i.path("privateIp").asText().startsWith("127." + NET + "."), i::toString);
            assertEquals(1, i.path("listeners").size(), i::toString);
        }
        assertTrue(world.path("services").toString().contains(sid), world::toString);

        // ---- accept, then traffic through the interface in the consumer's us-east-1a
        provider.acceptVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(eid));
        w.awaitHealthy(NLB_VPCE);
        InterfaceListener a = w.listeners(eid).stream().filter(l -> l.zoneName().equals("us-east-1a")).findFirst()
                .orElseThrow();
        for (int i = 0; i < 3; i++) {
            TestClient c = TestClient.connect(a);
            clients.add(c);
            assertEquals("ping " + i, c.roundTrip("ping " + i));
        }
        assertEquals("available", endpoint(json("/admin/world"), eid).path("state").asText());

        // ---- /admin/events: the endpoint's creation and its acceptance, newest last
        JsonNode events = json("/admin/events?limit=50");
        assertTrue(events.isArray() && events.size() > 0, events::toString);
        List<String> mine = new ArrayList<>();
        events.forEach(e -> {
            if (eid.equals(e.path("endpoint").asText())) {
                mine.add(e.path("kind").asText() + ":" + e.path("to").asText());
            }
        });
        assertTrue(mine.contains("endpoint-created:pendingAcceptance"), mine::toString);
        assertTrue(mine.contains("endpoint-state:available"), mine::toString);
        assertTrue(mine.indexOf("endpoint-created:pendingAcceptance") < mine.indexOf("endpoint-state:available"),
                mine::toString);
        assertEquals(1, json("/admin/events?limit=1").size());
        assertEquals(400, get("/admin/events?limit=0").statusCode());

        // ---- /admin: the index, made from the route table
        assertEquals("{\"routes\":[\"/admin/world\",\"/admin/events?limit=N\",\"/admin/notifications?topic=ARN&limit=N\","
                + "\"/admin/faults\",\"/admin/dns/records\",\"/metrics\"]}", get("/admin").body());

        // ---- /metrics: Prometheus text, admitted connections by endpoint and zone
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"),
                () -> metrics.headers().map().toString());
        String text = metrics.body();
        assertTrue(text.contains("# TYPE plsim_connections_admitted_total counter"), text);
        assertEquals(3L, sample(text, "plsim_connections_admitted_total", "endpoint=\"" + eid + "\"",
                "az=\"us-east-1a\""), text);
        assertEquals(0L, sample(text, "plsim_connections_admitted_total", "endpoint=\"" + eid + "\"",
                "az=\"us-east-1c\""), text);
        assertTrue(text.contains("# TYPE plsim_notifications_delivered_total counter"), text);
        for (String line : text.split("\n")) {
            assertTrue(line.startsWith("#") || line.matches("[a-z_]+(\\{[^}]*\\})? -?[0-9.eE+-]+"),
                    () -> "not a Prometheus sample line: " + line);
        }
    }

    private static JsonNode endpoint(JsonNode world, String eid) {
        for (JsonNode e : world.path("endpoints")) {
            if (eid.equals(e.path("vpcEndpointId").asText())) {
                return e;
            }
        }
        throw new AssertionError("no endpoint " + eid + " in " + world);
    }

    /** The value of the one sample of {@code name} whose labels contain every one of {@code labels}. */
    private static long sample(String text, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\d+)$").matcher(text);
        List<Long> found = new ArrayList<>();
        while (m.find()) {
            String l = m.group(1);
            boolean all = true;
            for (String want : labels) {
                all &= l.contains(want);
            }
            if (all) {
                found.add(Long.parseLong(m.group(2)));
            }
        }
        assertEquals(1, found.size(), () -> "samples of " + name + " " + List.of(labels) + ": " + found);
        return found.get(0);
    }
}
