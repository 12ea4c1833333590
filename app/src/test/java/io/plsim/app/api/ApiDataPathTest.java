package io.plsim.app.api;

import static io.plsim.app.api.ApiWorld.CONSUMER_KEY;
import static io.plsim.app.api.ApiWorld.CONSUMER_ROOT_ARN;
import static io.plsim.app.api.ApiWorld.NLB_VPCE;
import static io.plsim.app.api.ApiWorld.NLB_VPCE_PORT;
import static io.plsim.app.api.ApiWorld.PROVIDER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.Await;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestClient;
import io.plsim.dataplane.TestClient.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * The API drives the data path, on real sockets in 127.122.0.0/16: an endpoint created through the
 * API listens; it resets connections while {@code pendingAcceptance}; the AcceptVpcEndpointConnections
 * call, once it has returned, has opened the path for the very next connection; RejectVpcEndpointConnections
 * resets the open ones, and DeleteVpcEndpoints closes the listeners.
 */
@ExtendWith(LeakCheck.class)
class ApiDataPathTest {

    private static final int NET = TestBlocks.of(ApiDataPathTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private ApiWorld w;
    private Ec2Client provider;
    private Ec2Client consumer;
    private final List<TestClient> clients = new ArrayList<>();
    private String sid;
    private String serviceName;

    @BeforeEach
    void start() throws Exception {
        w = ApiWorld.start(NET);
        provider = w.client(PROVIDER_KEY);
        consumer = w.client(CONSUMER_KEY);
        sid = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(w.nlbArn(NLB_VPCE))
                .acceptanceRequired(true)).serviceConfiguration().serviceId();
        serviceName = "com.amazonaws.vpce.us-east-1." + sid;
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(CONSUMER_ROOT_ARN));
        w.awaitHealthy(NLB_VPCE);
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        if (w != null) {
            w.close();
        }
    }

    private String createEndpoint(String... consumerZones) {
        List<String> subnets = new ArrayList<>();
        for (String z : consumerZones) {
            subnets.add(w.consumerSubnet(z));
        }
        String eid = consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE)
                .vpcId(w.consumerVpc()).serviceName(serviceName).subnetIds(subnets)).vpcEndpoint().vpcEndpointId();
        Await.until(DEADLINE, () -> w.listeners(eid).size() == consumerZones.length,
                () -> "listeners of " + eid + ": " + w.listeners(eid));
        return eid;
    }

    private TestClient open(InterfaceListener l, String line) throws Exception {
        TestClient c = TestClient.connect(l);
        clients.add(c);
        assertEquals(line, c.roundTrip(line), "echo through " + l.address());
        return c;
    }

    @Test
    void acceptOpensTheDataPathForTheVeryNextConnection() throws Exception {
        // three endpoints in turn, so that a race between the accept call and admission would show
        for (int round = 0; round < 3; round++) {
            String eid = createEndpoint(round % 2 == 0 ? "us-east-1a" : "us-east-1c");
            InterfaceListener l = w.listeners(eid).get(0);
            assertEquals(NLB_VPCE_PORT, l.port());
            assertEquals(Outcome.RESET, TestClient.probe(l, Duration.ofSeconds(2)),
                    "pendingAcceptance: reset, " + l.address());

            assertEquals(List.of(), provider.acceptVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(eid))
                    .unsuccessful());
            // the very first connection after the call returned is relayed
            open(l, "first after accept, round " + round);
        }
        assertTrue(w.dp().stats().admitted() >= 3, () -> "admitted: " + w.dp().stats());
        assertEquals(3L, w.dp().stats().denied().getOrDefault("endpoint-pendingAcceptance", 0L),
                () -> "denied: " + w.dp().stats().denied());
    }

    @Test
    void rejectResetsOpenConnectionsAndDeniesNewOnes() throws Exception {
        String eid = createEndpoint("us-east-1a", "us-east-1c");
        assertEquals(List.of(), provider.acceptVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(eid))
                .unsuccessful());
        List<TestClient> open = new ArrayList<>();
        for (InterfaceListener l : w.listeners(eid)) {
            for (int i = 0; i < 3; i++) {
                open.add(open(l, "conn " + i + " via " + l.zoneName()));
            }
        }
        assertEquals(6, w.dp().stats().openConnections(), () -> "open: " + w.dp().stats());

        assertEquals(List.of(), provider.rejectVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(eid))
                .unsuccessful());
        for (TestClient c : open) {
            assertEquals(Outcome.RESET, c.awaitEnd(DEADLINE), "an open connection of a rejected endpoint");
        }
        for (InterfaceListener l : w.listeners(eid)) {
            assertEquals(Outcome.RESET, TestClient.probe(l, Duration.ofSeconds(2)), "rejected: " + l.address());
        }
        Await.until(DEADLINE, () -> w.dp().stats().openConnections() == 0, () -> "open: " + w.dp().stats());
        assertEquals("rejected", consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(eid)).vpcEndpoints().get(0)
                .stateAsString());
    }

    @Test
    void deleteThroughTheApiResetsOpenConnectionsAndClosesTheListeners() throws Exception {
        String eid = createEndpoint("us-east-1c");
        assertEquals(List.of(), provider.acceptVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(eid))
                .unsuccessful());
        InterfaceListener l = w.listeners(eid).get(0);
        TestClient c = open(l, "before delete");

        assertEquals(List.of(), consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(eid)).unsuccessful());
        assertEquals(Outcome.RESET, c.awaitEnd(DEADLINE));
        Await.until(DEADLINE, () -> w.listeners(eid).isEmpty(), () -> "listeners: " + w.listeners(eid));
        Await.until(DEADLINE, () -> TestClient.probe(l, Duration.ofSeconds(1)) == Outcome.REFUSED,
                () -> "the listener " + l.address() + " of a deleted endpoint still accepts");
    }
}
