package io.plsim.dataplane;

import static io.plsim.dataplane.TestWorld.AZ1;
import static io.plsim.dataplane.TestWorld.AZ2;
import static io.plsim.dataplane.TestWorld.CONSUMER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.ModifyEndpointRequest;
import io.plsim.core.control.VpcEndpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What ModifyVpcEndpoint does to traffic, on real sockets in 127.169.0.0/16: a removed subnet's
 * interface stops listening, its open connections are reset and DNS stops naming it, while the other
 * zone's go on; an added subnet's interface listens and relays at once.
 */
@ExtendWith(LeakCheck.class)
class ModifyEndpointTest {

    private static final int NET = TestBlocks.of(ModifyEndpointTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    final DataPlanes dataPlanes = new DataPlanes();

    private DataPlane dp;

    private TestClient connect(InterfaceListener l) {
        return dataPlanes.client(TestClient.connect(l));
    }

    private static boolean refused(InterfaceListener l) {
        try (java.net.Socket s = new java.net.Socket(l.ip(), l.port())) {
            return false;
        } catch (java.net.ConnectException e) {
            return true;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private VpcEndpoint endpoint() {
        return dp.world().controlPlane().endpoints().stream()
                .filter(e -> e.vpcEndpointId().equals(TestWorld.endpointId(dp))).findFirst().orElseThrow();
    }

    @Test
    void aRemovedSubnetStopsListeningAndResetsItsFlowsAndAnAddedOneRelaysAtOnce() throws Exception {
        TestTarget a = dataPlanes.target(TestTarget.echo());
        TestTarget b = dataPlanes.target(TestTarget.echo());
        TestWorld w = TestWorld.in(NET).crossZone(true).proxyProtocol("false")
                .healthCheck("{intervalSeconds: 0.1, timeoutSeconds: 0.1, healthyThreshold: 2, unhealthyThreshold: 2}")
                .targetAt("us-east-1a", a.port()).targetAt("us-east-1b", b.port());
        dp = dataPlanes.startHealthy(w);
        InterfaceListener inAz1 = TestWorld.listenerIn(dp, AZ1);
        InterfaceListener inAz2 = TestWorld.listenerIn(dp, AZ2);
        TestClient viaAz1 = connect(inAz1);
        TestClient viaAz2 = connect(inAz2);
        assertEquals("one", viaAz1.roundTrip("one"));
        assertEquals("two", viaAz2.roundTrip("two"));
        String regional = endpoint().dnsEntries().get(0).dnsName();
        assertEquals(2, dp.dnsAnswer(regional).orElseThrow().size());

        // The consumer's us-east-1b is use1-az1.
        String subnetAz1 = w.consumerSubnet("us-east-1b");
        dp.world().controlPlane().modifyVpcEndpoint(CONSUMER, ModifyEndpointRequest.subnets(TestWorld.endpointId(dp),
                List.of(), List.of(subnetAz1)));

        assertEquals(TestClient.Outcome.RESET, viaAz1.awaitEnd(DEADLINE), "the removed interface's flow is reset");
        assertEquals("still", viaAz2.roundTrip("still"), "the other zone's flow goes on");
        assertTrue(dp.listeners(TestWorld.endpointId(dp)).stream().noneMatch(l -> l.zoneId().equals(AZ1)));
        Await.until(DEADLINE, () -> refused(inAz1), () -> "the removed interface still accepts");
        assertEquals(List.of(inAz2.ip()), dp.dnsAnswer(regional).orElseThrow(), "DNS names the remaining interface only");
        assertFalse(endpoint().dnsEntries().stream().map(DnsEntry::zoneName).anyMatch("us-east-1b"::equals));

        dp.world().controlPlane().modifyVpcEndpoint(CONSUMER, ModifyEndpointRequest.subnets(TestWorld.endpointId(dp),
                List.of(subnetAz1), List.of()));
        Await.until(DEADLINE, () -> dp.listeners(TestWorld.endpointId(dp)).stream().anyMatch(l -> l.zoneId().equals(AZ1)),
                () -> "the added interface listens: " + dp.listeners());
        InterfaceListener back = TestWorld.listenerIn(dp, AZ1);
        assertEquals("back", connect(back).roundTrip("back"));
        assertEquals(2, dp.dnsAnswer(regional).orElseThrow().size());
    }
}
