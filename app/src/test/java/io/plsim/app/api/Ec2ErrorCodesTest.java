package io.plsim.app.api;

import static io.plsim.app.api.ApiWorld.ALICE_KEY;
import static io.plsim.app.api.ApiWorld.BOB_KEY;
import static io.plsim.app.api.ApiWorld.CONSUMER_KEY;
import static io.plsim.app.api.ApiWorld.CONSUMER_ROOT_ARN;
import static io.plsim.app.api.ApiWorld.NLB_THREE;
import static io.plsim.app.api.ApiWorld.NLB_TWO;
import static io.plsim.app.api.ApiWorld.NLB_VPCE;
import static io.plsim.app.api.ApiWorld.PROVIDER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.TestBlocks;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * The refusals of the user guide's rules, as an SDK caller sees them: an {@link Ec2Exception} with
 * the EC2 error code and HTTP status, or a per-item {@code unsuccessful} entry for the batch actions.
 * One world in 127.121.0.0/16, shared by the tests: a service on {@code nlb-vpce} and {@code nlb-two}
 * allowing the consumer's root, with one endpoint waiting for acceptance and one accepted; and a
 * second service nobody is allowed on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ec2ErrorCodesTest {

    private static final int NET = TestBlocks.of(Ec2ErrorCodesTest.class);
    private static final String UNKNOWN_SERVICE = "vpce-svc-0123456789abcdef0";
    private static final String UNKNOWN_ENDPOINT = "vpce-0123456789abcdef0";

    private ApiWorld w;
    private Ec2Client provider;
    private Ec2Client consumer;
    private String sid;
    private String serviceName;
    private String pendingEndpoint;
    private String availableEndpoint;

    @BeforeAll
    void start() throws Exception {
        w = ApiWorld.start(NET);
        provider = w.client(PROVIDER_KEY);
        consumer = w.client(CONSUMER_KEY);
        var created = provider.createVpcEndpointServiceConfiguration(r -> r
                .networkLoadBalancerArns(w.nlbArn(NLB_VPCE), w.nlbArn(NLB_TWO)).acceptanceRequired(true))
                .serviceConfiguration();
        sid = created.serviceId();
        serviceName = created.serviceName();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(CONSUMER_ROOT_ARN));
        pendingEndpoint = createEndpoint(consumer, serviceName, "us-east-1a");
        availableEndpoint = createEndpoint(consumer, serviceName, "us-east-1c");
        assertEquals(List.of(), provider.acceptVpcEndpointConnections(r -> r.serviceId(sid)
                .vpcEndpointIds(availableEndpoint)).unsuccessful());
    }

    @AfterAll
    void stop() {
        if (w != null) {
            w.close();
        }
    }

    private String createEndpoint(Ec2Client client, String name, String zone) {
        return client.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE).vpcId(w.consumerVpc())
                .serviceName(name).subnetIds(w.consumerSubnet(zone))).vpcEndpoint().vpcEndpointId();
    }

    private static Ec2Exception fails(int status, String code, Executable call) {
        Ec2Exception e = assertThrows(Ec2Exception.class, call);
        assertEquals(code, e.awsErrorDetails().errorCode(), () -> "message: " + e.awsErrorDetails().errorMessage());
        assertEquals(status, e.statusCode(), code);
        assertNotNull(e.requestId(), "the RequestID of the error envelope");
        String m = e.awsErrorDetails().errorMessage();
        assertTrue(m != null && !m.isBlank(), "a message");
        assertTrue(!m.contains("Exception") && !m.contains("at io."), m);
        return e;
    }

    private static void oneUnsuccessful(List<UnsuccessfulItem> items, String resourceId, String code) {
        assertEquals(1, items.size(), items::toString);
        UnsuccessfulItem u = items.get(0);
        assertEquals(resourceId, u.resourceId());
        assertEquals(code, u.error().code(), u::toString);
        assertTrue(u.error().message() != null && !u.error().message().isBlank(), u::toString);
    }

    @Test
    void aPrincipalNotAllowedGetsInvalidServiceNameAsIfTheServiceDidNotExist() {
        String hiddenId = provider.createVpcEndpointServiceConfiguration(r -> r
                .networkLoadBalancerArns(w.nlbArn(NLB_THREE))).serviceConfiguration().serviceId();
        String hidden = "com.amazonaws.vpce.us-east-1." + hiddenId;
        fails(400, "InvalidServiceName", () -> createEndpoint(consumer, hidden, "us-east-1c"));
        fails(400, "InvalidServiceName", () -> consumer.describeVpcEndpointServices(r -> r.serviceNames(hidden)));
        // a service that does not exist at all answers the same
        fails(400, "InvalidServiceName", () -> createEndpoint(consumer,
                "com.amazonaws.vpce.us-east-1." + UNKNOWN_SERVICE, "us-east-1c"));

        // allowing one user lets that user in, not the account's root
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(hiddenId)
                .addAllowedPrincipals("arn:aws:iam::444455556666:user/bob"));
        fails(400, "InvalidServiceName", () -> createEndpoint(consumer, hidden, "us-east-1c"));
        String bobs = createEndpoint(w.client(BOB_KEY), hidden, "us-east-1c");
        assertTrue(bobs.startsWith("vpce-"), bobs);
    }

    @Test
    void unknownServiceIdIsNotFound() {
        fails(400, "InvalidVpcEndpointServiceId.NotFound",
                () -> provider.describeVpcEndpointServicePermissions(r -> r.serviceId(UNKNOWN_SERVICE)));
        fails(400, "InvalidVpcEndpointServiceId.NotFound",
                () -> provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(UNKNOWN_SERVICE)
                        .acceptanceRequired(false)));
        fails(400, "InvalidVpcEndpointServiceId.NotFound",
                () -> provider.acceptVpcEndpointConnections(r -> r.serviceId(UNKNOWN_SERVICE)
                        .vpcEndpointIds(pendingEndpoint)));
        // the consumer does not own the service: not found for it either
        fails(400, "InvalidVpcEndpointServiceId.NotFound",
                () -> consumer.describeVpcEndpointServicePermissions(r -> r.serviceId(sid)));
    }

    @Test
    void acceptingAnUnknownEndpointFailsThatItemOnly() {
        var res = provider.acceptVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(UNKNOWN_ENDPOINT));
        oneUnsuccessful(res.unsuccessful(), UNKNOWN_ENDPOINT, "InvalidVpcEndpointId.NotFound");
        var reject = provider.rejectVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(UNKNOWN_ENDPOINT));
        oneUnsuccessful(reject.unsuccessful(), UNKNOWN_ENDPOINT, "InvalidVpcEndpointId.NotFound");
        var delete = consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(UNKNOWN_ENDPOINT));
        oneUnsuccessful(delete.unsuccessful(), UNKNOWN_ENDPOINT, "InvalidVpcEndpointId.NotFound");
    }

    @Test
    void acceptingAnAvailableEndpointFailsThatItem() {
        var res = provider.acceptVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(availableEndpoint));
        oneUnsuccessful(res.unsuccessful(), availableEndpoint, "InvalidVpcEndpointState");
        assertEquals("available", consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(availableEndpoint))
                .vpcEndpoints().get(0).stateAsString());
    }

    @Test
    void deletingAServiceWithAttachedEndpointsIsRefusedPerItem() {
        var res = provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(sid, UNKNOWN_SERVICE));
        assertEquals(2, res.unsuccessful().size(), res::toString);
        UnsuccessfulItem attached = res.unsuccessful().stream().filter(u -> u.resourceId().equals(sid)).findFirst()
                .orElseThrow();
        assertEquals("ExistingVpcEndpointConnections", attached.error().code());
        UnsuccessfulItem unknown = res.unsuccessful().stream().filter(u -> u.resourceId().equals(UNKNOWN_SERVICE))
                .findFirst().orElseThrow();
        assertEquals("InvalidVpcEndpointService.NotFound", unknown.error().code());
        assertEquals(1, provider.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(sid))
                .serviceConfigurations().size(), "still there");
    }

    @Test
    void disassociatingALoadBalancerWhileEndpointsAreAttachedIsInvalidParameter() {
        Ec2Exception e = fails(400, "InvalidParameter", () -> provider.modifyVpcEndpointServiceConfiguration(r -> r
                .serviceId(sid).removeNetworkLoadBalancerArns(w.nlbArn(NLB_TWO))));
        assertTrue(e.awsErrorDetails().errorMessage().contains("attached"), e.awsErrorDetails().errorMessage());
        assertEquals(2, provider.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(sid))
                .serviceConfigurations().get(0).networkLoadBalancerArns().size());
    }

    @Test
    void taggingAnEndpointServiceIsInvalidParameterValue() {
        fails(400, "InvalidParameterValue", () -> provider.createTags(r -> r.resources(sid)
                .tags(Tag.builder().key("Name").value("my-service").build())));
        // an endpoint takes tags
        consumer.createTags(r -> r.resources(pendingEndpoint).tags(Tag.builder().key("team").value("a").build()));
        assertEquals("a", consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(pendingEndpoint)).vpcEndpoints()
                .get(0).tags().get(0).value());
    }

    @Test
    void anUnknownAccessKeyIsAuthFailure401() {
        // The JDK's HttpURLConnection (under the SDK's url-connection client) drops the body of a 401
        // answer to a POST in streaming mode, so the code is checked through the SDK's Apache client.
        Ec2Client stranger = w.client("AKIANOBODYKNOWSTHIS1", Apache5HttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3)).socketTimeout(Duration.ofSeconds(10)).build());
        fails(401, "AuthFailure", () -> stranger.describeAvailabilityZones(r -> { }));
        fails(401, "AuthFailure", () -> stranger.describeVpcEndpointServiceConfigurations(r -> { }));
        Ec2Exception overUrlConnection = assertThrows(Ec2Exception.class,
                () -> w.client("AKIANOBODYKNOWSTHIS1").describeAvailabilityZones(r -> { }));
        assertEquals(401, overUrlConnection.statusCode());
        // a 12-digit key of an account of this world stands for its root; of another account, for nobody
        Ec2Client byAccountId = w.client("444455556666");
        assertEquals(3, byAccountId.describeAvailabilityZones(r -> { }).availabilityZones().size());
        Ec2Client notInWorld = w.client("999988887777", Apache5HttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3)).socketTimeout(Duration.ofSeconds(10)).build());
        fails(401, "AuthFailure", () -> notInWorld.describeAvailabilityZones(r -> { }));
    }

    @Test
    void aMalformedPrincipalIsInvalidPrincipal() {
        fails(400, "InvalidPrincipal", () -> provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid)
                .addAllowedPrincipals("arn:aws:iam::12345:root")));
        fails(400, "InvalidPrincipal", () -> provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid)
                .addAllowedPrincipals("bob")));
        assertEquals(List.of(CONSUMER_ROOT_ARN), provider.describeVpcEndpointServicePermissions(r -> r.serviceId(sid))
                .allowedPrincipals().stream().map(p -> p.principal()).toList());
    }

    @Test
    void moreRefusalsOfTheGuidesRules() {
        // a subnet in a zone the service is not offered in (the consumer's us-east-1b is use1-az3)
        fails(400, "InvalidParameter", () -> createEndpoint(consumer, serviceName, "us-east-1b"));
        // two subnets in one zone
        fails(400, "DuplicateSubnetsInSameZone", () -> consumer.createVpcEndpoint(r -> r
                .vpcEndpointType(VpcEndpointType.INTERFACE).vpcId(w.consumerVpc()).serviceName(serviceName)
                .subnetIds(w.consumerSubnet("us-east-1a"), w.consumerSecondSubnetA())));
        // a required parameter left out
        fails(400, "MissingParameter", () -> provider.createVpcEndpointServiceConfiguration(r -> { }));
        // a private DNS name set and removed at once
        fails(400, "InvalidParameter", () -> provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(sid)
                .privateDnsName("example.com").removePrivateDnsName(true)));
        // paging: MaxResults below 5, a token this call did not hand out
        fails(400, "InvalidParameterValue", () -> consumer.describeVpcEndpoints(r -> r.maxResults(1)));
        fails(400, "InvalidPaginationToken", () -> consumer.describeVpcEndpoints(r -> r.nextToken("bm9wZQ")));
        // an unknown notification
        fails(400, "InvalidConnectionNotification", () -> provider.modifyVpcEndpointConnectionNotification(r -> r
                .connectionNotificationId("vpce-nfn-0123456789abcdef0").connectionEvents("Accept")));
        var del = provider.deleteVpcEndpointConnectionNotifications(r -> r
                .connectionNotificationIds("vpce-nfn-0123456789abcdef0"));
        oneUnsuccessful(del.unsuccessful(), "vpce-nfn-0123456789abcdef0", "InvalidConnectionNotification");
        // a user of the provider's account may act on its services; a user of the consumer's may not see them
        assertEquals(1, w.client(ALICE_KEY).describeVpcEndpointServiceConfigurations(r -> r.serviceIds(sid))
                .serviceConfigurations().size());
        fails(400, "InvalidVpcEndpointServiceId.NotFound", () -> w.client(BOB_KEY)
                .describeVpcEndpointServiceConfigurations(r -> r.serviceIds(sid)));
    }
}
