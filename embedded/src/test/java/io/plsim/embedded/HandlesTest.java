package io.plsim.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.LeakCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** Services, load balancers and states by handle, SDK clients ready to use, and waits that say what they saw. */
@ExtendWith(LeakCheck.class)
class HandlesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    void handlesAndSdkClientsWithoutReachingIntoTheEngine() {
        try (PlsimWorld world = PlsimWorld.fromResource("world.yaml")) {
            world.waitForHealthy(DEADLINE);
            Service svc = world.service("your-service");
            assertTrue(svc.id().startsWith("vpce-svc-"), svc.id());
            assertEquals("your-service", svc.name());
            LoadBalancer lb = world.loadBalancer("your-nlb");
            assertEquals(svc.loadBalancerArns(), java.util.List.of(lb.arn()));
            assertTrue(lb.targets().stream().allMatch(LoadBalancer.Target::healthy), lb.toString());
            assertEquals(Endpoint.State.AVAILABLE, world.endpoint("your-endpoint").status());
            try (Ec2Client ec2 = world.ec2("111122223333");
                 ElasticLoadBalancingV2Client elbv2 = world.elbv2("111122223333")) {
                assertEquals(svc.serviceName(), ec2.describeVpcEndpointServiceConfigurations(
                        r -> r.serviceIds(svc.id())).serviceConfigurations().get(0).serviceName());
                assertEquals("your-nlb", elbv2.describeLoadBalancers(r -> r.loadBalancerArns(lb.arn()))
                        .loadBalancers().get(0).loadBalancerName());
            }
            assertThrows(IllegalArgumentException.class, () -> world.service("nope"));
        }
    }

    @Test
    void waitsThatTimeOutSayWhatTheySaw() {
        try (PlsimWorld world = PlsimWorld.fromResource("world.yaml")) {
            world.waitForHealthy(DEADLINE);
            world.reject("your-endpoint");
            PlsimException e = assertThrows(PlsimException.class,
                    () -> world.waitForState("your-endpoint", Endpoint.State.AVAILABLE, Duration.ofMillis(50)));
            assertTrue(e.getMessage().matches("endpoint your-endpoint \\(vpce-[0-9a-f]+\\) is rejected, not available,"
                    + " after PT0.05S"), e.getMessage());
            world.addFault(FaultSpec.azOutage("use1-az1"));
            String lbName = "your-nlb";
            // Health is lost within a few checks; until then the wait succeeds, so ask again until it
            // throws, within the deadline.
            e = null;
            long until = System.nanoTime() + DEADLINE.toNanos();
            while (e == null && System.nanoTime() < until) {
                try {
                    world.waitForHealthy(lbName, Duration.ofMillis(50));
                    Thread.sleep(20);
                } catch (PlsimException thrown) {
                    e = thrown;
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            assertNotNull(e, "the zone's targets stayed healthy for " + DEADLINE + " after az-outage");
            assertTrue(e.getMessage().startsWith("your-nlb: not every target healthy after PT0.05S: your-nlb target "),
                    e.getMessage());
            assertTrue(e.getMessage().contains(" at node use1-az"), e.getMessage());
        }
    }
}
