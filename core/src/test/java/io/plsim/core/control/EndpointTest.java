package io.plsim.core.control;

import static io.plsim.core.control.World.ALICE;
import static io.plsim.core.control.World.APP;
import static io.plsim.core.control.World.BOB;
import static io.plsim.core.control.World.BOB_IN_OTHER_REGION;
import static io.plsim.core.control.World.CONSUMER;
import static io.plsim.core.control.World.CONSUMER_ROOT;
import static io.plsim.core.control.World.CONSUMER_VPC;
import static io.plsim.core.control.World.CONSUMER_VPC_2;
import static io.plsim.core.control.World.NLB_A;
import static io.plsim.core.control.World.NLB_B;
import static io.plsim.core.control.World.NLB_SOLO;
import static io.plsim.core.control.World.PROVIDER_SUBNET;
import static io.plsim.core.control.World.PROVIDER_VPC;
import static io.plsim.core.control.World.ROOT_ARN;
import static io.plsim.core.control.World.STRANGER_SUBNET;
import static io.plsim.core.control.World.STRANGER_VPC;
import static io.plsim.core.control.World.SUBNET_A;
import static io.plsim.core.control.World.SUBNET_A_2;
import static io.plsim.core.control.World.SUBNET_B;
import static io.plsim.core.control.World.SUBNET_C;
import static io.plsim.core.control.World.SUBNET_OTHER_VPC;
import static io.plsim.core.control.World.SUBNET_TINY;
import static io.plsim.core.control.World.assertFails;
import static io.plsim.core.control.World.assertOneFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.model.Cidr;
import io.plsim.core.model.Ipv4;
import io.plsim.core.model.LoadBalancer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EndpointTest {

    private World w;
    private ControlPlane cp;

    @BeforeEach
    void setUp() {
        w = new World();
        cp = w.cp;
    }

    private VpcEndpoint create(Caller caller, String vpc, String serviceName, String... subnets) {
        return cp.createVpcEndpoint(caller, CreateEndpointRequest.of(vpc, serviceName, subnets));
    }

    private static List<String> ids(Page<VpcEndpoint> page) {
        return page.items().stream().map(VpcEndpoint::vpcEndpointId).toList();
    }

    private List<String> describe(Filter... filters) {
        return ids(cp.describeVpcEndpoints(BOB, List.of(), List.of(filters), PageRequest.ALL));
    }

    private static int ip(EndpointInterface eni) {
        return Ipv4.parse(eni.privateIp()).orElseThrow();
    }

    @Nested
    class Zones {

        @Test
        void consumerSeesTheServiceInItsOwnZoneNames() {
            ServiceConfiguration solo = w.service(true, NLB_SOLO);
            w.allow(solo, ROOT_ARN);
            assertEquals(List.of("us-east-1a"), solo.availabilityZones(), "provider's name of use1-az1");

            ServiceDetail seen = cp.describeServices(BOB, List.of(solo.serviceName()), List.of(), PageRequest.ALL)
                    .items().get(0);
            assertEquals(List.of("us-east-1b"), seen.availabilityZones(), "consumer's name of use1-az1");
            assertEquals(solo.serviceId(), seen.serviceId());
            assertEquals(World.PROVIDER, seen.ownerId());
            assertEquals(solo.baseEndpointDnsNames(), seen.baseEndpointDnsNames());
            assertTrue(seen.acceptanceRequired());
        }

        @Test
        void consumersZoneAIsTheProvidersZoneB() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint e = w.endpoint(s, SUBNET_A);

            EndpointInterface eni = e.interfaces().get(0);
            assertEquals("us-east-1a", eni.zoneName(), "the consumer's name");
            assertEquals("use1-az2", eni.zoneId(), "the shared zone ID");
            LoadBalancer.NlbNodeSpec node = w.topology.loadBalancer(eni.loadBalancerArn()).orElseThrow()
                    .nodeIn(eni.zoneId()).orElseThrow();
            assertEquals("us-east-1b", node.zoneName(), "the provider's node for that zone is in its us-east-1b");
        }

        @Test
        void subnetInAZoneTheServiceIsNotOfferedInIsInvalidParameter() {
            ServiceConfiguration solo = w.service(true, NLB_SOLO);
            w.allow(solo, ROOT_ARN);
            // the consumer's us-east-1a is use1-az2, where NLB_SOLO has no node, though the provider's
            // service lists "us-east-1a"
            assertFails("InvalidParameter", () -> w.endpoint(solo, SUBNET_A), SUBNET_A);
            assertEquals("us-east-1b", w.endpoint(solo, SUBNET_B).interfaces().get(0).zoneName());
        }

        @Test
        void subnetInTheThirdZoneNeedsALoadBalancerThere() {
            ServiceConfiguration s = w.service(true, NLB_B);
            w.allow(s, ROOT_ARN);
            assertFails("InvalidParameter", () -> w.endpoint(s, SUBNET_B, SUBNET_C), SUBNET_C);
            assertEquals(List.of(), cp.endpoints(), "nothing created by the refused request");
        }

        @Test
        void twoSubnetsInOneZoneAreDuplicateSubnetsInSameZone() {
            ServiceConfiguration s = w.openService(true);
            assertFails("DuplicateSubnetsInSameZone", () -> w.endpoint(s, SUBNET_A, SUBNET_A_2), SUBNET_A_2);
            assertEquals(List.of(), cp.endpoints());
        }

        @Test
        void describeAvailabilityZonesNamesZonesAsTheCallersAccountDoes() {
            assertEquals(List.of(new AvailabilityZone("us-east-1a", "use1-az2", "us-east-1"),
                            new AvailabilityZone("us-east-1b", "use1-az1", "us-east-1"),
                            new AvailabilityZone("us-east-1c", "use1-az3", "us-east-1")),
                    cp.describeAvailabilityZones(BOB));
            assertEquals("use1-az1", cp.describeAvailabilityZones(ALICE).get(0).zoneId());
        }
    }

    @Nested
    class Validation {

        private ServiceConfiguration s;

        @BeforeEach
        void service() {
            s = w.openService(true);
        }

        @Test
        void unknownVpcIsNotFound() {
            assertFails("InvalidVpcID.NotFound", () -> create(BOB, "vpc-0000000000000dead", s.serviceName(),
                    SUBNET_B), "vpc-0000000000000dead");
        }

        @Test
        void anotherAccountsVpcIsNotFound() {
            assertFails("InvalidVpcID.NotFound", () -> create(BOB, PROVIDER_VPC, s.serviceName(), PROVIDER_SUBNET),
                    PROVIDER_VPC);
            assertFails("InvalidVpcID.NotFound", () -> create(BOB, STRANGER_VPC, s.serviceName(), STRANGER_SUBNET),
                    STRANGER_VPC);
        }

        @Test
        void unknownSubnetIsNotFound() {
            assertFails("InvalidSubnetID.NotFound", () -> create(BOB, CONSUMER_VPC, s.serviceName(),
                    "subnet-0000000000000dead"), "subnet-0000000000000dead");
        }

        @Test
        void anotherAccountsSubnetIsNotFound() {
            assertFails("InvalidSubnetID.NotFound", () -> create(BOB, CONSUMER_VPC, s.serviceName(),
                    SUBNET_B, PROVIDER_SUBNET), PROVIDER_SUBNET);
        }

        @Test
        void subnetOfAnotherVpcIsInvalidParameter() {
            assertFails("InvalidParameter", () -> create(BOB, CONSUMER_VPC, s.serviceName(), SUBNET_OTHER_VPC),
                    SUBNET_OTHER_VPC, CONSUMER_VPC);
            // but in its own VPC it is fine
            assertEquals(CONSUMER_VPC_2, create(BOB, CONSUMER_VPC_2, s.serviceName(), SUBNET_OTHER_VPC).vpcId());
        }

        @Test
        void noSubnetIsMissingParameter() {
            assertFails("MissingParameter", () -> create(BOB, CONSUMER_VPC, s.serviceName()), "SubnetId");
        }

        @Test
        void unknownServiceNameIsInvalidServiceName() {
            String name = "com.amazonaws.vpce.us-east-1.vpce-svc-0000000000000dead";
            assertFails("InvalidServiceName", () -> create(BOB, CONSUMER_VPC, name, SUBNET_B), name);
        }

        @Test
        void callerInAnotherRegionIsInvalidServiceName() {
            assertFails("InvalidServiceName", () -> create(BOB_IN_OTHER_REGION, CONSUMER_VPC, s.serviceName(),
                    SUBNET_B), s.serviceName());
            assertEquals(List.of(), cp.describeServices(BOB_IN_OTHER_REGION, List.of(), List.of(), PageRequest.ALL)
                    .items());
        }

        @Test
        void privateDnsOfAServiceWithoutAPrivateDnsNameIsInvalidParameter() {
            assertFails("InvalidParameter", () -> cp.createVpcEndpoint(BOB, new CreateEndpointRequest(CONSUMER_VPC,
                    s.serviceName(), List.of(SUBNET_B), null, true, null, null)),
                    "Private DNS can't be enabled because the service " + s.serviceName()
                            + " does not provide a private DNS name.");
            // explicitly off is fine
            assertNotNull(cp.createVpcEndpoint(BOB, new CreateEndpointRequest(CONSUMER_VPC,
                    s.serviceName(), List.of(SUBNET_B), "Interface", false, "ipv4", null)));
        }

        @Test
        void ipv6IsInvalidParameter() {
            assertFails("InvalidParameter", () -> cp.createVpcEndpoint(BOB, new CreateEndpointRequest(CONSUMER_VPC,
                    s.serviceName(), List.of(SUBNET_B), null, null, "dualstack", null)), "dualstack");
            assertFails("InvalidParameter", () -> cp.createVpcEndpoint(BOB, new CreateEndpointRequest(CONSUMER_VPC,
                    s.serviceName(), List.of(SUBNET_B), null, null, "ipv6", null)), "ipv6");
        }

        @Test
        void gatewayTypeIsInvalidParameter() {
            assertFails("InvalidParameter", () -> cp.createVpcEndpoint(BOB, new CreateEndpointRequest(CONSUMER_VPC,
                    s.serviceName(), List.of(SUBNET_B), "Gateway", null, null, null)), "Gateway");
            assertEquals(List.of(), cp.endpoints());
        }
    }

    @Nested
    class NetworkInterfaces {

        @Test
        void oneInterfacePerSubnetWithAUsableAddressOfThatSubnet() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint e = w.endpoint(s, SUBNET_A, SUBNET_B, SUBNET_C);

            assertEquals(List.of(SUBNET_A, SUBNET_B, SUBNET_C), e.subnetIds());
            assertEquals(3, new HashSet<>(e.networkInterfaceIds()).size());
            for (EndpointInterface eni : e.interfaces()) {
                assertTrue(eni.networkInterfaceId().matches("eni-[0-9a-f]{17}"), eni.networkInterfaceId());
                assertUsable(eni);
            }
            assertEquals(List.of("us-east-1a", "us-east-1b", "us-east-1c"),
                    e.interfaces().stream().map(EndpointInterface::zoneName).toList());
            assertEquals(List.of("use1-az2", "use1-az1", "use1-az3"),
                    e.interfaces().stream().map(EndpointInterface::zoneId).toList());
        }

        @Test
        void addressesAreUniqueAcrossEndpoints() {
            ServiceConfiguration s = w.openService(false);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                VpcEndpoint e = w.endpoint(i % 2 == 0 ? BOB : APP, s, SUBNET_A, SUBNET_B);
                for (EndpointInterface eni : e.interfaces()) {
                    assertUsable(eni);
                    assertTrue(seen.add(eni.privateIp()), "address used twice: " + eni.privateIp());
                }
            }
        }

        @Test
        void slash29SubnetHoldsThreeInterfacesThenIsExhausted() {
            ServiceConfiguration s = w.openService(true);
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                addresses.add(w.endpoint(s, SUBNET_TINY).interfaces().get(0).privateIp());
            }
            // 127.10.5.0/29: .0-.3 are reserved, .7 is the last address
            assertEquals(List.of("127.10.5.4", "127.10.5.5", "127.10.5.6"), addresses);
            assertFails("InsufficientFreeAddressesInSubnet", () -> w.endpoint(s, SUBNET_TINY), SUBNET_TINY);
            assertEquals(3, cp.endpoints().size());
        }

        @Test
        void failedCreationLeaksNoAddress() {
            ServiceConfiguration s = w.openService(true);
            for (int i = 0; i < 3; i++) {
                w.endpoint(s, SUBNET_TINY);
            }
            // SUBNET_A gets its address before SUBNET_TINY turns out full; it must be given back
            assertFails("InsufficientFreeAddressesInSubnet", () -> w.endpoint(s, SUBNET_A, SUBNET_TINY), SUBNET_TINY);
            assertFails("InsufficientFreeAddressesInSubnet", () -> w.endpoint(s, SUBNET_A, SUBNET_TINY), SUBNET_TINY);

            VpcEndpoint later = w.endpoint(s, SUBNET_A);
            assertEquals("127.10.1.4", later.interfaces().get(0).privateIp(), "the first usable address of SUBNET_A");
            assertEquals(4, cp.endpoints().size());
        }

        @Test
        void deletingAnEndpointFreesItsAddresses() {
            ServiceConfiguration s = w.openService(true);
            List<VpcEndpoint> tiny = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tiny.add(w.endpoint(s, SUBNET_TINY));
            }
            String freed = tiny.get(1).interfaces().get(0).privateIp();
            assertEquals(List.of(), cp.deleteVpcEndpoints(BOB, List.of(tiny.get(1).vpcEndpointId())));
            assertEquals(List.of(), w.endpointNow(tiny.get(1).vpcEndpointId()).interfaces());

            VpcEndpoint reuse = w.endpoint(s, SUBNET_TINY);
            assertEquals(freed, reuse.interfaces().get(0).privateIp());
            assertFails("InsufficientFreeAddressesInSubnet", () -> w.endpoint(s, SUBNET_TINY), SUBNET_TINY);
        }

        @Test
        void rejectedEndpointKeepsItsAddressesUntilDeleted() {
            ServiceConfiguration s = w.openService(true);
            List<VpcEndpoint> tiny = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tiny.add(w.endpoint(s, SUBNET_TINY));
            }
            cp.rejectConnections(ALICE, s.serviceId(), List.of(tiny.get(0).vpcEndpointId()));
            assertEquals(1, w.endpointNow(tiny.get(0).vpcEndpointId()).interfaces().size());
            assertFails("InsufficientFreeAddressesInSubnet", () -> w.endpoint(s, SUBNET_TINY), SUBNET_TINY);
        }

        @Test
        void interfaceAddressesNeverCollideWithLoadBalancerNodes() {
            ServiceConfiguration s = w.openService(true);
            Set<Integer> nodes = new HashSet<>();
            w.topology.loadBalancers().values().forEach(lb -> lb.nodes().forEach(n -> nodes.add(n.ip())));
            for (int i = 0; i < 5; i++) {
                for (EndpointInterface eni : w.endpoint(s, SUBNET_A, SUBNET_B, SUBNET_C).interfaces()) {
                    assertFalse(nodes.contains(ip(eni)));
                }
            }
        }

        private void assertUsable(EndpointInterface eni) {
            Cidr cidr = w.topology.subnets().get(eni.subnetId()).cidr();
            int ip = ip(eni);
            assertTrue(cidr.contains(ip), eni.privateIp() + " in " + cidr);
            long offset = Integer.toUnsignedLong(ip) - Integer.toUnsignedLong(cidr.network());
            assertTrue(offset >= 4, eni.privateIp() + " is one of the first four of " + cidr);
            assertTrue(offset < cidr.size() - 1, eni.privateIp() + " is the last address of " + cidr);
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void startsPendingAcceptanceWhenAcceptanceIsRequired() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            assertEquals(EndpointState.PENDING_ACCEPTANCE, e.state());
            assertEquals("pendingAcceptance", e.state().wire());
            assertTrue(e.vpcEndpointId().matches("vpce-[0-9a-f]{17}"), e.vpcEndpointId());
            assertEquals(CONSUMER, e.ownerId());
            assertEquals(CONSUMER_VPC, e.vpcId());
            assertEquals(s.serviceId(), e.serviceId());
            assertEquals(s.serviceName(), e.serviceName());
            assertEquals(World.NOW, e.created());
            assertEquals(BOB.principal(), e.requester());
        }

        @Test
        void startsAvailableWhenAcceptanceIsNotRequired() {
            ServiceConfiguration s = w.openService(false);
            assertEquals(EndpointState.AVAILABLE, w.endpoint(s, SUBNET_B).state());
        }

        @Test
        void hasARegionalAndOneZonalDnsNamePerZone() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint e = w.endpoint(s, SUBNET_A, SUBNET_B);
            String base = Pattern.quote("." + s.serviceId() + ".us-east-1.vpce.amazonaws.com");
            String id = Pattern.quote(e.vpcEndpointId());

            assertEquals(3, e.dnsEntries().size());
            DnsEntry regional = e.dnsEntries().get(0);
            assertNull(regional.zoneName());
            Matcher m = Pattern.compile(id + "-([a-z0-9]{8})" + base).matcher(regional.dnsName());
            assertTrue(m.matches(), regional.dnsName());
            String chars = m.group(1);

            Map<String, String> zonal = Map.of(e.dnsEntries().get(1).zoneName(), e.dnsEntries().get(1).dnsName(),
                    e.dnsEntries().get(2).zoneName(), e.dnsEntries().get(2).dnsName());
            assertEquals(Set.of("us-east-1a", "us-east-1b"), zonal.keySet());
            zonal.forEach((zone, name) -> assertEquals(e.vpcEndpointId() + "-" + chars + "-" + zone + "."
                    + s.serviceId() + ".us-east-1.vpce.amazonaws.com", name));
        }

        @Test
        void dnsNamesDifferBetweenEndpoints() {
            ServiceConfiguration s = w.openService(true);
            assertNotEquals(w.endpoint(s, SUBNET_B).dnsEntries().get(0).dnsName(),
                    w.endpoint(s, SUBNET_B).dnsEntries().get(0).dnsName());
        }

        @Test
        void creationIsAnnouncedToListeners() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            List<ControlEvent.EndpointChanged> changes = w.endpointChanges(e.vpcEndpointId());
            assertEquals(1, changes.size());
            assertTrue(changes.get(0).created());
            assertEquals(e, changes.get(0).endpoint());
        }

        @Test
        void deleteGoesThroughDeletingToDeletedInOrder() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint e = w.endpoint(s, SUBNET_A, SUBNET_B);
            List<String> seen = new ArrayList<>();
            cp.addListener(ev -> {
                if (ev instanceof ControlEvent.EndpointChanged c) {
                    seen.add(c.previous() + "->" + c.endpoint().state());
                }
            });

            assertEquals(List.of(), cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId())));

            assertEquals(List.of("pendingAcceptance->deleting", "deleting->deleted"), seen);
            VpcEndpoint deleted = w.endpointNow(e.vpcEndpointId());
            assertEquals(EndpointState.DELETED, deleted.state());
            assertEquals(List.of(), deleted.interfaces());
            assertEquals(List.of(), deleted.dnsEntries());
        }

        @Test
        void aDeletedEndpointIsForgottenOnceItsRetentionHasPassed() {
            ServiceConfiguration s = w.openService(false);
            VpcEndpoint kept = w.endpoint(s, SUBNET_B);
            cp.deleteVpcEndpoints(BOB, List.of(kept.vpcEndpointId()));
            assertEquals(EndpointState.DELETED, w.stateOf(kept.vpcEndpointId()), "an hour by default: still described");
            cp.retainDeleted(java.time.Duration.ZERO);
            assertTrue(cp.endpoints().stream().noneMatch(e -> e.vpcEndpointId().equals(kept.vpcEndpointId())),
                    "forgotten once its retention passed");
            // A long run of creates and deletes keeps nothing of them.
            for (int i = 0; i < 500; i++) {
                VpcEndpoint e = w.endpoint(s, SUBNET_B);
                cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
            }
            assertEquals(0, cp.endpoints().stream().filter(e -> e.state() == EndpointState.DELETED).count());
            assertOneFailure(cp.deleteVpcEndpoints(BOB, List.of(kept.vpcEndpointId())), kept.vpcEndpointId(),
                    "InvalidVpcEndpointId.NotFound");
        }

        @Test
        void atMostTenThousandDeletedEndpointsAreKeptWhateverTheirRetention() {
            ServiceConfiguration s = w.openService(false);
            for (int i = 0; i < ControlPlane.MAX_DELETED_KEPT + 50; i++) {
                VpcEndpoint e = w.endpoint(s, SUBNET_B);
                cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
            }
            assertEquals(ControlPlane.MAX_DELETED_KEPT, cp.endpoints().size());
        }

        @Test
        void deletingAgainIsNotFoundPerItem() {
            ServiceConfiguration s = w.openService(false);
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
            int before = w.events.size();
            assertOneFailure(cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId())), e.vpcEndpointId(),
                    "InvalidVpcEndpointId.NotFound");
            assertEquals(before, w.events.size());
        }

        @Test
        void deleteAnswersPerItemInAMixedBatch() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint mine = w.endpoint(s, SUBNET_B);
            String unknown = "vpce-0000000000000dead";
            assertOneFailure(cp.deleteVpcEndpoints(BOB, List.of(unknown, mine.vpcEndpointId())), unknown,
                    "InvalidVpcEndpointId.NotFound");
            assertEquals(EndpointState.DELETED, w.stateOf(mine.vpcEndpointId()));
        }

        @Test
        void anyPrincipalOfTheOwnerAccountMayDeleteButNoOtherAccount() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            assertOneFailure(cp.deleteVpcEndpoints(ALICE, List.of(e.vpcEndpointId())), e.vpcEndpointId(),
                    "InvalidVpcEndpointId.NotFound");
            assertEquals(List.of(), cp.deleteVpcEndpoints(APP, List.of(e.vpcEndpointId())));
        }

        @Test
        void rejectedEndpointCanBeDeleted() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            cp.rejectConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId()));
            assertEquals(List.of(), cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId())));
            assertEquals(List.of("null->pendingAcceptance", "pendingAcceptance->rejected", "rejected->deleting",
                    "deleting->deleted"), w.endpointChanges(e.vpcEndpointId()).stream()
                    .map(c -> c.previous() + "->" + c.endpoint().state()).toList());
        }
    }

    @Nested
    class DescribeAndTags {

        private ServiceConfiguration manual;
        private ServiceConfiguration auto;

        @BeforeEach
        void services() {
            manual = w.openService(true);
            auto = w.service(false, NLB_SOLO);
            w.allow(auto, ROOT_ARN);
        }

        @Test
        void filtersByStateServiceNameAndVpc() {
            VpcEndpoint pending = w.endpoint(manual, SUBNET_B);
            VpcEndpoint available = w.endpoint(auto, SUBNET_B);
            VpcEndpoint otherVpc = create(BOB, CONSUMER_VPC_2, auto.serviceName(), SUBNET_OTHER_VPC);
            VpcEndpoint deleted = w.endpoint(manual, SUBNET_A);
            cp.deleteVpcEndpoints(BOB, List.of(deleted.vpcEndpointId()));

            assertEquals(List.of(pending.vpcEndpointId()), describe(Filter.of("vpc-endpoint-state",
                    "pendingAcceptance")));
            assertEquals(List.of(available.vpcEndpointId(), otherVpc.vpcEndpointId()),
                    describe(Filter.of("vpc-endpoint-state", "available")));
            assertEquals(List.of(deleted.vpcEndpointId()), describe(Filter.of("vpc-endpoint-state", "deleted")));
            assertEquals(List.of(available.vpcEndpointId(), otherVpc.vpcEndpointId()),
                    describe(Filter.of("service-name", auto.serviceName())));
            assertEquals(List.of(otherVpc.vpcEndpointId()), describe(Filter.of("vpc-id", CONSUMER_VPC_2)));
            assertEquals(List.of(available.vpcEndpointId()), describe(Filter.of("vpc-id", CONSUMER_VPC),
                    Filter.of("vpc-endpoint-state", "available")));
            assertEquals(List.of(pending.vpcEndpointId(), available.vpcEndpointId(), otherVpc.vpcEndpointId(),
                    deleted.vpcEndpointId()), describe(Filter.of("service-name", "com.amazonaws.vpce.*")));
        }

        @Test
        void byIdAndOnlyTheOwnersEndpoints() {
            VpcEndpoint e = w.endpoint(manual, SUBNET_B);
            assertEquals(List.of(e), cp.describeVpcEndpoints(CONSUMER_ROOT, List.of(e.vpcEndpointId()), List.of(),
                    PageRequest.ALL).items());
            assertEquals(List.of(), cp.describeVpcEndpoints(ALICE, List.of(), List.of(), PageRequest.ALL).items());
            assertFails("InvalidVpcEndpointId.NotFound", () -> cp.describeVpcEndpoints(ALICE,
                    List.of(e.vpcEndpointId()), List.of(), PageRequest.ALL), e.vpcEndpointId());
            assertFails("InvalidVpcEndpointId.Malformed", () -> cp.describeVpcEndpoints(BOB,
                    List.of("endpoint-1"), List.of(), PageRequest.ALL), "endpoint-1");
        }

        @Test
        void unknownFilterIsInvalidParameterValue() {
            assertFails("InvalidParameterValue", () -> describe(Filter.of("endpoint-colour", "red")),
                    "endpoint-colour");
            assertFails("InvalidParameterValue", () -> describe(Filter.of("tag:", "x")), "tag:");
        }

        @Test
        void tagsGivenAtCreationAndByCreateTagsAreFilterable() {
            VpcEndpoint prod = cp.createVpcEndpoint(BOB, new CreateEndpointRequest(CONSUMER_VPC,
                    manual.serviceName(), List.of(SUBNET_B), null, null, null, Map.of("env", "prod")));
            VpcEndpoint dev = w.endpoint(manual, SUBNET_A);
            VpcEndpoint untagged = w.endpoint(manual, SUBNET_C);
            assertEquals(Map.of("env", "prod"), prod.tags());

            cp.createTags(BOB, List.of(dev.vpcEndpointId()), Map.of("env", "dev", "team", "payments"));

            assertEquals(Map.of("env", "dev", "team", "payments"), w.endpointNow(dev.vpcEndpointId()).tags());
            assertEquals(Map.of("env", "dev", "team", "payments"), cp.describeVpcEndpoints(BOB,
                    List.of(dev.vpcEndpointId()), List.of(), PageRequest.ALL).items().get(0).tags());
            assertEquals(List.of(prod.vpcEndpointId()), describe(Filter.of("tag:env", "prod")));
            assertEquals(List.of(prod.vpcEndpointId(), dev.vpcEndpointId()), describe(Filter.of("tag:env", "*")));
            assertEquals(List.of(dev.vpcEndpointId()), describe(Filter.of("tag:team", "pay*")));
            assertEquals(List.of(prod.vpcEndpointId(), dev.vpcEndpointId()), describe(Filter.of("tag-key", "env")));
            assertEquals(List.of(dev.vpcEndpointId()), describe(Filter.of("tag-key", "team")));
            assertEquals(List.of(), describe(Filter.of("tag:owner", "*")));
            assertTrue(w.endpointNow(untagged.vpcEndpointId()).tags().isEmpty());
        }

        @Test
        void tagsAreBoundedAsEc2BoundsThem() {
            VpcEndpoint e = w.endpoint(manual, SUBNET_B);
            Map<String, String> fifty = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 50; i++) {
                fifty.put("k" + i, "v");
            }
            cp.createTags(BOB, List.of(e.vpcEndpointId()), fifty);
            assertFails("TagLimitExceeded", () -> cp.createTags(BOB, List.of(e.vpcEndpointId()), Map.of("one", "more")),
                    "maximum number of tags");
            assertFails("InvalidParameterValue", () -> cp.createTags(BOB, List.of(e.vpcEndpointId()),
                    Map.of("k".repeat(129), "v")), "1 to 128");
            assertFails("InvalidParameterValue", () -> cp.createTags(BOB, List.of(e.vpcEndpointId()),
                    Map.of("k0", "v".repeat(257))), "at most 256");
            assertEquals(50, w.endpointNow(e.vpcEndpointId()).tags().size(), "a refused call changed nothing");
        }

        @Test
        void createTagsOverwritesAValue() {
            VpcEndpoint e = w.endpoint(manual, SUBNET_B);
            cp.createTags(BOB, List.of(e.vpcEndpointId()), Map.of("env", "dev"));
            cp.createTags(BOB, List.of(e.vpcEndpointId()), Map.of("env", "prod"));
            assertEquals(Map.of("env", "prod"), w.endpointNow(e.vpcEndpointId()).tags());
        }

        @Test
        void anEndpointServiceCannotBeTagged() {
            VpcEndpoint e = w.endpoint(manual, SUBNET_B);
            assertFails("InvalidParameterValue", () -> cp.createTags(ALICE, List.of(manual.serviceId()),
                    Map.of("env", "prod")), manual.serviceId());
            assertFails("InvalidParameterValue", () -> cp.createTags(BOB, List.of(e.vpcEndpointId(),
                    manual.serviceId()), Map.of("env", "prod")), manual.serviceId());
            assertTrue(w.endpointNow(e.vpcEndpointId()).tags().isEmpty(), "all or nothing");
        }

        @Test
        void anotherAccountsEndpointCannotBeTagged() {
            VpcEndpoint e = w.endpoint(manual, SUBNET_B);
            assertFails("InvalidVpcEndpointId.NotFound", () -> cp.createTags(ALICE, List.of(e.vpcEndpointId()),
                    Map.of("env", "prod")), e.vpcEndpointId());
        }

        @Test
        void pagesEndpoints() {
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                created.add(w.endpoint(i % 3 == 0 ? APP : BOB, manual, SUBNET_C).vpcEndpointId());
            }
            List<String> all = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            String token = null;
            do {
                Page<VpcEndpoint> p = cp.describeVpcEndpoints(BOB, List.of(), List.of(), new PageRequest(5, token));
                sizes.add(p.items().size());
                all.addAll(ids(p));
                token = p.nextToken();
            } while (token != null);
            assertEquals(List.of(5, 5, 2), sizes);
            assertEquals(created, all);

            assertFails("InvalidParameterValue", () -> cp.describeVpcEndpoints(BOB, List.of(), List.of(),
                    PageRequest.of(2)), "2");
            assertFails("InvalidPaginationToken", () -> cp.describeVpcEndpoints(BOB, List.of(), List.of(),
                    new PageRequest(5, "bogus")), "bogus");
        }

        @Test
        void pagesWithFilters() {
            List<String> available = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                w.endpoint(manual, SUBNET_C);
                available.add(w.endpoint(auto, SUBNET_B).vpcEndpointId());
            }
            Filter f = Filter.of("vpc-endpoint-state", "available");
            Page<VpcEndpoint> p1 = cp.describeVpcEndpoints(BOB, List.of(), List.of(f), PageRequest.of(5));
            Page<VpcEndpoint> p2 = cp.describeVpcEndpoints(BOB, List.of(), List.of(f),
                    new PageRequest(5, p1.nextToken()));
            assertNull(p2.nextToken());
            List<String> all = new ArrayList<>(ids(p1));
            all.addAll(ids(p2));
            assertEquals(available, all);
        }

        @Test
        void endpointChangedCarriesTheEndpoint() {
            VpcEndpoint e = w.endpoint(auto, SUBNET_B);
            ControlEvent last = w.events.get(w.events.size() - 1);
            assertEquals(e, assertInstanceOf(ControlEvent.EndpointChanged.class, last).endpoint());
        }
    }
}
