package io.plsim.core.elb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.elb.LoadBalancing.TargetRef;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Principal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LoadBalancing} on the shipped quickstart world, without a data plane: what a change checks, that a
 * refused change applies nothing, and what listeners are told.
 */
class LoadBalancingTest {

    private static final Caller PROVIDER = new Caller(Principal.root("111122223333"), "us-east-1");
    private static final Caller CONSUMER = new Caller(Principal.root("444455556666"), "us-east-1");

    private LoadBalancing lbs;
    private String lb;
    private String group;
    private final List<Object> told = new ArrayList<>();

    @BeforeEach
    void load() throws Exception {
        lbs = SimConfigLoader.load(Path.of("..", "sim-configs", "quickstart.yaml")).loadBalancing();
        lb = lbs.describeLoadBalancers(PROVIDER, List.of(), List.of("quickstart-nlb")).get(0).arn();
        group = lbs.describeTargetGroups(PROVIDER, lb, List.of(), List.of()).get(0).arn();
        lbs.addListener(new LoadBalancingListener() {
            @Override
            public void settingsChanged(LoadBalancerSettings now) {
                told.add(now);
            }

            @Override
            public void targetsRegistered(String arn, List<LoadBalancer.Target> targets) {
                told.add("registered " + targets);
            }

            @Override
            public void targetsDeregistered(String arn, List<LoadBalancer.Target> targets) {
                told.add("deregistered " + targets);
            }
        });
    }

    private static String code(Runnable r) {
        return assertThrows(ControlPlaneException.class, r::run).code();
    }

    @Test
    void aRefusedChangeAppliesNothingAndTellsNoOne() {
        LoadBalancerSettings before = lbs.settings(lb);
        assertEquals("InvalidConfigurationRequest", code(() -> lbs.modifyTargetGroupAttributes(PROVIDER, group,
                Map.of("proxy_protocol_v2.enabled", "false", "stickiness.enabled", "true"))));
        assertEquals("ValidationError", code(() -> lbs.modifyLoadBalancerAttributes(PROVIDER, lb,
                Map.of("load_balancing.cross_zone.enabled", "TRUE"))));
        assertEquals(before, lbs.settings(lb));
        assertEquals(List.of(), told);
    }

    @Test
    void aChangeIsToldOnceWithAllTheSettings() {
        lbs.modifyTargetGroupAttributes(PROVIDER, group, Map.of("proxy_protocol_v2.enabled", "false",
                "load_balancing.cross_zone.enabled", "true"));
        assertEquals(1, told.size());
        LoadBalancerSettings now = (LoadBalancerSettings) told.get(0);
        assertEquals(false, now.targetGroups().proxyProtocol());
        assertTrue(now.flowsCrossZones(), "the group's override");
        assertEquals(false, now.crossZone(), "the load balancer's own attribute is unchanged");
    }

    @Test
    void anotherAccountSeesNothing() {
        assertEquals(List.of(), lbs.describeLoadBalancers(CONSUMER, List.of(), List.of()));
        assertEquals("LoadBalancerNotFound", code(() -> lbs.loadBalancerAttributes(CONSUMER, lb)));
        assertEquals("TargetGroupNotFound", code(() -> lbs.registerTargets(CONSUMER, group,
                List.of(new TargetRef("127.0.0.1", 9000, "us-east-1a")))));
    }

    @Test
    void registrationChecksEveryTargetBeforeAddingAny() {
        int before = lbs.registered(lb).size();
        assertEquals("InvalidTarget", code(() -> lbs.registerTargets(PROVIDER, group, List.of(
                new TargetRef("127.0.0.1", 9000, "us-east-1a"), new TargetRef("127.0.0.1", 9001, "us-east-1z")))));
        assertEquals(before, lbs.registered(lb).size());
        lbs.registerTargets(PROVIDER, group, List.of(new TargetRef("127.0.0.1", 9000, "us-east-1a"),
                new TargetRef("127.0.0.1", 9000, "us-east-1a")));
        assertEquals(before + 1, lbs.registered(lb).size(), "the same target twice is one registration");
        lbs.registerTargets(PROVIDER, group, List.of(new TargetRef("127.0.0.1", 9000, "us-east-1a")));
        assertEquals(1, told.size(), "registering a registered target again tells no one");
        lbs.deregisterTargets(PROVIDER, group, List.of(new TargetRef("127.0.0.1", 9000, null)));
        assertEquals(before, lbs.registered(lb).size());
        assertEquals("InvalidTarget", code(() -> lbs.deregisterTargets(PROVIDER, group,
                List.of(new TargetRef("127.0.0.1", 9000, null)))));
    }

    @Test
    void withoutADataPlaneEveryTargetIsInitial() {
        var health = lbs.describeTargetHealth(PROVIDER, group, List.of());
        assertEquals(lbs.registered(lb).size(), health.size());
        health.forEach(h -> assertEquals(TargetHealthSource.State.INITIAL, h.state()));
    }
}
