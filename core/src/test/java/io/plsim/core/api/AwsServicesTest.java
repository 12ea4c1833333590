package io.plsim.core.api;

import static io.plsim.core.api.Ec2ApiTest.CONSUMER_KEY;
import static io.plsim.core.api.Ec2ApiTest.NLB_ARN;
import static io.plsim.core.api.Ec2ApiTest.PROVIDER_KEY;
import static io.plsim.core.api.Ec2ApiTest.SUBNET_A;
import static io.plsim.core.api.Ec2ApiTest.VPC;
import static io.plsim.core.api.Ec2ApiTest.auth;
import static io.plsim.core.api.Ec2ApiTest.form;
import static io.plsim.core.api.ExactAnswersTest.code;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.config.SimConfigLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code simulation.awsServices}: DescribeVpcEndpointServices lists a few of AWS's own services before the
 * world's endpoint services, as AWS does; off by default; listed only, never a target of CreateVpcEndpoint.
 */
class AwsServicesTest {

    private static final String S3 = "com.amazonaws.us-east-1.s3";

    private static QueryApi world(boolean awsServices) throws Exception {
        QueryApi api = new QueryApi(SimConfigLoader.load("AwsServicesTest", Ec2ApiTest.YAML.replace(
                "simulation: {seed: 7}", "simulation: {seed: 7, awsServices: " + awsServices + "}")));
        QueryResponse r = api.handle(auth(PROVIDER_KEY), form("CreateVpcEndpointServiceConfiguration",
                "NetworkLoadBalancerArn.1", NLB_ARN, "AcceptanceRequired", "false"));
        assertEquals(200, r.status(), r::body);
        return api;
    }

    private static List<String> all(String body, String element) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(body);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String ok(QueryApi api, String action, String... nameValues) {
        QueryResponse r = api.handle(auth(PROVIDER_KEY), form(action, nameValues));
        assertEquals(200, r.status(), r::body);
        return r.body();
    }

    @Test
    void awsServicesAreListedFirstWhenAskedFor() throws Exception {
        QueryApi api = world(true);
        String body = ok(api, "DescribeVpcEndpointServices");
        List<String> names = all(body.substring(0, body.indexOf("<serviceDetailSet>")), "item");
        assertEquals(12, names.size(), body);
        assertEquals(S3, names.get(6));
        assertTrue(names.get(11).startsWith("com.amazonaws.vpce.us-east-1.vpce-svc-"), names.toString());
        String s3 = body.substring(body.indexOf("<serviceName>" + S3 + "</serviceName>"));
        s3 = s3.substring(0, s3.indexOf("<item><serviceName>"));
        assertTrue(s3.contains("<owner>amazon</owner>"), s3);
        assertTrue(s3.contains("<baseEndpointDnsNameSet><item>s3.us-east-1.vpce.amazonaws.com</item>"), s3);
        assertTrue(s3.contains("<vpcEndpointPolicySupported>true</vpcEndpointPolicySupported>"), s3);
        assertTrue(s3.contains("<availabilityZoneSet><item>us-east-1a</item><item>us-east-1b</item>"
                + "<item>us-east-1c</item></availabilityZoneSet>"), s3);
        assertFalse(s3.contains("payerResponsibility"), s3);
        assertTrue(all(s3, "serviceId").get(0).matches("vpce-svc-[0-9a-f]{17}"), s3);

        assertEquals(List.of(S3), all(ok(api, "DescribeVpcEndpointServices", "ServiceName.1", S3), "serviceName"));
        assertEquals(List.of(S3), all(ok(api, "DescribeVpcEndpointServices", "Filter.1.Name", "service-name",
                "Filter.1.Value.1", S3), "serviceName"));
        assertEquals(11, all(ok(api, "DescribeVpcEndpointServices", "Filter.1.Name", "owner",
                "Filter.1.Value.1", "amazon"), "serviceName").size());

        // paged, nothing lost or repeated
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            String page = token == null ? ok(api, "DescribeVpcEndpointServices", "MaxResults", "5")
                    : ok(api, "DescribeVpcEndpointServices", "MaxResults", "5", "NextToken", token);
            paged.addAll(all(page, "serviceName"));
            List<String> next = all(page, "nextToken");
            token = next.isEmpty() ? null : next.get(0);
        } while (token != null);
        assertEquals(names, paged);

        QueryResponse create = api.handle(auth(CONSUMER_KEY), form("CreateVpcEndpoint", "VpcId", VPC,
                "ServiceName", S3, "SubnetId.1", SUBNET_A));
        assertEquals("InvalidServiceName", code(create.body()), create.body());
        assertTrue(create.body().contains("plsim lists but does not simulate"), create.body());
    }

    @Test
    void offByDefault() throws Exception {
        QueryApi api = world(false);
        assertEquals(1, all(ok(api, "DescribeVpcEndpointServices"), "serviceName").size());
        QueryResponse r = api.handle(auth(PROVIDER_KEY), form("DescribeVpcEndpointServices", "ServiceName.1", S3));
        assertEquals("InvalidServiceName", code(r.body()), r.body());
    }
}
