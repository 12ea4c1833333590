package io.plsim.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plsim.dataplane.FaultReach;
import io.plsim.dataplane.LeakCheck;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fault's handle says what it applies to and how soon health checks notice it, as the admin API does. */
@ExtendWith(LeakCheck.class)
class ActiveFaultTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** GET /admin/faults, over HttpURLConnection, which is light to start. */
    private static JsonNode adminFaults(PlsimWorld world) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(world.apiUrl() + "/admin/faults").toURL().openConnection();
        try {
            c.setConnectTimeout(3000);
            c.setReadTimeout(5000);
            assertEquals(200, c.getResponseCode());
            try (InputStream in = c.getInputStream()) {
                return new ObjectMapper().readTree(in);
            }
        } finally {
            c.disconnect();
        }
    }

    private static List<String> texts(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    @Test
    void anActiveFaultCarriesWhatItAppliesToAndItsHealthChecks() throws Exception {
        try (PlsimWorld world = PlsimWorld.fromResource("world.yaml")) {
            world.waitForHealthy(DEADLINE);
            PlsimWorld.ActiveFault outage = world.addFault(FaultSpec.azOutage("use1-az1"));
            FaultReach reach = outage.appliesTo();
            assertEquals(1, reach.nodes().size(), reach.toString());
            assertEquals("use1-az1", reach.nodes().get(0).zoneId());
            assertEquals("your-nlb", reach.nodes().get(0).loadBalancer());
            assertEquals(1, reach.targets().size(), reach.toString());
            assertEquals(List.of(world.endpoint("your-endpoint").id()),
                    reach.interfaces().stream().map(FaultReach.Interface::endpoint).toList());
            assertEquals(1, outage.healthChecks().size(), outage.toString());
            FaultReach.HealthChecks checks = outage.healthChecks().get(0);
            assertEquals("your-nlb", checks.loadBalancer());
            assertEquals(0.2, checks.failoverAfterSeconds(), 1e-9);
            assertTrue(checks.note().endsWith("failover expected after about 0.2 s"), checks.note());

            PlsimWorld.ActiveFault latency = world.addFault(FaultSpec.latency(Duration.ofMillis(5)).inZone("use1-az2"));
            assertEquals(List.of(), latency.healthChecks(), "a connection fault waits on no health check");
            assertEquals(List.of(), latency.appliesTo().nodes());
            assertEquals(1, latency.appliesTo().interfaces().size(), latency.toString());

            // The same facts as the admin API's, fault for fault.
            JsonNode admin = adminFaults(world);
            List<PlsimWorld.ActiveFault> handles = world.faults();
            assertEquals(2, admin.size(), admin.toString());
            for (int i = 0; i < handles.size(); i++) {
                FaultReach r = handles.get(i).appliesTo();
                JsonNode to = admin.get(i).path("appliesTo");
                assertEquals(texts(to.path("interfaces"), "ip"), r.interfaces().stream().map(FaultReach.Interface::ip)
                        .toList());
                assertEquals(texts(to.path("nodes"), "ip"), r.nodes().stream().map(FaultReach.Node::ip).toList());
                assertEquals(texts(to.path("targets"), "address"), r.targets().stream().map(FaultReach.Target::address)
                        .toList());
            }
        }
    }
}
