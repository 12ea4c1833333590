package io.plsim.app.api;

import static io.plsim.app.api.ApiWorld.CONSUMER_KEY;
import static io.plsim.app.api.ApiWorld.NLB_THREE;
import static io.plsim.app.api.ApiWorld.NLB_TWO;
import static io.plsim.app.api.ApiWorld.NLB_VPCE;
import static io.plsim.app.api.ApiWorld.NLB_VPCE_PORT;
import static io.plsim.app.api.ApiWorld.PROVIDER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.Await;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DuplicateTagKeysException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * The ELBv2 Query API through the AWS SDK for Java v2, on the API world in 127.126.0.0/16: the reads of the load
 * balancers, their listeners, target groups, attributes and target health; the attribute changes the data plane
 * models; registering and draining a target.
 */
@ExtendWith(LeakCheck.class)
class Elbv2ApiTest {

    private static final int NET = TestBlocks.of(Elbv2ApiTest.class);
    private static ApiWorld w;
    private static ElasticLoadBalancingV2Client provider;
    private static ElasticLoadBalancingV2Client consumer;

    @BeforeAll
    static void start() throws Exception {
        w = ApiWorld.start(NET);
        provider = w.elb(PROVIDER_KEY);
        consumer = w.elb(CONSUMER_KEY);
        w.awaitHealthy(NLB_VPCE);
    }

    @AfterAll
    static void stop() {
        if (w != null) {
            w.close();
        }
    }

    private static TargetGroup group(String nlb) {
        return provider.describeTargetGroups(r -> r.loadBalancerArn(w.nlbArn(nlb))).targetGroups().get(0);
    }

    private static Map<String, String> attributes(List<software.amazon.awssdk.services.elasticloadbalancingv2.model
            .TargetGroupAttribute> list) {
        return list.stream().collect(Collectors.toMap(a -> a.key(), a -> a.value()));
    }

    private static String code(Runnable call) {
        ElasticLoadBalancingV2Exception e = assertThrows(ElasticLoadBalancingV2Exception.class, call::run);
        return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }

    @Test
    void tagsAndListenerAttributesAreWhatTerraformAndCdkRead() {
        String lb = w.nlbArn(NLB_THREE);
        String tg = group(NLB_THREE).targetGroupArn();
        provider.addTags(r -> r.resourceArns(lb, tg).tags(Tag.builder().key("team").value("orders").build(),
                Tag.builder().key("env").value("test").build()));
        List<TagDescription> tags = provider.describeTags(r -> r.resourceArns(lb, tg)).tagDescriptions();
        assertEquals(List.of(lb, tg), tags.stream().map(TagDescription::resourceArn).toList());
        assertEquals(List.of("team=orders", "env=test"), tags.get(1).tags().stream()
                .map(t -> t.key() + "=" + t.value()).toList());
        provider.removeTags(r -> r.resourceArns(lb).tagKeys("team"));
        assertEquals(List.of("env"), provider.describeTags(r -> r.resourceArns(lb)).tagDescriptions().get(0).tags()
                .stream().map(Tag::key).toList());
        assertThrows(DuplicateTagKeysException.class, () -> provider.addTags(r -> r.resourceArns(lb).tags(
                Tag.builder().key("k").value("1").build(), Tag.builder().key("k").value("2").build())));
        assertThrows(LoadBalancerNotFoundException.class, () -> consumer.describeTags(r -> r.resourceArns(lb)));

        String listener = provider.describeListeners(r -> r.loadBalancerArn(lb)).listeners().get(0).listenerArn();
        List<ListenerAttribute> attributes = provider.describeListenerAttributes(r -> r.listenerArn(listener))
                .attributes();
        assertEquals(List.of("tcp.idle_timeout.seconds=350"), attributes.stream().map(a -> a.key() + "=" + a.value())
                .toList());
        assertThrows(ListenerNotFoundException.class,
                () -> consumer.describeListenerAttributes(r -> r.listenerArn(listener)));
    }

    @Test
    void theProviderSeesItsNetworkLoadBalancersWithTheirNodes() {
        List<LoadBalancer> lbs = provider.describeLoadBalancers().loadBalancers();
        assertEquals(List.of(NLB_VPCE, NLB_TWO, NLB_THREE), lbs.stream().map(LoadBalancer::loadBalancerName).toList());
        LoadBalancer lb = lbs.get(0);
        assertEquals(w.nlbArn(NLB_VPCE), lb.loadBalancerArn());
        assertEquals("network", lb.typeAsString());
        assertEquals("internal", lb.schemeAsString());
        assertEquals("active", lb.state().codeAsString());
        assertEquals(List.of("us-east-1a", "us-east-1b"), lb.availabilityZones().stream().map(z -> z.zoneName()).toList());
        assertEquals("127.126.1.10", lb.availabilityZones().get(0).loadBalancerAddresses().get(0).privateIPv4Address());
        assertTrue(lb.dnsName().startsWith("nlb-vpce-e94221227f1ba532.elb.us-east-1.amazonaws.com"), lb.dnsName());
        assertEquals(List.of(NLB_TWO), provider.describeLoadBalancers(r -> r.names(NLB_TWO)).loadBalancers().stream()
                .map(LoadBalancer::loadBalancerName).toList());
    }

    @Test
    void anotherAccountsLoadBalancersDoNotExistForTheCaller() {
        assertEquals(List.of(), consumer.describeLoadBalancers().loadBalancers());
        LoadBalancerNotFoundException e = assertThrows(LoadBalancerNotFoundException.class,
                () -> consumer.describeLoadBalancers(r -> r.loadBalancerArns(w.nlbArn(NLB_VPCE))));
        assertTrue(e.getMessage().contains("One or more load balancers not found"), e.getMessage());
        assertThrows(TargetGroupNotFoundException.class,
                () -> consumer.describeTargetHealth(r -> r.targetGroupArn(group(NLB_VPCE).targetGroupArn())));
    }

    @Test
    void eachListenerForwardsToATargetGroupOfTypeIp() {
        List<Listener> listeners = provider.describeListeners(r -> r.loadBalancerArn(w.nlbArn(NLB_VPCE))).listeners();
        assertEquals(1, listeners.size());
        Listener l = listeners.get(0);
        assertEquals(NLB_VPCE_PORT, l.port());
        assertEquals("TCP", l.protocolAsString());
        TargetGroup g = group(NLB_VPCE);
        assertEquals("forward", l.defaultActions().get(0).typeAsString());
        assertEquals(g.targetGroupArn(), l.defaultActions().get(0).targetGroupArn());
        assertEquals("nlb-vpce-" + NLB_VPCE_PORT, g.targetGroupName());
        assertTrue(g.targetGroupArn().matches("arn:aws:elasticloadbalancing:us-east-1:\\d{12}:targetgroup/nlb-vpce-8443/"
                + "[0-9a-f]{16}"), g.targetGroupArn());
        assertEquals("ip", g.targetTypeAsString());
        assertEquals("TCP", g.healthCheckProtocolAsString());
        assertEquals("traffic-port", g.healthCheckPort());
        assertEquals(List.of(w.nlbArn(NLB_VPCE)), g.loadBalancerArns());
        assertEquals(g, provider.describeTargetGroups(r -> r.names("nlb-vpce-8443")).targetGroups().get(0));
        assertTrue(code(() -> provider.describeListeners(r -> { })).startsWith("ValidationError"));
    }

    @Test
    void targetHealthIsWhatTheNodesSee() {
        List<TargetHealthDescription> health = provider.describeTargetHealth(
                r -> r.targetGroupArn(group(NLB_VPCE).targetGroupArn())).targetHealthDescriptions();
        assertEquals(2, health.size());
        for (TargetHealthDescription d : health) {
            assertEquals(TargetHealthStateEnum.HEALTHY, d.targetHealth().state());
            assertEquals("127.0.0.1", d.target().id());
            assertTrue(d.target().port() > 0, d.toString());
        }
        assertEquals(List.of("us-east-1a", "us-east-1b"), health.stream().map(d -> d.target().availabilityZone())
                .toList());
        TargetHealthDescription missing = provider.describeTargetHealth(r -> r.targetGroupArn(group(NLB_VPCE)
                .targetGroupArn()).targets(TargetDescription.builder().id("127.0.0.1").port(1).build()))
                .targetHealthDescriptions().get(0);
        assertEquals(TargetHealthStateEnum.UNUSED, missing.targetHealth().state());
        assertEquals("Target.NotRegistered", missing.targetHealth().reasonAsString());
    }

    @Test
    void crossZoneIsAnAttributeOfTheLoadBalancerThatTheDataPlaneFollows() {
        String arn = w.nlbArn(NLB_TWO);
        var before = provider.describeLoadBalancerAttributes(r -> r.loadBalancerArn(arn)).attributes();
        assertTrue(before.stream().anyMatch(a -> a.key().equals("load_balancing.cross_zone.enabled")
                && a.value().equals("false")), before.toString());
        assertFalse(w.dp().crossZone(arn));
        var after = provider.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(arn).attributes(
                a -> a.key("load_balancing.cross_zone.enabled").value("true"))).attributes();
        assertTrue(after.stream().anyMatch(a -> a.key().equals("load_balancing.cross_zone.enabled")
                && a.value().equals("true")), after.toString());
        assertTrue(w.dp().crossZone(arn), "the data plane took it at once");
        // An attribute plsim does not model is refused, and the whole request with it.
        String refused = code(() -> provider.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(arn).attributes(
                a -> a.key("load_balancing.cross_zone.enabled").value("false"),
                a -> a.key("deletion_protection.enabled").value("true"))));
        assertEquals("InvalidConfigurationRequest: The load balancer attribute deletion_protection.enabled is not"
                + " modelled by plsim; it stays false", refused);
        assertTrue(w.dp().crossZone(arn), "nothing of a refused request applied");
        assertTrue(code(() -> provider.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(arn).attributes(
                a -> a.key("colour").value("blue")))).startsWith("ValidationError: Attribute key 'colour' is not"
                + " recognized"));
        assertTrue(code(() -> provider.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(arn).attributes(
                a -> a.key("load_balancing.cross_zone.enabled").value("yes")))).startsWith("ValidationError"));
        // The same value as AWS's default is accepted: a Terraform apply sends every attribute.
        provider.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(arn).attributes(
                a -> a.key("deletion_protection.enabled").value("false"),
                a -> a.key("load_balancing.cross_zone.enabled").value("false")));
        assertFalse(w.dp().crossZone(arn));
    }

    @Test
    void targetGroupAttributesAndTheCrossZoneOverride() {
        TargetGroup g = group(NLB_THREE);
        Map<String, String> a = attributes(provider.describeTargetGroupAttributes(r -> r.targetGroupArn(
                g.targetGroupArn())).attributes());
        assertEquals("300", a.get("deregistration_delay.timeout_seconds"));
        assertEquals("false", a.get("deregistration_delay.connection_termination.enabled"));
        assertEquals("use_load_balancer_configuration", a.get("load_balancing.cross_zone.enabled"));
        assertEquals("true", a.get("target_health_state.unhealthy.connection_termination.enabled"));
        assertEquals("on_first_ack_with_payload", a.get("proxy_protocol_v2.client_to_server.header_placement"));
        String arn = w.nlbArn(NLB_THREE);
        assertFalse(w.dp().crossZone(arn));
        Map<String, String> b = attributes(provider.modifyTargetGroupAttributes(r -> r.targetGroupArn(g.targetGroupArn())
                .attributes(x -> x.key("load_balancing.cross_zone.enabled").value("true"),
                        x -> x.key("deregistration_delay.timeout_seconds").value("30"))).attributes());
        assertEquals("true", b.get("load_balancing.cross_zone.enabled"));
        assertEquals("30", b.get("deregistration_delay.timeout_seconds"));
        assertTrue(w.dp().crossZone(arn), "the group's override wins over the load balancer's false");
        assertTrue(code(() -> provider.modifyTargetGroupAttributes(r -> r.targetGroupArn(g.targetGroupArn())
                .attributes(x -> x.key("deregistration_delay.timeout_seconds").value("3601")))).startsWith(
                "ValidationError: The value of 'deregistration_delay.timeout_seconds' must be a whole number from 0"
                        + " to 3600"));
        assertTrue(code(() -> provider.modifyTargetGroupAttributes(r -> r.targetGroupArn(g.targetGroupArn())
                .attributes(x -> x.key("stickiness.enabled").value("true")))).startsWith(
                "InvalidConfigurationRequest: The target group attribute stickiness.enabled is not modelled"));
        provider.modifyTargetGroupAttributes(r -> r.targetGroupArn(g.targetGroupArn())
                .attributes(x -> x.key("load_balancing.cross_zone.enabled").value("use_load_balancer_configuration")));
        assertFalse(w.dp().crossZone(arn));
    }

    @Test
    void theHealthCheckIsChangedWithModifyTargetGroup() {
        TargetGroup g = group(NLB_THREE);
        TargetGroup changed = provider.modifyTargetGroup(r -> r.targetGroupArn(g.targetGroupArn())
                .healthCheckIntervalSeconds(10).healthCheckTimeoutSeconds(5).healthyThresholdCount(3)).targetGroups()
                .get(0);
        assertEquals(10, changed.healthCheckIntervalSeconds());
        assertEquals(5, changed.healthCheckTimeoutSeconds());
        assertEquals(3, changed.healthyThresholdCount());
        assertEquals(changed, group(NLB_THREE));
        assertTrue(code(() -> provider.modifyTargetGroup(r -> r.targetGroupArn(g.targetGroupArn())
                .healthCheckIntervalSeconds(4))).startsWith("ValidationError: HealthCheckIntervalSeconds must be from 5"));
        assertTrue(code(() -> provider.modifyTargetGroup(r -> r.targetGroupArn(g.targetGroupArn())
                .healthCheckProtocol("HTTP"))).startsWith("InvalidConfigurationRequest: Health check protocol HTTP"));
        assertTrue(code(() -> provider.modifyTargetGroup(r -> r.targetGroupArn(g.targetGroupArn())
                .healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(6))).startsWith("ValidationError: Health check"
                + " timeout"));
    }

    @Test
    void aRegisteredTargetGoesInitialThenHealthyAndADeregisteredOneDrains() throws Exception {
        TargetGroup g = group(NLB_TWO);
        try (ServerSocket own = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread accept = new Thread(() -> {
                while (!own.isClosed()) {
                    try (Socket s = own.accept()) {
                        s.getInputStream().read();
                    } catch (IOException e) {
                        // next, or closed
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
            TargetDescription t = TargetDescription.builder().id("127.0.0.1").port(own.getLocalPort())
                    .availabilityZone("us-east-1a").build();
            provider.modifyTargetGroupAttributes(r -> r.targetGroupArn(g.targetGroupArn())
                    .attributes(x -> x.key("deregistration_delay.timeout_seconds").value("1")));
            provider.registerTargets(r -> r.targetGroupArn(g.targetGroupArn()).targets(t));
            Await.until(Duration.ofSeconds(15), () -> state(g, t) == TargetHealthStateEnum.HEALTHY,
                    () -> "the new target turned healthy: " + state(g, t));
            assertEquals(3, provider.describeTargetHealth(r -> r.targetGroupArn(g.targetGroupArn()))
                    .targetHealthDescriptions().size());
            provider.deregisterTargets(r -> r.targetGroupArn(g.targetGroupArn()).targets(t));
            assertEquals(TargetHealthStateEnum.DRAINING, state(g, t));
            Await.until(Duration.ofSeconds(10), () -> state(g, t) == TargetHealthStateEnum.UNUSED,
                    () -> "the drain ended: " + state(g, t));
            assertEquals(2, provider.describeTargetHealth(r -> r.targetGroupArn(g.targetGroupArn()))
                    .targetHealthDescriptions().size());
            String twice = code(() -> provider.deregisterTargets(r -> r.targetGroupArn(g.targetGroupArn()).targets(t)));
            assertTrue(twice.startsWith("InvalidTarget: The following targets are not registered"), twice);
        }
        assertTrue(code(() -> provider.registerTargets(r -> r.targetGroupArn(g.targetGroupArn()).targets(
                TargetDescription.builder().id("10.0.0.5").port(80).availabilityZone("us-east-1a").build())))
                .startsWith("InvalidTarget: The target 10.0.0.5 is not on loopback"));
        assertTrue(code(() -> provider.registerTargets(r -> r.targetGroupArn(g.targetGroupArn()).targets(
                TargetDescription.builder().id("127.0.0.1").port(80).build())))
                .startsWith("ValidationError: AvailabilityZone is required for target 127.0.0.1"));
        assertTrue(code(() -> provider.registerTargets(r -> r.targetGroupArn(g.targetGroupArn()).targets(
                TargetDescription.builder().id("127.0.0.1").port(80).availabilityZone("us-east-1c").build())))
                .startsWith("InvalidTarget: The load balancer nlb-two has no node in us-east-1c"));
    }

    private static TargetHealthStateEnum state(TargetGroup g, TargetDescription t) {
        return provider.describeTargetHealth(r -> r.targetGroupArn(g.targetGroupArn()).targets(t))
                .targetHealthDescriptions().get(0).targetHealth().state();
    }
}
