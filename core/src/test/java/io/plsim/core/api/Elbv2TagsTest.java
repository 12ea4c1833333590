package io.plsim.core.api;

import static io.plsim.core.api.Ec2ApiTest.CONSUMER_KEY;
import static io.plsim.core.api.Ec2ApiTest.NLB_ARN;
import static io.plsim.core.api.Ec2ApiTest.PROVIDER_KEY;
import static io.plsim.core.api.ExactAnswersTest.code;
import static io.plsim.core.api.ExactAnswersTest.elbAuth;
import static io.plsim.core.api.ExactAnswersTest.elbForm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.config.SimConfigLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ELBv2's tags on load balancers, target groups and listeners (DescribeTags, AddTags, RemoveTags) and a TCP
 * listener's attributes (DescribeListenerAttributes), through the Query API, in the service model's shapes and
 * with its limits and error codes.
 */
class Elbv2TagsTest {

    private QueryApi api;
    private String group;
    private String listener;

    @BeforeEach
    void world() throws Exception {
        api = new QueryApi(SimConfigLoader.load("Elbv2TagsTest", Ec2ApiTest.YAML
                + "    idleTimeoutSeconds: 120\n"));
        group = first(ok("DescribeTargetGroups"), "TargetGroupArn");
        listener = first(ok("DescribeListeners", "LoadBalancerArn", NLB_ARN), "ListenerArn");
    }

    private String ok(String action, String... nameValues) {
        QueryResponse r = api.handle(elbAuth(PROVIDER_KEY), elbForm(action, nameValues));
        assertEquals(200, r.status(), r::body);
        return r.body();
    }

    private String refused(String key, String action, String... nameValues) {
        QueryResponse r = api.handle(elbAuth(key), elbForm(action, nameValues));
        assertEquals(400, r.status(), r::body);
        assertTrue(r.body().contains("<ErrorResponse"), r.body());
        return code(r.body());
    }

    private static String first(String body, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(body);
        assertTrue(m.find(), body);
        return m.group(1);
    }

    @Test
    void tagsAreSetShownAndRemovedOnEveryKindOfResource() {
        ok("AddTags", "ResourceArns.member.1", NLB_ARN, "ResourceArns.member.2", group,
                "ResourceArns.member.3", listener,
                "Tags.member.1.Key", "team", "Tags.member.1.Value", "orders",
                "Tags.member.2.Key", "env", "Tags.member.2.Value", "test");
        // a key a resource has takes the new value, and keeps its place
        ok("AddTags", "ResourceArns.member.1", NLB_ARN, "Tags.member.1.Key", "team", "Tags.member.1.Value", "billing",
                "Tags.member.2.Key", "empty");
        String body = ok("DescribeTags", "ResourceArns.member.1", NLB_ARN, "ResourceArns.member.2", group,
                "ResourceArns.member.3", listener);
        assertTrue(body.contains("<TagDescriptions><member><ResourceArn>" + NLB_ARN + "</ResourceArn><Tags>"
                + "<member><Key>team</Key><Value>billing</Value></member>"
                + "<member><Key>env</Key><Value>test</Value></member>"
                + "<member><Key>empty</Key><Value></Value></member></Tags></member>"), body);
        assertTrue(body.contains("<member><ResourceArn>" + group + "</ResourceArn><Tags>"
                + "<member><Key>team</Key><Value>orders</Value></member>"), body);
        assertTrue(body.contains("<member><ResourceArn>" + listener + "</ResourceArn><Tags>"), body);

        ok("RemoveTags", "ResourceArns.member.1", NLB_ARN, "ResourceArns.member.2", group,
                "TagKeys.member.1", "team", "TagKeys.member.2", "absent");
        body = ok("DescribeTags", "ResourceArns.member.1", NLB_ARN, "ResourceArns.member.2", group);
        assertFalse(body.contains("<Key>team</Key>"), body);
        assertTrue(body.contains("<ResourceArn>" + group + "</ResourceArn><Tags>"
                + "<member><Key>env</Key><Value>test</Value></member></Tags>"), body);
    }

    @Test
    void aResourceWithoutTagsIsListedWithNone() {
        String body = ok("DescribeTags", "ResourceArns.member.1", NLB_ARN);
        assertTrue(body.contains("<TagDescriptions><member><ResourceArn>" + NLB_ARN + "</ResourceArn><Tags></Tags>"
                + "</member></TagDescriptions>"), body);
    }

    @Test
    void tagRequestsAreRefusedAsElbv2RefusesThem() {
        String unknownLb = NLB_ARN.replace("e94221227f1ba532", "0000000000000000");
        String unknownGroup = group.substring(0, group.lastIndexOf('/') + 1) + "0000000000000000";
        String unknownListener = listener.substring(0, listener.lastIndexOf('/') + 1) + "0000000000000000";
        assertEquals("LoadBalancerNotFound", refused(PROVIDER_KEY, "DescribeTags", "ResourceArns.member.1", unknownLb));
        assertEquals("TargetGroupNotFound", refused(PROVIDER_KEY, "DescribeTags", "ResourceArns.member.1",
                unknownGroup));
        assertEquals("ListenerNotFound", refused(PROVIDER_KEY, "DescribeTags", "ResourceArns.member.1",
                unknownListener));
        // another account's load balancer does not exist for the caller
        assertEquals("LoadBalancerNotFound", refused(CONSUMER_KEY, "AddTags", "ResourceArns.member.1", NLB_ARN,
                "Tags.member.1.Key", "k"));
        assertEquals("ValidationError", refused(PROVIDER_KEY, "DescribeTags", "ResourceArns.member.1", "not-an-arn"));
        assertEquals("ValidationError", refused(PROVIDER_KEY, "DescribeTags"));
        List<String> many = new ArrayList<>();
        for (int i = 1; i <= 21; i++) {
            many.add("ResourceArns.member." + i);
            many.add(NLB_ARN);
        }
        assertEquals("ValidationError", refused(PROVIDER_KEY, "DescribeTags", many.toArray(String[]::new)));

        assertEquals("DuplicateTagKeys", refused(PROVIDER_KEY, "AddTags", "ResourceArns.member.1", NLB_ARN,
                "Tags.member.1.Key", "k", "Tags.member.2.Key", "k"));
        assertEquals("ValidationError", refused(PROVIDER_KEY, "AddTags", "ResourceArns.member.1", NLB_ARN));
        assertEquals("ValidationError", refused(PROVIDER_KEY, "AddTags", "ResourceArns.member.1", NLB_ARN,
                "Tags.member.1.Key", "aws:owner"));
        assertEquals("ValidationError", refused(PROVIDER_KEY, "AddTags", "ResourceArns.member.1", NLB_ARN,
                "Tags.member.1.Key", "k".repeat(129)));
        assertEquals("ValidationError", refused(PROVIDER_KEY, "AddTags", "ResourceArns.member.1", NLB_ARN,
                "Tags.member.1.Key", "k", "Tags.member.1.Value", "v".repeat(257)));
        assertEquals("ValidationError", refused(PROVIDER_KEY, "AddTags", "ResourceArns.member.1", NLB_ARN,
                "Tags.member.1.Key", "semi;colon"));
        assertEquals("ValidationError", refused(PROVIDER_KEY, "RemoveTags", "ResourceArns.member.1", NLB_ARN));
    }

    @Test
    void fiftyTagsAtMostAndARequestOverTheLimitTagsNothing() {
        List<String> fifty = new ArrayList<>(List.of("ResourceArns.member.1", group));
        for (int i = 1; i <= 50; i++) {
            fifty.add("Tags.member." + i + ".Key");
            fifty.add("k" + i);
        }
        ok("AddTags", fifty.toArray(String[]::new));
        // one more key on the group is too many; the load balancer, named first, is not tagged either
        assertEquals("TooManyTags", refused(PROVIDER_KEY, "AddTags", "ResourceArns.member.1", NLB_ARN,
                "ResourceArns.member.2", group, "Tags.member.1.Key", "k51"));
        assertFalse(ok("DescribeTags", "ResourceArns.member.1", NLB_ARN).contains("<Key>k51</Key>"));
        // a key the group has already is not one more
        ok("AddTags", "ResourceArns.member.1", group, "Tags.member.1.Key", "k50", "Tags.member.1.Value", "again");
    }

    @Test
    void aTcpListenerShowsItsIdleTimeout() {
        String body = ok("DescribeListenerAttributes", "ListenerArn", listener);
        assertTrue(body.contains("<DescribeListenerAttributesResult><Attributes><member><Key>tcp.idle_timeout.seconds"
                + "</Key><Value>120</Value></member></Attributes></DescribeListenerAttributesResult>"), body);
        String unknown = listener.substring(0, listener.lastIndexOf('/') + 1) + "0000000000000000";
        assertEquals("ListenerNotFound", refused(PROVIDER_KEY, "DescribeListenerAttributes", "ListenerArn", unknown));
        assertEquals("ListenerNotFound", refused(CONSUMER_KEY, "DescribeListenerAttributes", "ListenerArn", listener));
        assertEquals("ValidationError", refused(PROVIDER_KEY, "DescribeListenerAttributes", "ListenerArn", NLB_ARN));
        assertEquals("ValidationError", refused(PROVIDER_KEY, "DescribeListenerAttributes"));
    }
}
