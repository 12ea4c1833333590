package io.plsim.app.api;

import static io.plsim.app.api.ApiWorld.CONSUMER;
import static io.plsim.app.api.ApiWorld.CONSUMER_KEY;
import static io.plsim.app.api.ApiWorld.CONSUMER_ROOT_ARN;
import static io.plsim.app.api.ApiWorld.NLB_VPCE;
import static io.plsim.app.api.ApiWorld.PROVIDER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.Await;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * The EC2 reads around an endpoint and ModifyVpcEndpoint through the AWS SDK for Java v2, on the API
 * world in 127.127.0.0/16: the endpoint's network interfaces, VPCs, subnets with their free
 * addresses, security groups, tags, and subnets added and removed while the data plane follows.
 */
@ExtendWith(LeakCheck.class)
class Ec2NetworkApiTest {

    private static final int NET = TestBlocks.of(Ec2NetworkApiTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static ApiWorld w;
    private static Ec2Client provider;
    private static Ec2Client consumer;
    private static String serviceName;

    @BeforeAll
    static void start() throws Exception {
        w = ApiWorld.start(NET);
        provider = w.client(PROVIDER_KEY);
        consumer = w.client(CONSUMER_KEY);
        String sid = provider.createVpcEndpointServiceConfiguration(r -> r.acceptanceRequired(false)
                .networkLoadBalancerArns(w.nlbArn(NLB_VPCE))).serviceConfiguration().serviceId();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(CONSUMER_ROOT_ARN));
        serviceName = "com.amazonaws.vpce.us-east-1." + sid;
        w.awaitHealthy(NLB_VPCE);
    }

    @AfterAll
    static void stop() {
        if (w != null) {
            w.close();
        }
    }

    private static VpcEndpoint create(String... subnets) {
        return consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE).vpcId(w.consumerVpc())
                .serviceName(serviceName).subnetIds(subnets)).vpcEndpoint();
    }

    private static String code(Runnable call) {
        Ec2Exception e = assertThrows(Ec2Exception.class, call::run);
        return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }

    private static String defaultGroup() {
        return consumer.describeSecurityGroups(r -> r.filters(Filter.builder().name("vpc-id").values(w.consumerVpc())
                .build(), Filter.builder().name("group-name").values("default").build()))
                .securityGroups().get(0).groupId();
    }

    private static int available(String subnetId) {
        return consumer.describeSubnets(r -> r.subnetIds(subnetId)).subnets().get(0).availableIpAddressCount();
    }

    private static String roundTrip(InterfaceListener l, String line) throws Exception {
        try (Socket s = new Socket(l.ip(), l.port())) {
            s.setSoTimeout(5000);
            PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.println(line);
            return in.readLine();
        }
    }

    @Test
    void theEndpointsNetworkInterfacesAreDescribedAsEc2DescribesThem() {
        VpcEndpoint e = create(w.consumerSubnet("us-east-1a"), w.consumerSubnet("us-east-1c"));
        try {
            List<NetworkInterface> enis = consumer.describeNetworkInterfaces(r -> r.networkInterfaceIds(
                    e.networkInterfaceIds())).networkInterfaces();
            assertEquals(2, enis.size());
            for (NetworkInterface n : enis) {
                assertEquals(NetworkInterfaceType.VPC_ENDPOINT, n.interfaceType());
                assertEquals("VPC Endpoint Interface " + e.vpcEndpointId(), n.description());
                assertEquals(w.consumerVpc(), n.vpcId());
                assertEquals(CONSUMER, n.ownerId());
                assertEquals(Boolean.TRUE, n.requesterManaged());
                assertEquals("in-use", n.statusAsString());
                assertEquals(List.of(defaultGroup()), n.groups().stream().map(g -> g.groupId()).toList());
                assertTrue(e.subnetIds().contains(n.subnetId()));
                assertEquals(n.privateIpAddress(), n.privateIpAddresses().get(0).privateIpAddress());
            }
            List<NetworkInterface> inC = consumer.describeNetworkInterfaces(r -> r.filters(
                    Filter.builder().name("availability-zone").values("us-east-1c").build(),
                    Filter.builder().name("description").values("VPC Endpoint Interface " + e.vpcEndpointId()).build()))
                    .networkInterfaces();
            assertEquals(1, inC.size());
            assertEquals(w.consumerSubnet("us-east-1c"), inC.get(0).subnetId());
            assertEquals("use1-az1", inC.get(0).availabilityZoneId());
            assertEquals(List.of(), provider.describeNetworkInterfaces(r -> { }).networkInterfaces(),
                    "the provider does not see the consumer's interfaces");
            assertTrue(code(() -> consumer.describeNetworkInterfaces(r -> r.networkInterfaceIds("eni-0123456789abcdef0")))
                    .startsWith("InvalidNetworkInterfaceID.NotFound"));
            // The filter EC2 documents for describe-vpc-endpoints, answered rather than refused.
            assertEquals(List.of(e.vpcEndpointId()), consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(
                    e.vpcEndpointId()).filters(Filter.builder().name("ip-address-type").values("ipv4").build()))
                    .vpcEndpoints().stream().map(VpcEndpoint::vpcEndpointId).toList());
        } finally {
            consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()));
        }
    }

    @Test
    void vpcsSubnetsAndGroupsOfTheCaller() {
        List<Vpc> vpcs = consumer.describeVpcs(r -> r.vpcIds(w.consumerVpc())).vpcs();
        assertEquals(1, vpcs.size());
        assertEquals("available", vpcs.get(0).stateAsString());
        assertEquals(Boolean.FALSE, vpcs.get(0).isDefault());
        assertEquals(CONSUMER, vpcs.get(0).ownerId());
        assertTrue(code(() -> consumer.describeVpcs(r -> r.vpcIds(w.providerVpc()))).startsWith("InvalidVpcID.NotFound"));

        List<Subnet> subnets = consumer.describeSubnets(r -> r.filters(Filter.builder().name("vpc-id")
                .values(w.consumerVpc()).build(), Filter.builder().name("availability-zone").values("us-east-1c")
                .build())).subnets();
        assertEquals(List.of(w.consumerSubnet("us-east-1c")), subnets.stream().map(Subnet::subnetId).toList());
        assertEquals("use1-az1", subnets.get(0).availabilityZoneId());

        SecurityGroup g = consumer.describeSecurityGroups(r -> r.groupIds(defaultGroup())).securityGroups().get(0);
        assertEquals("default", g.groupName());
        assertEquals("default VPC security group", g.description());
        assertEquals(w.consumerVpc(), g.vpcId());
        assertEquals("0.0.0.0/0", g.ipPermissionsEgress().get(0).ipRanges().get(0).cidrIp());
        assertTrue(code(() -> consumer.describeSecurityGroups(r -> r.filters(Filter.builder()
                .name("ip-permission.protocol").values("tcp").build()))).contains("not supported by plsim"));
    }

    @Test
    void createWithGroupsKeepsThemAndAnotherVpcsGroupIsRefused() {
        String group = defaultGroup();
        VpcEndpoint e = consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE)
                .vpcId(w.consumerVpc()).serviceName(serviceName).subnetIds(w.consumerSubnet("us-east-1a"))
                .securityGroupIds(group)).vpcEndpoint();
        try {
            assertEquals(List.of(group), e.groups().stream().map(x -> x.groupId()).toList());
            assertEquals("default", e.groups().get(0).groupName());
        } finally {
            consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()));
        }
        String providersGroup = provider.describeSecurityGroups(r -> r.filters(Filter.builder().name("vpc-id")
                .values(w.providerVpc()).build())).securityGroups().get(0).groupId();
        assertTrue(code(() -> consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE)
                .vpcId(w.consumerVpc()).serviceName(serviceName).subnetIds(w.consumerSubnet("us-east-1a"))
                .securityGroupIds(providersGroup))).startsWith("InvalidGroup.NotFound"));
    }

    @Test
    void modifyAddsAndRemovesSubnetsAndTheDataPlaneFollows() throws Exception {
        String a = w.consumerSubnet("us-east-1a");
        String c = w.consumerSubnet("us-east-1c");
        int freeInC = available(c);
        VpcEndpoint e = create(a);
        String id = e.vpcEndpointId();
        try {
            Await.until(DEADLINE, () -> w.listeners(id).size() == 1, () -> "listeners: " + w.listeners(id));
            assertEquals(Boolean.TRUE, consumer.modifyVpcEndpoint(r -> r.vpcEndpointId(id).addSubnetIds(c)).returnValue());
            assertEquals(freeInC - 1, available(c), "the new interface took an address");
            VpcEndpoint now = consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(id)).vpcEndpoints().get(0);
            assertEquals(List.of(a, c), now.subnetIds());
            assertEquals(3, now.dnsEntries().size());
            Await.until(DEADLINE, () -> w.listeners(id).size() == 2, () -> "listeners: " + w.listeners(id));
            InterfaceListener inAz1 = w.listeners(id).stream().filter(l -> l.zoneId().equals("use1-az1")).findFirst()
                    .orElseThrow();
            assertEquals("through the new interface", roundTrip(inAz1, "through the new interface"));

            consumer.modifyVpcEndpoint(r -> r.vpcEndpointId(id).removeSubnetIds(a));
            Await.until(DEADLINE, () -> w.listeners(id).size() == 1, () -> "listeners: " + w.listeners(id));
            assertEquals("use1-az1", w.listeners(id).get(0).zoneId());
            assertEquals(List.of(c), consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(id)).vpcEndpoints().get(0)
                    .subnetIds());

            assertTrue(code(() -> consumer.modifyVpcEndpoint(r -> r.vpcEndpointId(id).removeSubnetIds(c)))
                    .startsWith("InvalidParameter"), "an endpoint keeps one subnet");
            assertTrue(code(() -> consumer.modifyVpcEndpoint(r -> r.vpcEndpointId(id).addSubnetIds(
                    w.consumerSubnet("us-east-1b")))).contains("does not support the availability zone"));
            assertTrue(code(() -> consumer.modifyVpcEndpoint(r -> r.vpcEndpointId(id)
                    .policyDocument("{\"Statement\":[]}"))).contains("does not support VPC endpoint policies"));
            assertEquals(Boolean.TRUE, consumer.modifyVpcEndpoint(r -> r.vpcEndpointId(id).resetPolicy(true))
                    .returnValue());
            assertTrue(code(() -> consumer.modifyVpcEndpoint(r -> r.vpcEndpointId(id).removeSecurityGroupIds(
                    defaultGroup()))).contains("at least one security group"));
        } finally {
            consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(id));
        }
        assertEquals(freeInC, available(c), "a deleted endpoint gives its addresses back");
    }

    @Test
    void tagsAreDescribedAndDeletedAndServicesRefuseThem() {
        VpcEndpoint e = create(w.consumerSubnet("us-east-1a"));
        String id = e.vpcEndpointId();
        try {
            consumer.createTags(r -> r.resources(id).tags(Tag.builder().key("team").value("a").build(),
                    Tag.builder().key("env").value("prod").build()));
            Map<String, String> tags = consumer.describeTags(r -> r.filters(Filter.builder().name("resource-id")
                    .values(id).build())).tags().stream().collect(Collectors.toMap(TagDescription::key,
                    TagDescription::value));
            assertEquals(Map.of("team", "a", "env", "prod"), tags);
            assertEquals(ResourceType.VPC_ENDPOINT, consumer.describeTags(r -> r.filters(Filter.builder()
                    .name("key").values("team").build())).tags().get(0).resourceType());
            consumer.deleteTags(r -> r.resources(id).tags(Tag.builder().key("team").value("other").build()));
            assertEquals(2, consumer.describeTags(r -> r.filters(Filter.builder().name("resource-id").values(id)
                    .build())).tags().size(), "a value that differs keeps the tag");
            consumer.deleteTags(r -> r.resources(id).tags(Tag.builder().key("team").build()));
            assertEquals(List.of("env"), consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(id)).vpcEndpoints().get(0)
                    .tags().stream().map(Tag::key).toList());
            String sid = serviceName.substring(serviceName.lastIndexOf('.') + 1);
            assertTrue(code(() -> provider.deleteTags(r -> r.resources(sid))).contains("cannot tag an endpoint service"));
        } finally {
            consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(id));
        }
    }

    @Test
    void aTagWithACharacterXmlForbidsIsRefusedAndEveryDescribeStaysParseable() {
        VpcEndpoint e = create(w.consumerSubnet("us-east-1a"));
        String id = e.vpcEndpointId();
        try {
            String refused = code(() -> consumer.createTags(r -> r.resources(id)
                    .tags(Tag.builder().key("k\u0001").value("\u0000").build())));
            assertTrue(refused.startsWith("InvalidParameterValue") && refused.contains("Tag.1.Key")
                    && refused.contains("U+0001"), refused);
            // Nothing was stored, and the answers the AWS CLI would read still parse.
            assertTrue(consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(id)).vpcEndpoints().get(0).tags().isEmpty());
            assertTrue(consumer.describeTags(r -> r.filters(Filter.builder().name("resource-id").values(id).build()))
                    .tags().isEmpty());
        } finally {
            consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(id));
        }
    }
}
