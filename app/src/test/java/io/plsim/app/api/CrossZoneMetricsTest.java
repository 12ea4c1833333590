package io.plsim.app.api;

import static io.plsim.dataplane.TestWorld.AZ1;
import static io.plsim.dataplane.TestWorld.AZ2;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plsim.app.console.ConsoleRoutes;
import io.plsim.app.notify.NotificationHub;
import io.plsim.core.api.QueryApi;
import io.plsim.dataplane.Await;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestClient;
import io.plsim.dataplane.TestTarget;
import io.plsim.dataplane.TestWorld;
import io.plsim.dataplane.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cross-zone bytes as {@code /metrics}, {@code /admin/world} and the console's live view show them, in
 * 127.174.0.0/16: cross-zone on, one target in the provider's us-east-1a (use1-az1), a flow of known
 * size each way through the consumer's use1-az2 interface (across zones) and one through its use1-az1
 * interface (within its zone, which counts nothing).
 */
@ExtendWith(LeakCheck.class)
class CrossZoneMetricsTest {

    private static final int NET = TestBlocks.of(CrossZoneMetricsTest.class);
    private static final int REQUEST = 12_345;
    private static final int RESPONSE = 54_321;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTarget target;
    private DataPlane dp;
    private NotificationHub hub;
    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        target = TestTarget.start(TestTarget.answering(REQUEST, RESPONSE));
        dp = TestWorld.in(NET).crossZone(true).proxyProtocol("false").targetAt("us-east-1a", target.port()).start();
        TestWorld.awaitHealthy(dp);
        hub = new NotificationHub(List.of());
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(), new QueryApi(dp.world()),
                HttpRoutes.inTurn(new ConsoleRoutes(dp), new AdminRoutes(dp, hub)));
    }

    @AfterEach
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
        if (target != null) {
            target.close();
        }
    }

    private static void askAndRead(InterfaceListener l) throws IOException {
        try (TestClient c = TestClient.connect(l)) {
            assertEquals(RESPONSE, c.sendAndReadToEnd(REQUEST), "the whole answer");
        }
    }

    private String get(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(api.url() + path).toURL().openConnection();
        try {
            c.setConnectTimeout(3000);
            c.setReadTimeout(5000);
            assertEquals(200, c.getResponseCode(), path);
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            c.disconnect();
        }
    }

    private List<String> crossZoneLines() {
        try {
            return get("/metrics").lines().filter(l -> l.startsWith("plsim_cross_zone_")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void metricsWorldAndLiveViewShowTheBytesEachWayAndTheirCost() throws Exception {
        askAndRead(TestWorld.listenerIn(dp, AZ1));
        askAndRead(TestWorld.listenerIn(dp, AZ2));
        String endpoint = dp.interfaceStats().get(0).endpointId();
        String labels = "endpoint=\"" + endpoint + "\",load_balancer=\"test-nlb\"";
        double cost = (REQUEST + RESPONSE) / (1024.0 * 1024 * 1024) * 0.01;
        List<String> expected = List.of(
                "plsim_cross_zone_bytes_total{" + labels + ",from_zone=\"" + AZ2 + "\",to_zone=\"" + AZ1
                        + "\",direction=\"consumer_to_target\"} " + REQUEST,
                "plsim_cross_zone_bytes_total{" + labels + ",from_zone=\"" + AZ1 + "\",to_zone=\"" + AZ2
                        + "\",direction=\"target_to_consumer\"} " + RESPONSE,
                "plsim_cross_zone_price_usd_per_gb 0.01",
                "plsim_cross_zone_cost_usd{" + labels + "} " + BigDecimal.valueOf(cost).toPlainString());
        // The flow within use1-az1 has no series: only the one across zones is there.
        Await.until(Duration.ofSeconds(5), () -> crossZoneLines().equals(expected), () -> "metrics " + crossZoneLines());

        JsonNode want = JSON.readTree("{\"pricePerGb\":0.01,\"pairs\":[{\"endpointId\":\"" + endpoint
                + "\",\"loadBalancer\":\"test-nlb\",\"interfaceZoneId\":\"" + AZ2 + "\",\"targetZoneId\":\"" + AZ1
                + "\",\"bytesToTarget\":" + REQUEST + ",\"bytesToConsumer\":" + RESPONSE + ",\"cost\":" + cost
                + "}],\"bytes\":" + (REQUEST + RESPONSE) + ",\"cost\":" + cost + "}");
        assertEquals(want, JSON.readTree(get("/console/api/live")).path("crossZone"));
        assertEquals(want, JSON.readTree(get("/admin/world")).path("crossZone"));
    }
}
