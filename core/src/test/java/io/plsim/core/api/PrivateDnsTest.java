package io.plsim.core.api;

import static io.plsim.core.api.Ec2ApiTest.CONSUMER_KEY;
import static io.plsim.core.api.Ec2ApiTest.NLB_ARN;
import static io.plsim.core.api.Ec2ApiTest.PROVIDER_KEY;
import static io.plsim.core.api.Ec2ApiTest.SUBNET_A;
import static io.plsim.core.api.Ec2ApiTest.VPC;
import static io.plsim.core.api.Ec2ApiTest.auth;
import static io.plsim.core.api.Ec2ApiTest.children;
import static io.plsim.core.api.Ec2ApiTest.form;
import static io.plsim.core.api.Ec2ApiTest.parse;
import static io.plsim.core.api.Ec2ApiTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.config.SimConfigException;
import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import io.plsim.core.control.ControlEvent;
import io.plsim.core.control.DnsNameState;
import io.plsim.core.control.ServiceConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Private DNS names of endpoint services through the EC2 Query API, as today's EC2 has them: the name
 * and the TXT record to publish in the describes, verification against the world's public DNS after
 * the world's delay, and the consumer's private DNS refused until the name is verified. The clock is
 * the test's, so that the delay passes when the test says.
 */
class PrivateDnsTest {

    /** Ec2ApiTest's world, with a second provider account that wants the same name. */
    static final String YAML = Ec2ApiTest.YAML
            .replace("simulation: {seed: 7}", "simulation: {seed: 7, dnsVerificationDelaySeconds: 30}")
            .replace("""
              - id: "444455556666"
            """, """
              - id: "777788889999"
                zones: {us-east-1a: use1-az1}
                accessKeys: {AKIAOTHERPROVIDER001: root}
              - id: "444455556666"
            """) + """
              - name: nlb-other
                account: "777788889999"
                id: 0123456789abcdef
                nodes:
                  - {zone: us-east-1a, ip: 127.126.1.20}
                listeners: [8443]
                targets:
                  - {zone: us-east-1a, builtin: echo}
            """;
    static final String OTHER_KEY = "AKIAOTHERPROVIDER001";
    static final String OTHER_NLB =
            "arn:aws:elasticloadbalancing:us-east-1:777788889999:loadbalancer/net/nlb-other/0123456789abcdef";

    private final MovingClock clock = new MovingClock();
    private final List<ControlEvent> events = new ArrayList<>();
    private World world;
    private Ec2Api api;

    @BeforeEach
    void world() throws SimConfigException {
        world = SimConfigLoader.load("PrivateDnsTest", YAML, clock);
        world.controlPlane().addListener(events::add);
        api = new Ec2Api(world.controlPlane(), () -> "req");
    }

    private Element ok(String key, String action, String... nameValues) {
        QueryResponse r = api.handle(auth(key), form(action, nameValues));
        assertEquals(200, r.status(), () -> action + ": " + r.body());
        return parse(r.body()).getDocumentElement();
    }

    /** The error code of a refused call, and its message must name {@code mentioned}. */
    private String refused(String key, String mentioned, String action, String... nameValues) {
        QueryResponse r = api.handle(auth(key), form(action, nameValues));
        assertEquals(400, r.status(), () -> action + ": " + r.body());
        Element root = parse(r.body()).getDocumentElement();
        String message = text(root, "Errors/Error/Message");
        assertTrue(message.contains(mentioned), message);
        return text(root, "Errors/Error/Code");
    }

    private String service(String key, String nlb, String... more) {
        List<String> p = new ArrayList<>(List.of("NetworkLoadBalancerArn.1", nlb, "AcceptanceRequired", "false"));
        p.addAll(List.of(more));
        return text(ok(key, "CreateVpcEndpointServiceConfiguration", p.toArray(String[]::new)),
                "serviceConfiguration/serviceId");
    }

    private Element configuration(String sid) {
        return Ec2ApiTest.at(ok(PROVIDER_KEY, "DescribeVpcEndpointServiceConfigurations", "ServiceId.1", sid),
                "serviceConfigurationSet/item[1]");
    }

    private String state(String sid) {
        return text(configuration(sid), "privateDnsNameConfiguration/state");
    }

    private void allowConsumer(String sid) {
        ok(PROVIDER_KEY, "ModifyVpcEndpointServicePermissions", "ServiceId", sid, "AddAllowedPrincipals.1",
                "arn:aws:iam::444455556666:root");
    }

    private void publish(Element config) {
        world.controlPlane().publishTxtRecord(text(config, "privateDnsNameConfiguration/name") + ".example.test",
                text(config, "privateDnsNameConfiguration/value"));
    }

    @Test
    void aNameComesWithTheRecordToPublishPendingVerification() {
        String sid = service(PROVIDER_KEY, NLB_ARN, "PrivateDnsName", "API.example.test.");
        Element c = configuration(sid);
        assertEquals("api.example.test", text(c, "privateDnsName"), "lower case, no trailing dot");
        assertEquals("pendingVerification", text(c, "privateDnsNameConfiguration/state"));
        assertEquals("TXT", text(c, "privateDnsNameConfiguration/type"));
        assertTrue(text(c, "privateDnsNameConfiguration/name").matches("_[a-z0-9]{20}"),
                "the form of EC2's _1d367jvbg34znqvyefrj: " + text(c, "privateDnsNameConfiguration/name"));
        assertTrue(text(c, "privateDnsNameConfiguration/value").matches("vpce:[A-Za-z0-9]{20}"),
                "the form of EC2's vpce:qUAth3FdeABCApUiXabc: " + text(c, "privateDnsNameConfiguration/value"));

        allowConsumer(sid);
        Element detail = Ec2ApiTest.at(ok(CONSUMER_KEY, "DescribeVpcEndpointServices", "ServiceName.1",
                "com.amazonaws.vpce.us-east-1." + sid), "serviceDetailSet/item[1]");
        assertEquals("api.example.test", text(detail, "privateDnsName"));
        assertEquals("pendingVerification", text(detail, "privateDnsNameVerificationState"));
    }

    @Test
    void aServiceWithoutANameShowsNoneOfIt() {
        String sid = service(PROVIDER_KEY, NLB_ARN);
        List<String> names = children(configuration(sid)).stream().map(Element::getLocalName).toList();
        assertTrue(!names.contains("privateDnsName") && !names.contains("privateDnsNameConfiguration"), names::toString);
        assertEquals("InvalidParameter", refused(PROVIDER_KEY, "no private DNS name",
                "StartVpcEndpointServicePrivateDnsVerification", "ServiceId", sid));
    }

    @Test
    void aPublishedRecordVerifiesTheNameOnceTheDelayHasPassed() {
        String sid = service(PROVIDER_KEY, NLB_ARN, "PrivateDnsName", "api.example.test");
        publish(configuration(sid));
        ok(PROVIDER_KEY, "StartVpcEndpointServicePrivateDnsVerification", "ServiceId", sid);
        clock.advance(Duration.ofSeconds(29));
        assertEquals("pendingVerification", state(sid), "the delay has not passed");
        clock.advance(Duration.ofSeconds(1));
        world.controlPlane().settle();
        assertEquals(DnsNameState.VERIFIED, lastServiceChange(sid).privateDnsNameConfiguration().state(),
                "the listeners are told when it is settled");
        assertEquals("verified", state(sid));
        ok(PROVIDER_KEY, "StartVpcEndpointServicePrivateDnsVerification", "ServiceId", sid);
        assertEquals("verified", state(sid), "verifying a verified name again leaves it verified");
    }

    @Test
    void aMissingOrWrongRecordFailsTheVerification() {
        String sid = service(PROVIDER_KEY, NLB_ARN, "PrivateDnsName", "api.example.test");
        Element c = configuration(sid);
        // the value in lower case, as some DNS providers rewrite it: EC2 compares exactly
        world.controlPlane().publishTxtRecord(text(c, "privateDnsNameConfiguration/name") + ".example.test",
                text(c, "privateDnsNameConfiguration/value").toLowerCase(java.util.Locale.ROOT));
        ok(PROVIDER_KEY, "StartVpcEndpointServicePrivateDnsVerification", "ServiceId", sid);
        clock.advance(Duration.ofSeconds(30));
        assertEquals("failed", state(sid));

        // published, then started again: verified
        publish(c);
        ok(PROVIDER_KEY, "StartVpcEndpointServicePrivateDnsVerification", "ServiceId", sid);
        assertEquals("pendingVerification", state(sid));
        clock.advance(Duration.ofSeconds(30));
        assertEquals("verified", state(sid));
    }

    @Test
    void theRecordMayBeAtAParentDomainOrWithoutItsFirstLabel() {
        String a = service(PROVIDER_KEY, NLB_ARN, "PrivateDnsName", "a.api.example.test");
        // example.test verified for a.api.example.test, the record at the domain itself (no underscore)
        world.controlPlane().publishTxtRecord("example.test",
                text(configuration(a), "privateDnsNameConfiguration/value"));
        ok(PROVIDER_KEY, "StartVpcEndpointServicePrivateDnsVerification", "ServiceId", a);
        clock.advance(Duration.ofSeconds(30));
        assertEquals("verified", state(a));
    }

    @Test
    void refusalsAsEc2GivesThem() {
        String sid = service(PROVIDER_KEY, NLB_ARN, "PrivateDnsName", "api.example.test");
        // the service is not the caller's
        assertEquals("InvalidVpcEndpointServiceId.NotFound", refused(OTHER_KEY, sid,
                "StartVpcEndpointServicePrivateDnsVerification", "ServiceId", sid));
        assertEquals("InvalidVpcEndpointServiceId.NotFound", refused(OTHER_KEY, sid,
                "ModifyVpcEndpointServiceConfiguration", "ServiceId", sid, "PrivateDnsName", "mine.example.test"));
        assertEquals("MissingParameter", refused(PROVIDER_KEY, "ServiceId",
                "StartVpcEndpointServicePrivateDnsVerification"));
        // both a name and its removal
        assertEquals("InvalidParameter", refused(PROVIDER_KEY, "RemovePrivateDnsName",
                "ModifyVpcEndpointServiceConfiguration", "ServiceId", sid, "PrivateDnsName", "b.example.test",
                "RemovePrivateDnsName", "true"));
        assertEquals("InvalidParameterValue", refused(PROVIDER_KEY, "PrivateDnsName",
                "ModifyVpcEndpointServiceConfiguration", "ServiceId", sid, "PrivateDnsName", "-bad-.example.test"));
        assertEquals("api.example.test", text(configuration(sid), "privateDnsName"), "nothing changed");

        // a name another account has verified
        publish(configuration(sid));
        ok(PROVIDER_KEY, "StartVpcEndpointServicePrivateDnsVerification", "ServiceId", sid);
        clock.advance(Duration.ofSeconds(30));
        assertEquals("verified", state(sid));
        assertEquals("InvalidParameter", refused(OTHER_KEY, "already verified by another account",
                "CreateVpcEndpointServiceConfiguration", "NetworkLoadBalancerArn.1", OTHER_NLB,
                "PrivateDnsName", "api.example.test"));
        assertEquals(1, world.controlPlane().services().size(), "the refused service was not made");
    }

    @Test
    void aNewNameNeedsANewVerificationAndRemovingItClearsIt() {
        String sid = service(PROVIDER_KEY, NLB_ARN, "PrivateDnsName", "api.example.test");
        Element first = configuration(sid);
        publish(first);
        ok(PROVIDER_KEY, "StartVpcEndpointServicePrivateDnsVerification", "ServiceId", sid);
        clock.advance(Duration.ofSeconds(30));
        assertEquals("verified", state(sid));

        ok(PROVIDER_KEY, "ModifyVpcEndpointServiceConfiguration", "ServiceId", sid, "PrivateDnsName", "api.example.test");
        assertEquals("verified", state(sid), "the same name again changes nothing");
        ok(PROVIDER_KEY, "ModifyVpcEndpointServiceConfiguration", "ServiceId", sid, "PrivateDnsName", "v2.example.test");
        Element second = configuration(sid);
        assertEquals("pendingVerification", text(second, "privateDnsNameConfiguration/state"));
        assertNotEquals(text(first, "privateDnsNameConfiguration/value"),
                text(second, "privateDnsNameConfiguration/value"), "a new name, a new record");

        ok(PROVIDER_KEY, "ModifyVpcEndpointServiceConfiguration", "ServiceId", sid, "RemovePrivateDnsName", "true");
        List<String> names = children(configuration(sid)).stream().map(Element::getLocalName).toList();
        assertTrue(!names.contains("privateDnsName") && !names.contains("privateDnsNameConfiguration"), names::toString);
    }

    @Test
    void theConsumersPrivateDnsWaitsForAVerifiedName() {
        String sid = service(PROVIDER_KEY, NLB_ARN, "PrivateDnsName", "api.example.test");
        allowConsumer(sid);
        String name = "com.amazonaws.vpce.us-east-1." + sid;
        assertEquals("InvalidParameter", refused(CONSUMER_KEY, "is not verified", "CreateVpcEndpoint",
                "VpcId", VPC, "ServiceName", name, "SubnetId.1", SUBNET_A, "PrivateDnsEnabled", "true"));
        assertEquals(0, world.controlPlane().endpoints().size(), "no endpoint made by the refused request");
        String plain = text(ok(CONSUMER_KEY, "CreateVpcEndpoint", "VpcId", VPC, "ServiceName", name,
                "SubnetId.1", SUBNET_A), "vpcEndpoint/vpcEndpointId");
        assertEquals("InvalidParameter", refused(CONSUMER_KEY, "is not verified", "ModifyVpcEndpoint",
                "VpcEndpointId", plain, "PrivateDnsEnabled", "true"));

        publish(configuration(sid));
        ok(PROVIDER_KEY, "StartVpcEndpointServicePrivateDnsVerification", "ServiceId", sid);
        clock.advance(Duration.ofSeconds(30));
        ok(CONSUMER_KEY, "ModifyVpcEndpoint", "VpcEndpointId", plain, "PrivateDnsEnabled", "true");
        assertEquals("true", text(ok(CONSUMER_KEY, "DescribeVpcEndpoints", "VpcEndpointId.1", plain),
                "vpcEndpointSet/item[1]/privateDnsEnabled"));
        // a second endpoint of the same VPC cannot take the same name: one private hosted zone per VPC
        assertEquals("InvalidParameter", refused(CONSUMER_KEY, "conflicting DNS domain", "CreateVpcEndpoint",
                "VpcId", VPC, "ServiceName", name, "SubnetId.1", SUBNET_A, "PrivateDnsEnabled", "true"));
        ok(CONSUMER_KEY, "ModifyVpcEndpoint", "VpcEndpointId", plain, "PrivateDnsEnabled", "false");
        Element second = ok(CONSUMER_KEY, "CreateVpcEndpoint", "VpcId", VPC, "ServiceName", name,
                "SubnetId.1", SUBNET_A, "PrivateDnsEnabled", "true");
        assertEquals("true", text(second, "vpcEndpoint/privateDnsEnabled"));
        assertEquals("false", text(ok(CONSUMER_KEY, "DescribeVpcEndpoints", "VpcEndpointId.1", plain),
                "vpcEndpointSet/item[1]/privateDnsEnabled"));
    }

    private ServiceConfiguration lastServiceChange(String sid) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i) instanceof ControlEvent.ServiceChanged c && c.service().serviceId().equals(sid)) {
                return c.service();
            }
        }
        throw new AssertionError("no change of " + sid + " told");
    }

    /** A clock that moves only when the test moves it. */
    static final class MovingClock extends Clock {
        private Clock at = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

        void advance(Duration d) {
            at = Clock.offset(at, d);
        }

        @Override
        public Instant instant() {
            return at.instant();
        }

        @Override
        public ZoneId getZone() {
            return at.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
