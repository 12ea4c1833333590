package io.plsim.core.control;

import static io.plsim.core.control.World.BOB;
import static io.plsim.core.control.World.CONSUMER;
import static io.plsim.core.control.World.CONSUMER_VPC;
import static io.plsim.core.control.World.CONSUMER_VPC_2;
import static io.plsim.core.control.World.GROUP_DEFAULT;
import static io.plsim.core.control.World.GROUP_WEB;
import static io.plsim.core.control.World.SUBNET_A;
import static io.plsim.core.control.World.SUBNET_B;
import static io.plsim.core.control.World.SUBNET_TINY;
import static io.plsim.core.control.World.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.model.SecurityGroup;
import io.plsim.core.model.Vpc;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DescribeVpcs, DescribeSubnets, DescribeSecurityGroups and DescribeNetworkInterfaces. */
class NetworkReadsTest {

    private World w;
    private ControlPlane cp;
    private ServiceConfiguration service;

    @BeforeEach
    void setUp() {
        w = new World();
        cp = w.cp;
        service = w.openService(false);
    }

    private long available(String subnetId) {
        return cp.describeSubnets(BOB, List.of(subnetId), List.of(), PageRequest.ALL).items().get(0)
                .availableIpAddressCount();
    }

    @Test
    void vpcsAreTheCallersOwnAndFilterAsEc2Documents() {
        assertEquals(List.of(CONSUMER_VPC, CONSUMER_VPC_2),
                cp.describeVpcs(BOB, List.of(), List.of(), PageRequest.ALL).items().stream().map(Vpc::id).toList());
        assertEquals(List.of(CONSUMER_VPC_2), cp.describeVpcs(BOB, List.of(), List.of(Filter.of("cidr", "127.11.0.0/16")),
                PageRequest.ALL).items().stream().map(Vpc::id).toList());
        assertEquals(0, cp.describeVpcs(BOB, List.of(), List.of(Filter.of("is-default", "true")), PageRequest.ALL)
                .items().size());
        assertFails("InvalidVpcID.NotFound", () -> cp.describeVpcs(BOB, List.of(World.PROVIDER_VPC), List.of(),
                PageRequest.ALL), World.PROVIDER_VPC);
        assertFails("InvalidParameterValue", () -> cp.describeVpcs(BOB, List.of(), List.of(Filter.of("colour", "red")),
                PageRequest.ALL), "colour", "cidr");
    }

    @Test
    void availableAddressesFallAsInterfacesTakeThemAndComeBack() {
        assertEquals(256 - 5, available(SUBNET_A));
        assertEquals(8 - 5, available(SUBNET_TINY));
        VpcEndpoint e = w.endpoint(service, SUBNET_A);
        assertEquals(256 - 6, available(SUBNET_A));
        cp.modifyVpcEndpoint(BOB, ModifyEndpointRequest.subnets(e.vpcEndpointId(), List.of(SUBNET_TINY), List.of()));
        assertEquals(2, available(SUBNET_TINY));
        assertEquals(List.of(SUBNET_TINY), cp.describeSubnets(BOB, List.of(),
                List.of(Filter.of("available-ip-address-count", "2")), PageRequest.ALL).items().stream()
                .map(d -> d.subnet().id()).toList());
        cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
        assertEquals(256 - 5, available(SUBNET_A));
        assertEquals(3, available(SUBNET_TINY));
    }

    @Test
    void aCreateRefusedForWantOfAddressesDrawsNoId() {
        World other = new World();
        ServiceConfiguration otherService = other.openService(false);
        for (int i = 0; i < 3; i++) {
            w.endpoint(service, SUBNET_TINY);
            other.endpoint(otherService, SUBNET_TINY);
        }
        assertFails("InsufficientFreeAddressesInSubnet", () -> w.endpoint(service, SUBNET_TINY), SUBNET_TINY);
        // The world that was refused once gives the next endpoint the ID the other gives it: a replay
        // of the accepted calls alone makes the same IDs.
        assertEquals(other.endpoint(otherService, SUBNET_A).vpcEndpointId(), w.endpoint(service, SUBNET_A).vpcEndpointId());
    }

    @Test
    void subnetsFilterByZoneAsTheCallerNamesIt() {
        List<String> inB = cp.describeSubnets(BOB, List.of(), List.of(Filter.of("availability-zone", "us-east-1b"),
                Filter.of("vpc-id", CONSUMER_VPC)), PageRequest.ALL).items().stream().map(d -> d.subnet().id()).toList();
        assertEquals(List.of(SUBNET_B, SUBNET_TINY), inB);
        assertEquals(inB, cp.describeSubnets(BOB, List.of(), List.of(Filter.of("availability-zone-id", "use1-az1"),
                Filter.of("vpc-id", CONSUMER_VPC)), PageRequest.ALL).items().stream().map(d -> d.subnet().id()).toList());
        assertFails("InvalidSubnetID.NotFound", () -> cp.describeSubnets(BOB, List.of(World.PROVIDER_SUBNET),
                List.of(), PageRequest.ALL));
    }

    @Test
    void everyVpcHasADefaultGroupAndDeclaredOnesShowToo() {
        List<SecurityGroup> mine = cp.describeSecurityGroups(BOB, List.of(), List.of(),
                List.of(Filter.of("vpc-id", CONSUMER_VPC)), PageRequest.ALL).items();
        assertEquals(List.of(GROUP_DEFAULT, GROUP_WEB), mine.stream().map(SecurityGroup::id).toList());
        assertEquals(List.of(GROUP_WEB), cp.describeSecurityGroups(BOB, List.of(), List.of(),
                List.of(Filter.of("group-name", "w*")), PageRequest.ALL).items().stream().map(SecurityGroup::id).toList());
        assertFails("InvalidGroup.NotFound", () -> cp.describeSecurityGroups(BOB, List.of(), List.of("web"), List.of(),
                PageRequest.ALL), "group-name");
        assertFails("InvalidParameterValue", () -> cp.describeSecurityGroups(BOB, List.of(), List.of(),
                List.of(Filter.of("ip-permission.protocol", "tcp")), PageRequest.ALL), "not supported by plsim");
        assertFails("InvalidGroupId.Malformed", () -> cp.describeSecurityGroups(BOB, List.of("web"), List.of(),
                List.of(), PageRequest.ALL));
    }

    @Test
    void anEndpointsInterfacesAreItsOwnersAndFollowIt() {
        VpcEndpoint e = w.endpoint(service, SUBNET_A, SUBNET_B);
        List<NetworkInterface> enis = cp.describeNetworkInterfaces(BOB, List.of(), List.of(), PageRequest.ALL).items();
        assertEquals(e.networkInterfaceIds(), enis.stream().map(NetworkInterface::networkInterfaceId).toList());
        NetworkInterface first = enis.get(0);
        assertEquals(CONSUMER, first.ownerId());
        assertEquals("VPC Endpoint Interface " + e.vpcEndpointId(), first.description());
        assertEquals(e.interfaces().get(0).privateIp(), first.privateIp());
        assertEquals(List.of(GROUP_DEFAULT), first.groups().stream().map(SecurityGroup::id).toList());
        assertTrue(first.macAddress().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"), first.macAddress());
        for (Filter f : List.of(Filter.of("subnet-id", SUBNET_B), Filter.of("availability-zone", "us-east-1b"),
                Filter.of("availability-zone-id", "use1-az1"), Filter.of("private-ip-address", enis.get(1).privateIp()))) {
            assertEquals(List.of(enis.get(1)), cp.describeNetworkInterfaces(BOB, List.of(), List.of(f),
                    PageRequest.ALL).items(), f.name());
        }
        assertEquals(2, cp.describeNetworkInterfaces(BOB, List.of(), List.of(Filter.of("interface-type", "vpc_endpoint"),
                Filter.of("requester-managed", "true"), Filter.of("vpc-id", CONSUMER_VPC)), PageRequest.ALL).items().size());
        assertEquals(0, cp.describeNetworkInterfaces(BOB, List.of(), List.of(Filter.of("association.public-ip", "*")),
                PageRequest.ALL).items().size(), "an endpoint interface has no public IP");
        assertEquals(0, cp.describeNetworkInterfaces(World.ALICE, List.of(), List.of(), PageRequest.ALL).items().size());
        assertFails("InvalidNetworkInterfaceID.NotFound", () -> cp.describeNetworkInterfaces(BOB,
                List.of("eni-0123456789abcdef0"), List.of(), PageRequest.ALL));
        assertFails("InvalidNetworkInterfaceId.Malformed", () -> cp.describeNetworkInterfaces(BOB,
                List.of("nic-1"), List.of(), PageRequest.ALL));

        cp.modifyVpcEndpoint(BOB, ModifyEndpointRequest.subnets(e.vpcEndpointId(), List.of(), List.of(SUBNET_A)));
        assertEquals(List.of(enis.get(1)), cp.describeNetworkInterfaces(BOB, List.of(), List.of(), PageRequest.ALL).items());
        cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
        assertEquals(List.of(), cp.describeNetworkInterfaces(BOB, List.of(), List.of(), PageRequest.ALL).items());
    }

    @Test
    void documentedFiltersOfTheGuidesCallsAreAnswered() {
        VpcEndpoint e = w.endpoint(service, SUBNET_A);
        assertEquals(1, cp.describeVpcEndpoints(BOB, List.of(), List.of(Filter.of("ip-address-type", "ipv4"),
                Filter.of("service-region", World.REGION)), PageRequest.ALL).items().size());
        assertEquals(0, cp.describeVpcEndpoints(BOB, List.of(), List.of(Filter.of("ip-address-type", "ipv6")),
                PageRequest.ALL).items().size());
        assertEquals(List.of(e.vpcEndpointId()), cp.describeConnections(World.ALICE, List.of(
                Filter.of("ip-address-type", "ipv4"), Filter.of("vpc-endpoint-region", World.REGION)), PageRequest.ALL)
                .items().stream().map(EndpointConnection::vpcEndpointId).toList());
        assertEquals(1, cp.describeServiceConfigurations(World.ALICE, List.of(),
                List.of(Filter.of("supported-ip-address-types", "ipv4")), PageRequest.ALL).items().size());
        assertEquals(0, cp.describeServiceConfigurations(World.ALICE, List.of(),
                List.of(Filter.of("tag-key", "x")), PageRequest.ALL).items().size(), "services carry no tags");
        assertEquals(1, cp.describeServices(BOB, List.of(), List.of(Filter.of("service-region", World.REGION)),
                PageRequest.ALL).items().size());
    }
}
