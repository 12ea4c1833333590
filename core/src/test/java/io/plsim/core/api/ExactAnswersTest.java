package io.plsim.core.api;

import static io.plsim.core.api.Ec2ApiTest.CONSUMER_KEY;
import static io.plsim.core.api.Ec2ApiTest.NLB_ARN;
import static io.plsim.core.api.Ec2ApiTest.PROVIDER_KEY;
import static io.plsim.core.api.Ec2ApiTest.SUBNET_A;
import static io.plsim.core.api.Ec2ApiTest.VPC;
import static io.plsim.core.api.Ec2ApiTest.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The codes and values EC2 and ELBv2 answer where plsim once answered near misses: malformed IDs and
 * ARNs, bad enum values, the spelling of not-found codes.
 */
class ExactAnswersTest {

    private QueryApi api;

    @BeforeEach
    void world() throws Exception {
        World w = SimConfigLoader.load("ExactAnswersTest", Ec2ApiTest.YAML);
        api = new QueryApi(w);
    }

    static String elbAuth(String key) {
        return "AWS4-HMAC-SHA256 Credential=" + key + "/20240501/us-east-1/elasticloadbalancing/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, Signature=0123abcd";
    }

    static String elbForm(String action, String... nameValues) {
        return form(action, nameValues).replace("Version=2016-11-15", "Version=2015-12-01");
    }

    /** The code of an error answer, which must be a 400. */
    private String ec2Code(String key, String action, String... nameValues) {
        QueryResponse r = api.handle(Ec2ApiTest.auth(key), form(action, nameValues));
        assertEquals(400, r.status(), r::body);
        return code(r.body());
    }

    private String elbCode(String action, String... nameValues) {
        QueryResponse r = api.handle(elbAuth(PROVIDER_KEY), elbForm(action, nameValues));
        assertEquals(400, r.status(), r::body);
        assertTrue(r.body().contains("<ErrorResponse"), r.body());
        return code(r.body());
    }

    static String code(String body) {
        Matcher m = Pattern.compile("<Code>([^<]*)</Code>").matcher(body);
        assertTrue(m.find(), body);
        return m.group(1);
    }

    @Test
    void malformedIdsAreMalformed() {
        assertEquals("InvalidVpcID.Malformed", ec2Code(CONSUMER_KEY, "DescribeVpcs", "VpcId.1", "vpcXYZ"));
        assertEquals("InvalidSubnetID.Malformed", ec2Code(CONSUMER_KEY, "DescribeSubnets", "SubnetId.1", "subnetXYZ"));
        assertEquals("InvalidGroupId.Malformed", ec2Code(CONSUMER_KEY, "DescribeSecurityGroups", "GroupId.1", "sgXYZ"));
        assertEquals("InvalidVpcEndpointId.Malformed",
                ec2Code(CONSUMER_KEY, "DescribeVpcEndpoints", "VpcEndpointId.1", "vpceXYZ"));
        assertEquals("InvalidVpcEndpointServiceId.Malformed",
                ec2Code(PROVIDER_KEY, "DescribeVpcEndpointServiceConfigurations", "ServiceId.1", "vpce-svcXYZ"));
        String service = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
        assertEquals("InvalidVpcID.Malformed", ec2Code(CONSUMER_KEY, "CreateVpcEndpoint", "VpcId", "vpcXYZ",
                "ServiceName", service, "SubnetId.1", SUBNET_A));
        assertEquals("InvalidSubnetID.Malformed", ec2Code(CONSUMER_KEY, "CreateVpcEndpoint", "VpcId", VPC,
                "ServiceName", service, "SubnetId.1", "subnetXYZ"));
        // well-formed but unknown: NotFound, in EC2's spelling wherever it is answered
        assertEquals("InvalidVpcID.NotFound", ec2Code(CONSUMER_KEY, "DescribeVpcs", "VpcId.1", "vpc-0123456789abcdef0"));
        assertEquals("InvalidVpcID.NotFound", ec2Code(CONSUMER_KEY, "CreateVpcEndpoint", "VpcId",
                "vpc-0123456789abcdef0", "ServiceName", service, "SubnetId.1", SUBNET_A));
    }

    @Test
    void anUnknownSubnetIsSpelledAsEc2SpellsIt() {
        QueryResponse created = api.handle(Ec2ApiTest.auth(PROVIDER_KEY), form(
                "CreateVpcEndpointServiceConfiguration", "NetworkLoadBalancerArn.1", NLB_ARN,
                "AcceptanceRequired", "false"));
        assertEquals(200, created.status(), created::body);
        Matcher m = Pattern.compile("<serviceName>([^<]*)</serviceName>").matcher(created.body());
        assertTrue(m.find());
        String sid = m.group(1).substring(m.group(1).lastIndexOf('.') + 1);
        assertEquals(200, api.handle(Ec2ApiTest.auth(PROVIDER_KEY), form("ModifyVpcEndpointServicePermissions",
                "ServiceId", sid, "AddAllowedPrincipals.1", "*")).status());
        String unknown = "subnet-0123456789abcdef0";
        assertEquals("InvalidSubnetID.NotFound", ec2Code(CONSUMER_KEY, "DescribeSubnets", "SubnetId.1", unknown));
        assertEquals("InvalidSubnetID.NotFound", ec2Code(CONSUMER_KEY, "CreateVpcEndpoint", "VpcId", VPC,
                "ServiceName", m.group(1), "SubnetId.1", unknown));
    }

    @Test
    void aValueOutsideItsEnumIsInvalidParameterValue() {
        String service = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
        assertEquals("InvalidParameterValue", ec2Code(CONSUMER_KEY, "CreateVpcEndpoint", "VpcId", VPC,
                "ServiceName", service, "SubnetId.1", SUBNET_A, "VpcEndpointType", "Bogus"));
        assertEquals("InvalidParameterValue", ec2Code(CONSUMER_KEY, "CreateVpcEndpoint", "VpcId", VPC,
                "ServiceName", service, "SubnetId.1", SUBNET_A, "IpAddressType", "ipv7"));
        // a value of the enum plsim does not simulate is still refused as a request it cannot honour
        assertEquals("InvalidParameter", ec2Code(CONSUMER_KEY, "CreateVpcEndpoint", "VpcId", VPC,
                "ServiceName", service, "SubnetId.1", SUBNET_A, "VpcEndpointType", "Gateway"));
    }

    @Test
    void aMalformedElbArnIsAValidationError() {
        assertEquals("ValidationError", elbCode("DescribeLoadBalancers", "LoadBalancerArns.member.1", "not-an-arn"));
        assertEquals("ValidationError", elbCode("DescribeListeners", "LoadBalancerArn", "not-an-arn"));
        assertEquals("ValidationError", elbCode("DescribeListeners", "ListenerArns.member.1", "not-an-arn"));
        assertEquals("ValidationError", elbCode("DescribeTargetGroups", "LoadBalancerArn", "not-an-arn"));
        assertEquals("ValidationError", elbCode("DescribeTargetGroups", "TargetGroupArns.member.1", "not-an-arn"));
        assertEquals("ValidationError", elbCode("DescribeTargetHealth", "TargetGroupArn", "not-an-arn"));
        assertEquals("ValidationError", elbCode("DescribeLoadBalancerAttributes", "LoadBalancerArn", "not-an-arn"));
        assertEquals("ValidationError", elbCode("DescribeTargetGroupAttributes", "TargetGroupArn", "not-an-arn"));
        // well-formed but unknown: not found
        String unknown = NLB_ARN.replace("e94221227f1ba532", "0000000000000000");
        assertEquals("LoadBalancerNotFound", elbCode("DescribeLoadBalancers", "LoadBalancerArns.member.1", unknown));
        assertEquals("LoadBalancerNotFound", elbCode("DescribeListeners", "LoadBalancerArn", unknown));
    }

    @Test
    void elbDescribesPageAsElbv2Does() throws Exception {
        api = new QueryApi(SimConfigLoader.load("paging", Ec2ApiTest.YAML + """
                  - name: nlb-two
                    account: "111122223333"
                    id: e94221227f1ba533
                    nodes:
                      - {zone: us-east-1a, ip: 127.126.1.11}
                    listeners: [8443, 8444]
                    targets:
                      - {zone: us-east-1a, builtin: echo}
                """));
        for (String action : new String[] {"DescribeLoadBalancers", "DescribeTargetGroups"}) {
            QueryResponse first = api.handle(elbAuth(PROVIDER_KEY), elbForm(action, "PageSize", "1"));
            assertEquals(200, first.status(), first::body);
            String arn = action.equals("DescribeTargetGroups") ? "<TargetGroupArn>" : "<LoadBalancerArn>";
            assertEquals(1, count(first.body(), arn), first.body());
            Matcher m = Pattern.compile("<NextMarker>([^<]+)</NextMarker>").matcher(first.body());
            assertTrue(m.find(), first.body());
            QueryResponse rest = api.handle(elbAuth(PROVIDER_KEY), elbForm(action, "Marker", m.group(1)));
            assertEquals(200, rest.status(), rest::body);
            assertTrue(!rest.body().contains("<NextMarker>"), rest.body());
            QueryResponse all = api.handle(elbAuth(PROVIDER_KEY), elbForm(action));
            assertTrue(!all.body().contains("<NextMarker>"), all.body());
            assertEquals("ValidationError", elbCode(action, "Marker", "garbage"));
            assertEquals("ValidationError", elbCode(action, "PageSize", "0"));
            assertEquals("ValidationError", elbCode(action, "PageSize", "401"));
        }
        String lb = NLB_ARN.replace("e94221227f1ba532", "e94221227f1ba533").replace("nlb-vpce", "nlb-two");
        QueryResponse listeners = api.handle(elbAuth(PROVIDER_KEY), elbForm("DescribeListeners",
                "LoadBalancerArn", lb, "PageSize", "1"));
        assertEquals(200, listeners.status(), listeners::body);
        assertTrue(listeners.body().contains("<NextMarker>"), listeners.body());
        assertEquals("ValidationError", elbCode("DescribeListeners", "LoadBalancerArn", lb, "Marker", "garbage"));
    }

    private static int count(String body, String s) {
        return body.split(Pattern.quote(s), -1).length - 1;
    }

    @Test
    void fastChecksShowWithinElbv2sRangesAndAsSimulatedInPlsimAttributes() throws Exception {
        api = new QueryApi(SimConfigLoader.load("fast", Ec2ApiTest.YAML + """
                    healthCheck: {intervalSeconds: 0.1, timeoutSeconds: 0.1, healthyThreshold: 2, unhealthyThreshold: 2}
                """));
        QueryResponse groups = api.handle(elbAuth(PROVIDER_KEY), elbForm("DescribeTargetGroups"));
        assertEquals(200, groups.status(), groups::body);
        assertTrue(groups.body().contains("<HealthCheckIntervalSeconds>5</HealthCheckIntervalSeconds>"), groups.body());
        assertTrue(groups.body().contains("<HealthCheckTimeoutSeconds>2</HealthCheckTimeoutSeconds>"), groups.body());
        Matcher m = Pattern.compile("<TargetGroupArn>([^<]+)</TargetGroupArn>").matcher(groups.body());
        assertTrue(m.find());
        QueryResponse attributes = api.handle(elbAuth(PROVIDER_KEY), elbForm("DescribeTargetGroupAttributes",
                "TargetGroupArn", m.group(1)));
        assertTrue(attributes.body().contains("<Key>plsim.health_check.interval_ms</Key><Value>100</Value>"),
                attributes.body());
        assertTrue(attributes.body().contains("<Key>plsim.health_check.timeout_ms</Key><Value>100</Value>"),
                attributes.body());
    }
}
