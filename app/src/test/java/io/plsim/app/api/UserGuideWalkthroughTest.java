package io.plsim.app.api;

import static io.plsim.app.api.ApiWorld.CONSUMER;
import static io.plsim.app.api.ApiWorld.CONSUMER_KEY;
import static io.plsim.app.api.ApiWorld.CONSUMER_ROOT_ARN;
import static io.plsim.app.api.ApiWorld.NLB_TWO;
import static io.plsim.app.api.ApiWorld.NLB_VPCE;
import static io.plsim.app.api.ApiWorld.PROVIDER;
import static io.plsim.app.api.ApiWorld.PROVIDER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.Await;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedPrincipal;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.ConnectionNotification;
import software.amazon.awssdk.services.ec2.model.DnsEntry;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.ec2.model.ServiceDetail;
import software.amazon.awssdk.services.ec2.model.ServiceTypeDetail;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.ec2.model.VpcEndpointConnection;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * Every AWS CLI command of the user guide ("VPC Endpoint Services (AWS PrivateLink)"), in its
 * order, with the guide's own arguments adapted to this world's IDs, through the AWS SDK for Java v2
 * against a running plsim (API server, data plane, notification hub) in 127.120.0.0/16.
 */
@ExtendWith(LeakCheck.class)
class UserGuideWalkthroughTest {

    private static final int NET = TestBlocks.of(UserGuideWalkthroughTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final String GUIDE_NLB_ARN =
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/nlb-vpce/e94221227f1ba532";

    private ApiWorld w;
    private Ec2Client provider;
    private Ec2Client consumer;

    @BeforeEach
    void start() throws Exception {
        w = ApiWorld.start(NET);
        provider = w.client(PROVIDER_KEY);
        consumer = w.client(CONSUMER_KEY);
    }

    @AfterEach
    void stop() {
        if (w != null) {
            w.close();
        }
    }

    @Test
    void everyCommandOfTheUserGuide() {
        // ---- create-vpc-endpoint-service-configuration --network-load-balancer-arns <arn> --acceptance-required
        String nlbArn = w.nlbArn(NLB_VPCE);
        assertEquals(GUIDE_NLB_ARN, nlbArn);
        ServiceConfiguration created = provider.createVpcEndpointServiceConfiguration(r -> r
                .networkLoadBalancerArns(nlbArn).acceptanceRequired(true)).serviceConfiguration();
        String sid = created.serviceId();
        assertTrue(sid.matches("vpce-svc-[0-9a-f]{17}"), sid);
        String serviceName = "com.amazonaws.vpce.us-east-1." + sid;
        assertEquals(List.of("Interface"), created.serviceType().stream().map(ServiceTypeDetail::serviceTypeAsString)
                .toList());
        assertEquals(List.of(nlbArn), created.networkLoadBalancerArns());
        assertEquals(serviceName, created.serviceName());
        assertEquals("Available", created.serviceStateAsString());
        assertEquals(sid, created.serviceId());
        assertEquals(Boolean.TRUE, created.acceptanceRequired());
        assertEquals(List.of("us-east-1a", "us-east-1b"), sorted(created.availabilityZones()),
                "the provider's names of the zones where the NLB has nodes");
        assertEquals(List.of(sid + ".us-east-1.vpce.amazonaws.com"), created.baseEndpointDnsNames());

        // describe-vpc-endpoint-service-configurations answers the same
        ServiceConfiguration described = describeService(sid);
        assertEquals(created.serviceName(), described.serviceName());
        assertEquals(created.availabilityZones(), described.availabilityZones());

        // ---- modify-vpc-endpoint-service-permissions --add-allowed-principals '["arn:aws:iam::<consumer>:root"]'
        var added = provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid)
                .addAllowedPrincipals(CONSUMER_ROOT_ARN));
        assertEquals(Boolean.TRUE, added.returnValue());
        assertEquals(List.of(CONSUMER_ROOT_ARN), added.addedPrincipals().stream().map(p -> p.principal()).toList());

        // ---- describe-vpc-endpoint-service-permissions --service-id
        List<AllowedPrincipal> allowed = provider.describeVpcEndpointServicePermissions(r -> r.serviceId(sid))
                .allowedPrincipals();
        assertEquals(1, allowed.size(), allowed::toString);
        assertEquals("Account", allowed.get(0).principalTypeAsString());
        assertEquals(CONSUMER_ROOT_ARN, allowed.get(0).principal());

        // ---- modify-vpc-endpoint-service-permissions --remove-allowed-principals
        assertEquals(Boolean.TRUE, provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid)
                .removeAllowedPrincipals(CONSUMER_ROOT_ARN)).returnValue());
        assertEquals(List.of(), provider.describeVpcEndpointServicePermissions(r -> r.serviceId(sid))
                .allowedPrincipals());
        assertFalse(consumer.describeVpcEndpointServices(r -> { }).serviceNames().contains(serviceName),
                "a consumer not allowed does not see the service");
        // allowed again, for the rest of the walk
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(CONSUMER_ROOT_ARN));

        // ---- the consumer: describe-vpc-endpoint-services, zones in its own names
        var services = consumer.describeVpcEndpointServices(r -> r.serviceNames(serviceName));
        assertEquals(List.of(serviceName), services.serviceNames());
        ServiceDetail detail = services.serviceDetails().get(0);
        assertEquals(serviceName, detail.serviceName());
        assertEquals(sid, detail.serviceId());
        assertEquals(PROVIDER, detail.owner());
        assertEquals(List.of("Interface"), detail.serviceType().stream().map(ServiceTypeDetail::serviceTypeAsString)
                .toList());
        assertEquals(List.of("us-east-1a", "us-east-1c"), sorted(detail.availabilityZones()),
                "use1-az1 and use1-az2 are the consumer's us-east-1c and us-east-1a");
        assertEquals(Boolean.TRUE, detail.acceptanceRequired());
        assertEquals(List.of(sid + ".us-east-1.vpce.amazonaws.com"), detail.baseEndpointDnsNames());

        // ---- describe-availability-zones: the consumer's mapping
        List<AvailabilityZone> zones = consumer.describeAvailabilityZones(r -> { }).availabilityZones();
        assertEquals(List.of("us-east-1a=use1-az2", "us-east-1b=use1-az3", "us-east-1c=use1-az1"),
                zones.stream().map(z -> z.zoneName() + "=" + z.zoneId()).toList());
        zones.forEach(z -> {
            assertEquals("available", z.stateAsString());
            assertEquals("us-east-1", z.regionName());
        });
        assertEquals(List.of("us-east-1a=use1-az1", "us-east-1b=use1-az2", "us-east-1c=use1-az3"),
                provider.describeAvailabilityZones(r -> { }).availabilityZones().stream()
                        .map(z -> z.zoneName() + "=" + z.zoneId()).toList());

        // ---- create-vpc-endpoint (the consumer, in its us-east-1a and us-east-1c)
        VpcEndpoint endpoint = consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE)
                .vpcId(w.consumerVpc()).serviceName(serviceName)
                .subnetIds(w.consumerSubnet("us-east-1a"), w.consumerSubnet("us-east-1c"))).vpcEndpoint();
        String eid = endpoint.vpcEndpointId();
        assertTrue(eid.matches("vpce-[0-9a-f]{17}"), eid);
        assertEquals("pendingAcceptance", endpoint.stateAsString());
        assertEquals("Interface", endpoint.vpcEndpointTypeAsString());
        assertEquals(w.consumerVpc(), endpoint.vpcId());
        assertEquals(serviceName, endpoint.serviceName());
        assertEquals(sorted(List.of(w.consumerSubnet("us-east-1a"), w.consumerSubnet("us-east-1c"))),
                sorted(endpoint.subnetIds()));
        assertEquals(2, endpoint.networkInterfaceIds().size(), endpoint::toString);
        List<String> dns = endpoint.dnsEntries().stream().map(DnsEntry::dnsName).toList();
        assertEquals(3, dns.size(), dns::toString);
        String base = sid + ".us-east-1.vpce.amazonaws.com";
        assertTrue(dns.get(0).matches(eid + "-[a-z0-9]{8}\\." + base.replace(".", "\\.")), dns.get(0));
        assertEquals(2, dns.stream().filter(d -> d.matches(eid + "-[a-z0-9]{8}-us-east-1[ac]\\."
                + base.replace(".", "\\."))).count(), dns::toString);
        assertEquals(CONSUMER, endpoint.ownerId());
        Await.until(DEADLINE, () -> w.listeners(eid).size() == 2, () -> "listeners of " + eid + ": "
                + w.listeners(eid));

        // ---- the provider: describe-vpc-endpoint-connections --filters Name=vpc-endpoint-state,Values=pendingAcceptance
        List<VpcEndpointConnection> pending = pendingConnections();
        assertEquals(1, pending.size(), pending::toString);
        VpcEndpointConnection c = pending.get(0);
        assertEquals(eid, c.vpcEndpointId());
        assertEquals(sid, c.serviceId());
        assertEquals("pendingAcceptance", c.vpcEndpointStateAsString());
        assertEquals(CONSUMER, c.vpcEndpointOwner());
        assertNotNull(c.creationTimestamp());

        // ---- accept-vpc-endpoint-connections --service-id --vpc-endpoint-ids
        assertEquals(List.of(), provider.acceptVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(eid))
                .unsuccessful());
        assertEquals("available", endpointState(eid));
        assertEquals(List.of(), pendingConnections());
        assertEquals(List.of("available"), provider.describeVpcEndpointConnections(r -> r.filters(
                filter("vpc-endpoint-id", eid))).vpcEndpointConnections().stream()
                .map(VpcEndpointConnection::vpcEndpointStateAsString).toList());

        // ---- reject-vpc-endpoint-connections --service-id --vpc-endpoint-ids
        assertEquals(List.of(), provider.rejectVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(eid))
                .unsuccessful());
        assertEquals("rejected", endpointState(eid));

        // ---- modify-vpc-endpoint-service-configuration --add-network-load-balancer-arn / --remove-...
        String twoArn = w.nlbArn(NLB_TWO);
        assertEquals(Boolean.TRUE, provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(sid)
                .addNetworkLoadBalancerArns(twoArn)).returnValue());
        assertEquals(sorted(List.of(nlbArn, twoArn)), sorted(describeService(sid).networkLoadBalancerArns()));
        // the guide's example removes nlb-vpce/e94221227f1ba532; a rejected endpoint does not block it
        assertEquals(Boolean.TRUE, provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(sid)
                .removeNetworkLoadBalancerArns(GUIDE_NLB_ARN)).returnValue());
        assertEquals(List.of(twoArn), describeService(sid).networkLoadBalancerArns());

        // ---- modify-vpc-endpoint-service-configuration --no-acceptance-required
        assertEquals(Boolean.TRUE, provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(sid)
                .acceptanceRequired(false)).returnValue());
        assertEquals(Boolean.FALSE, describeService(sid).acceptanceRequired());
        // and a new endpoint is accepted at once
        VpcEndpoint second = consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE)
                .vpcId(w.consumerVpc()).serviceName(serviceName).subnetIds(w.consumerSubnet("us-east-1a")))
                .vpcEndpoint();
        assertEquals("available", second.stateAsString());

        // ---- create-vpc-endpoint-connection-notification --connection-notification-arn <topic>
        //      --connection-events Connect Accept Delete Reject --service-id
        String topic = "arn:aws:sns:us-east-1:" + PROVIDER + ":VpceNotification";
        ConnectionNotification n = provider.createVpcEndpointConnectionNotification(r -> r
                .connectionNotificationArn(topic).connectionEvents("Connect", "Accept", "Delete", "Reject")
                .serviceId(sid)).connectionNotification();
        String nid = n.connectionNotificationId();
        assertTrue(nid.matches("vpce-nfn-[0-9a-f]{17}"), nid);
        assertEquals("Enabled", n.connectionNotificationStateAsString());
        assertEquals("Topic", n.connectionNotificationTypeAsString());
        assertEquals(sid, n.serviceId());
        assertEquals(Set.of("Reject", "Accept", "Delete", "Connect"), Set.copyOf(n.connectionEvents()));
        assertEquals(topic, n.connectionNotificationArn());

        // ---- describe-vpc-endpoint-connection-notifications
        List<ConnectionNotification> all = provider.describeVpcEndpointConnectionNotifications(r -> { })
                .connectionNotificationSet();
        assertEquals(List.of(nid), all.stream().map(ConnectionNotification::connectionNotificationId).toList());
        assertEquals(n, all.get(0));

        // ---- modify-vpc-endpoint-connection-notification --connection-notification-id
        //      --connection-events Accept Reject --connection-notification-arn <mytopic>
        String myTopic = "arn:aws:sns:us-east-1:" + PROVIDER + ":mytopic";
        assertEquals(Boolean.TRUE, provider.modifyVpcEndpointConnectionNotification(r -> r
                .connectionNotificationId(nid).connectionEvents("Accept", "Reject").connectionNotificationArn(myTopic))
                .returnValue());
        ConnectionNotification modified = provider.describeVpcEndpointConnectionNotifications(r -> r
                .connectionNotificationId(nid)).connectionNotificationSet().get(0);
        assertEquals(Set.of("Accept", "Reject"), Set.copyOf(modified.connectionEvents()));
        assertEquals(myTopic, modified.connectionNotificationArn());

        // ---- delete-vpc-endpoint-connection-notifications --connection-notification-ids
        assertEquals(List.of(), provider.deleteVpcEndpointConnectionNotifications(r -> r
                .connectionNotificationIds(nid)).unsuccessful());
        assertEquals(List.of(), provider.describeVpcEndpointConnectionNotifications(r -> { })
                .connectionNotificationSet());

        // ---- delete-vpc-endpoints (the consumer)
        String eid2 = second.vpcEndpointId();
        Await.until(DEADLINE, () -> w.listeners(eid2).size() == 1, () -> "listener of " + eid2);
        assertEquals(List.of(), consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(eid, eid2)).unsuccessful());
        assertEquals("deleted", endpointState(eid));
        assertEquals("deleted", endpointState(eid2));
        Await.until(DEADLINE, () -> w.listeners(eid).isEmpty() && w.listeners(eid2).isEmpty(),
                () -> "listeners of deleted endpoints: " + w.dp().listeners());

        // ---- delete-vpc-endpoint-service-configurations --service-ids
        assertEquals(List.of(), provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(sid))
                .unsuccessful());
        assertEquals(List.of(), provider.describeVpcEndpointServiceConfigurations(r -> { })
                .serviceConfigurations());
        Ec2Exception gone = assertThrows(Ec2Exception.class,
                () -> provider.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(sid)));
        assertEquals("InvalidVpcEndpointServiceId.NotFound", gone.awsErrorDetails().errorCode());
        assertFalse(consumer.describeVpcEndpointServices(r -> { }).serviceNames().contains(serviceName));
    }

    @Test
    void dryRunAnswers412DryRunOperationAndChangesNothing() {
        String nlbArn = w.nlbArn(NLB_VPCE);
        Ec2Exception e = assertThrows(Ec2Exception.class, () -> provider.createVpcEndpointServiceConfiguration(r -> r
                .networkLoadBalancerArns(nlbArn).acceptanceRequired(true).dryRun(true)));
        assertEquals(412, e.statusCode());
        assertEquals("DryRunOperation", e.awsErrorDetails().errorCode());
        assertEquals("Request would have succeeded, but DryRun flag is set.", e.awsErrorDetails().errorMessage());
        assertNotNull(e.requestId());
        assertEquals(List.of(), provider.describeVpcEndpointServiceConfigurations(r -> { }).serviceConfigurations());

        Ec2Exception zones = assertThrows(Ec2Exception.class,
                () -> consumer.describeAvailabilityZones(r -> r.dryRun(true)));
        assertEquals(412, zones.statusCode());
        assertEquals("DryRunOperation", zones.awsErrorDetails().errorCode());

        String sid = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlbArn))
                .serviceConfiguration().serviceId();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(CONSUMER_ROOT_ARN));
        Ec2Exception create = assertThrows(Ec2Exception.class, () -> consumer.createVpcEndpoint(r -> r
                .vpcEndpointType(VpcEndpointType.INTERFACE).vpcId(w.consumerVpc())
                .serviceName("com.amazonaws.vpce.us-east-1." + sid).subnetIds(w.consumerSubnet("us-east-1a"))
                .dryRun(true)));
        assertEquals(412, create.statusCode());
        assertEquals("DryRunOperation", create.awsErrorDetails().errorCode());
        assertEquals(List.of(), consumer.describeVpcEndpoints(r -> { }).vpcEndpoints());
    }

    @Test
    void sdkPaginatorsWalkEveryPageWithMaxResultsFive() {
        String sid = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(w.nlbArn(NLB_VPCE))
                .acceptanceRequired(true)).serviceConfiguration().serviceId();
        String serviceName = "com.amazonaws.vpce.us-east-1." + sid;

        // seven allowed principals
        List<String> principals = new ArrayList<>();
        principals.add(CONSUMER_ROOT_ARN);
        for (int i = 1; i <= 6; i++) {
            principals.add("arn:aws:iam::" + (100000000000L + i) + ":root");
        }
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(principals));
        assertPages(7, principals, () -> provider.describeVpcEndpointServicePermissionsPaginator(r -> r
                        .serviceId(sid).maxResults(5)),
                p -> p.allowedPrincipals().stream().map(AllowedPrincipal::principal).toList(),
                p -> p.nextToken());

        // seven connection notifications
        List<String> notifications = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String topic = "arn:aws:sns:us-east-1:" + PROVIDER + ":topic-" + i;
            notifications.add(provider.createVpcEndpointConnectionNotification(r -> r.serviceId(sid)
                    .connectionNotificationArn(topic).connectionEvents("Connect")).connectionNotification()
                    .connectionNotificationId());
        }
        assertPages(7, notifications, () -> provider.describeVpcEndpointConnectionNotificationsPaginator(r -> r
                        .maxResults(5)),
                p -> p.connectionNotificationSet().stream().map(ConnectionNotification::connectionNotificationId)
                        .toList(),
                p -> p.nextToken());

        // six endpoints: the consumer's view and the provider's connections
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String subnet = w.consumerSubnet(i % 2 == 0 ? "us-east-1a" : "us-east-1c");
            endpoints.add(consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE)
                    .vpcId(w.consumerVpc()).serviceName(serviceName).subnetIds(subnet)).vpcEndpoint()
                    .vpcEndpointId());
        }
        assertPages(6, endpoints, () -> consumer.describeVpcEndpointsPaginator(r -> r.maxResults(5)),
                p -> p.vpcEndpoints().stream().map(VpcEndpoint::vpcEndpointId).toList(), p -> p.nextToken());
        assertPages(6, endpoints, () -> provider.describeVpcEndpointConnectionsPaginator(r -> r.maxResults(5)
                        .filters(filter("vpc-endpoint-state", "pendingAcceptance"))),
                p -> p.vpcEndpointConnections().stream().map(VpcEndpointConnection::vpcEndpointId).toList(),
                p -> p.nextToken());
        Await.until(DEADLINE, () -> endpoints.stream().allMatch(e -> w.listeners(e).size() == 1),
                () -> "listeners: " + w.dp().listeners());
    }

    // ---------------------------------------------------------------- helpers

    /** Walks a paginator: every page holds at most five, all but the last page carry a token. */
    private static <P> void assertPages(int total, List<String> expected,
                                        java.util.function.Supplier<Iterable<P>> paginator,
                                        Function<P, List<String>> items, Function<P, String> nextToken) {
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        List<Boolean> tokens = new ArrayList<>();
        for (P page : paginator.get()) {
            List<String> onPage = items.apply(page);
            sizes.add(onPage.size());
            tokens.add(nextToken.apply(page) != null);
            seen.addAll(onPage);
            if (sizes.size() > 10) {
                throw new AssertionError("more than 10 pages for " + total + " items: " + sizes);
            }
        }
        assertEquals(expected, seen, "every item once, in creation order");
        assertEquals(total, seen.size());
        assertEquals(List.of(5, total - 5), sizes);
        assertEquals(List.of(true, false), tokens);
    }

    private ServiceConfiguration describeService(String sid) {
        List<ServiceConfiguration> list = provider.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(sid))
                .serviceConfigurations();
        assertEquals(1, list.size(), list::toString);
        return list.get(0);
    }

    private List<VpcEndpointConnection> pendingConnections() {
        return provider.describeVpcEndpointConnections(r -> r.filters(filter("vpc-endpoint-state",
                "pendingAcceptance"))).vpcEndpointConnections();
    }

    private String endpointState(String eid) {
        List<VpcEndpoint> list = consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(eid)).vpcEndpoints();
        assertEquals(1, list.size(), list::toString);
        return list.get(0).stateAsString();
    }

    static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    private static List<String> sorted(List<String> in) {
        return new ArrayList<>(new TreeSet<>(in));
    }
}
