package io.plsim.app.console;

import static io.plsim.app.api.ApiWorld.CONSUMER_KEY;
import static io.plsim.app.api.ApiWorld.CONSUMER_ROOT_ARN;
import static io.plsim.app.api.ApiWorld.NLB_VPCE;
import static io.plsim.app.api.ApiWorld.PROVIDER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plsim.app.api.ApiWorld;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * The console's routes over HTTP, in 127.129.0.0/16: the page and its files, served with a policy that
 * lets them load nothing from elsewhere; the identities the page may act as; the live counters it draws.
 */
@ExtendWith(LeakCheck.class)
class ConsoleRoutesTest {

    private static final int NET = TestBlocks.of(ConsoleRoutesTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private static ApiWorld w;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @BeforeAll
    static void start() throws Exception {
        w = ApiWorld.start(NET);
    }

    @AfterAll
    static void stop() {
        if (w != null) {
            w.close();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(w.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsFilesAreServedFromTheJarAndMayLoadNothingFromElsewhere() throws Exception {
        HttpResponse<String> bare = get("/console");
        assertEquals(308, bare.statusCode());
        assertEquals("/console/", bare.headers().firstValue("Location").orElse(null));

        HttpResponse<String> page = get("/console/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"), csp);
        assertTrue(page.body().contains("<script type=\"module\" src=\"console.js\""), page.body());

        List<String[]> files = new ArrayList<>();
        ConsoleRoutes.MODULES.forEach(m -> files.add(new String[] {m, "text/javascript"}));
        files.add(new String[] {"console.css", "text/css"});
        files.add(new String[] {"index.html", "text/html"});
        for (String[] file : files) {
            HttpResponse<String> r = get("/console/" + file[0]);
            assertEquals(200, r.statusCode(), file[0]);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(file[1]), file[0]);
            // Self-contained: no file names another origin (the SVG namespace is a name, not a fetch).
            Matcher m = Pattern.compile("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}").matcher(r.body());
            while (m.find()) {
                assertEquals("http://www.w3.org", m.group(), file[0] + " names another origin");
            }
        }
        assertEquals(404, get("/console/nothing.js").statusCode());
        assertEquals(404, get("/console/../admin/world").statusCode());
    }

    @Test
    void theSessionListsEveryAccountRootAndConfiguredKeyAndTheFaultKinds() throws Exception {
        JsonNode s = JSON.readTree(get("/console/api/session").body());
        assertEquals("us-east-1", s.path("region").asText());
        List<String> ids = new ArrayList<>();
        s.path("identities").forEach(i -> ids.add(i.path("accessKeyId").asText() + " " + i.path("principal").asText()));
        assertTrue(ids.contains(ApiWorld.PROVIDER + " arn:aws:iam::" + ApiWorld.PROVIDER + ":root"), ids::toString);
        assertTrue(ids.contains(ApiWorld.ALICE_KEY + " arn:aws:iam::" + ApiWorld.PROVIDER + ":user/alice"), ids::toString);
        assertTrue(ids.contains(ApiWorld.BOB_KEY + " arn:aws:iam::" + ApiWorld.CONSUMER + ":user/bob"), ids::toString);
        // each principal once: the root signs with its account ID, not again with the key listed for it
        List<String> principals = ids.stream().map(x -> x.substring(x.indexOf(' ') + 1)).toList();
        assertEquals(principals.size(), new java.util.HashSet<>(principals).size(), ids::toString);
        assertFalse(ids.contains(ApiWorld.PROVIDER_KEY + " arn:aws:iam::" + ApiWorld.PROVIDER + ":root"), ids::toString);
        assertEquals("provider", s.path("identities").get(0).path("accountName").asText(), s::toPrettyString);
        JsonNode latency = null;
        for (JsonNode k : s.path("faultKinds")) {
            if (k.path("kind").asText().equals("latency")) {
                latency = k;
            }
        }
        assertTrue(latency != null && latency.path("connectionFault").asBoolean(), s::toPrettyString);
        assertEquals("ms", latency.path("params").get(0).path("unit").asText());
        assertTrue(latency.path("params").get(0).path("required").asBoolean());
        assertFalse(latency.path("params").get(1).path("required").asBoolean());
    }

    @Test
    void theLiveCountersFollowTheDataPlane() throws Exception {
        Ec2Client provider = w.client(PROVIDER_KEY);
        Ec2Client consumer = w.client(CONSUMER_KEY);
        String sid = openService(provider, NLB_VPCE);
        String eid = consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE).vpcId(w.consumerVpc())
                .serviceName("com.amazonaws.vpce.us-east-1." + sid).subnetIds(w.consumerSubnet("us-east-1a")))
                .vpcEndpoint().vpcEndpointId();
        w.awaitHealthy(NLB_VPCE);
        Await.until(DEADLINE, () -> w.listeners(eid).size() == 1, () -> "the listener of " + eid);
        InterfaceListener l = w.listeners(eid).get(0);
        JsonNode before = iface(JSON.readTree(get("/console/api/live").body()), eid);
        assertEquals(0, before.path("admitted").asLong());
        for (int i = 0; i < 3; i++) {
            try (TestClient c = TestClient.connect(l)) {
                assertEquals("ping " + i, c.roundTrip("ping " + i));
            }
        }
        Await.until(DEADLINE, () -> w.dp().stats().openConnections() == 0, "connections closed");
        JsonNode live = JSON.readTree(get("/console/api/live").body());
        JsonNode after = iface(live, eid);
        assertEquals(3, after.path("admitted").asLong(), after::toString);
        assertEquals(l.ip(), after.path("ip").asText());
        assertEquals("use1-az2", after.path("zoneId").asText());
        long flows = 0;
        for (JsonNode lb : live.path("loadBalancers")) {
            for (JsonNode t : lb.path("targets")) {
                flows += lb.path("name").asText().equals(NLB_VPCE) ? t.path("flows").asLong() : 0;
            }
        }
        assertEquals(3, flows, live.path("loadBalancers")::toString);
        boolean answered = false;
        for (JsonNode d : live.path("dns")) {
            if (d.path("endpointId").asText().equals(eid) && d.path("zoneName").isNull()) {
                answered = d.path("answer").toString().equals("[\"" + l.ip() + "\"]");
            }
        }
        assertTrue(answered, live.path("dns")::toString);

        // The zone's totals hold what the endpoint counted, and keep it once the endpoint is deleted.
        long zoneAdmitted = live.path("zoneTotals").path("use1-az2").path("admitted").asLong();
        assertTrue(zoneAdmitted >= 3, live.path("zoneTotals")::toString);
        assertEquals(List.of(), consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(eid)).unsuccessful());
        Await.until(DEADLINE, () -> w.dp().interfaceStats().stream().noneMatch(i -> i.endpointId().equals(eid)),
                () -> "the interface of " + eid + " gone");
        JsonNode gone = JSON.readTree(get("/console/api/live").body());
        assertEquals(zoneAdmitted, gone.path("zoneTotals").path("use1-az2").path("admitted").asLong(),
                gone.path("zoneTotals")::toString);
    }

    @Test
    void theNotificationLogAnswersTheLatestWhenAskedForALimit() throws Exception {
        Ec2Client provider = w.client(PROVIDER_KEY);
        Ec2Client consumer = w.client(CONSUMER_KEY);
        String sid = openService(provider, ApiWorld.NLB_TWO);
        String topic = "arn:aws:sns:us-east-1:" + ApiWorld.PROVIDER + ":console-limit";
        provider.createVpcEndpointConnectionNotification(r -> r.serviceId(sid).connectionNotificationArn(topic)
                .connectionEvents("Connect", "Accept"));
        consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE).vpcId(w.consumerVpc())
                .serviceName("com.amazonaws.vpce.us-east-1." + sid).subnetIds(w.consumerSubnet("us-east-1c")));
        String q = "/admin/notifications?topic=" + java.net.URLEncoder.encode(topic, java.nio.charset.StandardCharsets.UTF_8);
        // The hub publishes as the control plane emits, on the caller's thread: both are logged already.
        assertEquals(2, JSON.readTree(get(q).body()).size(), "Connect and Accept in the log of " + topic);
        JsonNode latest = JSON.readTree(get(q + "&limit=1").body());
        assertEquals(1, latest.size(), latest::toString);
        assertEquals("Accept", JSON.readTree(latest.get(0).path("Message").asText()).path("eventType").asText());
        HttpResponse<String> bad = get(q + "&limit=0");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("limit must be a whole number from 1, found 0"), bad.body());
    }

    /** A service on {@code nlb} that accepts the consumer's endpoints without asking. */
    private static String openService(Ec2Client provider, String nlb) {
        String sid = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(w.nlbArn(nlb))
                .acceptanceRequired(false)).serviceConfiguration().serviceId();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(CONSUMER_ROOT_ARN));
        return sid;
    }

    private static JsonNode iface(JsonNode live, String endpointId) {
        for (JsonNode i : live.path("interfaces")) {
            if (i.path("endpointId").asText().equals(endpointId)) {
                return i;
            }
        }
        throw new AssertionError("no interface of " + endpointId + " in " + live.toPrettyString());
    }
}
