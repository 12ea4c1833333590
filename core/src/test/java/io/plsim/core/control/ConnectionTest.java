package io.plsim.core.control;

import static io.plsim.core.control.World.ALICE;
import static io.plsim.core.control.World.APP;
import static io.plsim.core.control.World.BOB;
import static io.plsim.core.control.World.CONSUMER;
import static io.plsim.core.control.World.CONSUMER_VPC;
import static io.plsim.core.control.World.DEPLOYER;
import static io.plsim.core.control.World.NLB_A;
import static io.plsim.core.control.World.NLB_B;
import static io.plsim.core.control.World.NLB_SOLO;
import static io.plsim.core.control.World.ROOT_ARN;
import static io.plsim.core.control.World.STRANGER_ARN;
import static io.plsim.core.control.World.STRANGER_ROOT;
import static io.plsim.core.control.World.STRANGER_SUBNET;
import static io.plsim.core.control.World.STRANGER_VPC;
import static io.plsim.core.control.World.SUBNET_A;
import static io.plsim.core.control.World.SUBNET_B;
import static io.plsim.core.control.World.SUBNET_C;
import static io.plsim.core.control.World.assertFails;
import static io.plsim.core.control.World.assertOneFailure;
import static io.plsim.core.control.World.assertUnsuccessful;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConnectionTest {

    private World w;
    private ControlPlane cp;
    private ServiceConfiguration s;

    @BeforeEach
    void setUp() {
        w = new World();
        cp = w.cp;
        s = w.openService(true);
    }

    private List<String> connections(Caller caller, Filter... filters) {
        return cp.describeConnections(caller, List.of(filters), PageRequest.ALL).items().stream()
                .map(EndpointConnection::vpcEndpointId).toList();
    }

    @Nested
    class Describe {

        @Test
        void providerSeesEndpointsOfItsServices() {
            VpcEndpoint e = w.endpoint(s, SUBNET_A, SUBNET_B);
            EndpointConnection c = cp.describeConnections(ALICE, List.of(), PageRequest.ALL).items().get(0);
            assertEquals(s.serviceId(), c.serviceId());
            assertEquals(e.vpcEndpointId(), c.vpcEndpointId());
            assertEquals(CONSUMER, c.vpcEndpointOwner());
            assertEquals(EndpointState.PENDING_ACCEPTANCE, c.vpcEndpointState());
            assertEquals(World.NOW, c.created());
            assertEquals(e.dnsEntries(), c.dnsEntries());
            assertEquals(e.interfaces().stream().map(EndpointInterface::loadBalancerArn).distinct().sorted().toList(),
                    c.networkLoadBalancerArns());
            assertEquals(List.of(e.vpcEndpointId()), connections(DEPLOYER), "any principal of the provider");
        }

        @Test
        void onlyTheProviderSeesThem() {
            w.endpoint(s, SUBNET_B);
            assertEquals(List.of(), connections(BOB));
            assertEquals(List.of(), connections(World.CONSUMER_ROOT));
            assertEquals(List.of(), connections(STRANGER_ROOT));
        }

        @Test
        void filtersByServiceEndpointOwnerAndState() {
            ServiceConfiguration other = w.service(false, NLB_SOLO);
            w.allow(other, ROOT_ARN, STRANGER_ARN);
            VpcEndpoint pending = w.endpoint(s, SUBNET_B);
            VpcEndpoint accepted = w.endpoint(APP, s, SUBNET_A);
            cp.acceptConnections(ALICE, s.serviceId(), List.of(accepted.vpcEndpointId()));
            VpcEndpoint onOther = w.endpoint(other, SUBNET_B);
            VpcEndpoint strangers = cp.createVpcEndpoint(STRANGER_ROOT,
                    CreateEndpointRequest.of(STRANGER_VPC, other.serviceName(), STRANGER_SUBNET));

            assertEquals(List.of(pending.vpcEndpointId(), accepted.vpcEndpointId()),
                    connections(ALICE, Filter.of("service-id", s.serviceId())));
            assertEquals(List.of(onOther.vpcEndpointId()),
                    connections(ALICE, Filter.of("vpc-endpoint-id", onOther.vpcEndpointId())));
            assertEquals(List.of(strangers.vpcEndpointId()),
                    connections(ALICE, Filter.of("vpc-endpoint-owner", World.STRANGER)));
            assertEquals(List.of(pending.vpcEndpointId(), accepted.vpcEndpointId(), onOther.vpcEndpointId()),
                    connections(ALICE, Filter.of("vpc-endpoint-owner", CONSUMER)));
            assertEquals(List.of(pending.vpcEndpointId()),
                    connections(ALICE, Filter.of("vpc-endpoint-state", "pendingAcceptance")));
            assertEquals(List.of(accepted.vpcEndpointId(), onOther.vpcEndpointId(), strangers.vpcEndpointId()),
                    connections(ALICE, Filter.of("vpc-endpoint-state", "available")));
            assertEquals(List.of(onOther.vpcEndpointId()), connections(ALICE,
                    Filter.of("vpc-endpoint-state", "available"), Filter.of("vpc-endpoint-owner", CONSUMER),
                    Filter.of("service-id", other.serviceId())));
        }

        @Test
        void unknownFilterIsInvalidParameterValue() {
            assertFails("InvalidParameterValue", () -> connections(ALICE, Filter.of("vpc-id", CONSUMER_VPC)),
                    "vpc-id");
        }

        @Test
        void pagesConnections() {
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                created.add(w.endpoint(s, SUBNET_C).vpcEndpointId());
            }
            List<Integer> sizes = new ArrayList<>();
            List<String> all = new ArrayList<>();
            String token = null;
            do {
                Page<EndpointConnection> p = cp.describeConnections(ALICE, List.of(), new PageRequest(5, token));
                sizes.add(p.items().size());
                p.items().forEach(c -> all.add(c.vpcEndpointId()));
                token = p.nextToken();
            } while (token != null);
            assertEquals(List.of(5, 5, 2), sizes);
            assertEquals(created, all);
            assertFails("InvalidParameterValue", () -> cp.describeConnections(ALICE, List.of(), PageRequest.of(1)),
                    "1");
            assertFails("InvalidPaginationToken", () -> cp.describeConnections(ALICE, List.of(),
                    new PageRequest(5, "xyz")), "xyz");
        }
    }

    @Nested
    class AcceptAndReject {

        @Test
        void acceptMakesAPendingEndpointAvailable() {
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            assertEquals(List.of(), cp.acceptConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId())));
            assertEquals(EndpointState.AVAILABLE, w.stateOf(e.vpcEndpointId()));
            ControlEvent.EndpointChanged last = w.endpointChanges(e.vpcEndpointId()).get(1);
            assertEquals(EndpointState.PENDING_ACCEPTANCE, last.previous());
            assertEquals(EndpointState.AVAILABLE, last.endpoint().state());
        }

        @Test
        void rejectWorksOnPendingAndOnAvailableEndpoints() {
            VpcEndpoint pending = w.endpoint(s, SUBNET_B);
            VpcEndpoint available = w.endpoint(s, SUBNET_A);
            cp.acceptConnections(ALICE, s.serviceId(), List.of(available.vpcEndpointId()));

            assertEquals(List.of(), cp.rejectConnections(ALICE, s.serviceId(),
                    List.of(pending.vpcEndpointId(), available.vpcEndpointId())));

            assertEquals(EndpointState.REJECTED, w.stateOf(pending.vpcEndpointId()));
            assertEquals(EndpointState.REJECTED, w.stateOf(available.vpcEndpointId()));
            assertEquals(EndpointState.AVAILABLE, w.endpointChanges(available.vpcEndpointId()).get(2).previous());
        }

        @Test
        void acceptingAnAvailableEndpointFailsPerItem() {
            ServiceConfiguration auto = w.service(false, NLB_SOLO);
            w.allow(auto, ROOT_ARN);
            VpcEndpoint e = w.endpoint(auto, SUBNET_B);
            assertOneFailure(cp.acceptConnections(ALICE, auto.serviceId(), List.of(e.vpcEndpointId())),
                    e.vpcEndpointId(), "InvalidVpcEndpointState");
            assertEquals(EndpointState.AVAILABLE, w.stateOf(e.vpcEndpointId()));
        }

        @Test
        void rejectingARejectedEndpointFailsPerItem() {
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            cp.rejectConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId()));
            int before = w.events.size();
            assertOneFailure(cp.rejectConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId())),
                    e.vpcEndpointId(), "InvalidVpcEndpointState");
            assertOneFailure(cp.acceptConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId())),
                    e.vpcEndpointId(), "InvalidVpcEndpointState");
            assertEquals(before, w.events.size(), "no change, no event");
        }

        @Test
        void deletedEndpointIsNotFoundPerItem() {
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
            assertOneFailure(cp.acceptConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId())),
                    e.vpcEndpointId(), "InvalidVpcEndpointId.NotFound");
            assertOneFailure(cp.rejectConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId())),
                    e.vpcEndpointId(), "InvalidVpcEndpointId.NotFound");
        }

        @Test
        void unknownAndForeignIdsFailPerItemWhileTheOthersSucceed() {
            ServiceConfiguration other = w.service(true, NLB_SOLO);
            w.allow(other, ROOT_ARN);
            VpcEndpoint mine = w.endpoint(s, SUBNET_B);
            VpcEndpoint ofOtherService = w.endpoint(other, SUBNET_B);
            String unknown = "vpce-0000000000000dead";

            List<Unsuccessful> failed = cp.acceptConnections(ALICE, s.serviceId(),
                    List.of(unknown, mine.vpcEndpointId(), ofOtherService.vpcEndpointId()));

            assertEquals(2, failed.size(), () -> "failures: " + failed);
            assertUnsuccessful(failed.get(0), unknown, "InvalidVpcEndpointId.NotFound");
            assertUnsuccessful(failed.get(1), ofOtherService.vpcEndpointId(), "InvalidVpcEndpointId.NotFound");
            assertEquals(EndpointState.AVAILABLE, w.stateOf(mine.vpcEndpointId()));
            assertEquals(EndpointState.PENDING_ACCEPTANCE, w.stateOf(ofOtherService.vpcEndpointId()));

            List<Unsuccessful> rejected = cp.rejectConnections(ALICE, s.serviceId(),
                    List.of(ofOtherService.vpcEndpointId(), mine.vpcEndpointId()));
            assertOneFailure(rejected, ofOtherService.vpcEndpointId(), "InvalidVpcEndpointId.NotFound");
            assertEquals(EndpointState.REJECTED, w.stateOf(mine.vpcEndpointId()));
        }

        @Test
        void anotherAccountsServiceIsNotFound() {
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            assertFails("InvalidVpcEndpointServiceId.NotFound", () -> cp.acceptConnections(BOB, s.serviceId(),
                    List.of(e.vpcEndpointId())), s.serviceId());
            assertFails("InvalidVpcEndpointServiceId.NotFound", () -> cp.rejectConnections(STRANGER_ROOT,
                    s.serviceId(), List.of(e.vpcEndpointId())), s.serviceId());
            assertEquals(EndpointState.PENDING_ACCEPTANCE, w.stateOf(e.vpcEndpointId()));
        }

        @Test
        void noEndpointIdsIsMissingParameter() {
            assertFails("MissingParameter", () -> cp.acceptConnections(ALICE, s.serviceId(), List.of()),
                    "VpcEndpointId");
        }
    }

    @Nested
    class LoadBalancerBinding {

        /** Creates 40 endpoints in three zones, accepting and deleting some, and returns every ENI's LB. */
        private List<String> scenario(World world) {
            ServiceConfiguration svc = world.openService(true);
            List<String> lbs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                VpcEndpoint e = world.endpoint(i % 2 == 0 ? BOB : APP, svc, SUBNET_A, SUBNET_B, SUBNET_C);
                if (i % 3 == 0) {
                    world.cp.acceptConnections(ALICE, svc.serviceId(), List.of(e.vpcEndpointId()));
                }
                if (i % 5 == 0) {
                    world.cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
                }
                e.interfaces().forEach(eni -> lbs.add(eni.zoneId() + "=" + eni.loadBalancerArn()));
            }
            return lbs;
        }

        @Test
        void eachInterfaceIsBoundToOneLoadBalancerWithANodeInItsZone() {
            VpcEndpoint e = w.endpoint(s, SUBNET_A, SUBNET_B, SUBNET_C);
            for (EndpointInterface eni : e.interfaces()) {
                assertTrue(List.of(NLB_A, NLB_B).contains(eni.loadBalancerArn()), eni.loadBalancerArn());
                assertTrue(w.topology.loadBalancer(eni.loadBalancerArn()).orElseThrow().nodeIn(eni.zoneId())
                        .isPresent(), eni.toString());
            }
            // only NLB_A has a node in use1-az3
            assertEquals(NLB_A, e.interfaces().get(2).loadBalancerArn());
        }

        @Test
        void theChoiceIsKeptForTheEndpointsLife() {
            VpcEndpoint e = w.endpoint(s, SUBNET_A, SUBNET_B);
            cp.acceptConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId()));
            cp.createTags(BOB, List.of(e.vpcEndpointId()), Map.of("k", "v"));
            cp.modifyServiceConfiguration(ALICE, ModifyServiceRequest.acceptance(s.serviceId(), false));
            cp.rejectConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId()));
            assertEquals(e.interfaces(), w.endpointNow(e.vpcEndpointId()).interfaces());
        }

        @Test
        void sameSeedAndSameOperationsGiveTheSameChoices() {
            List<String> first = scenario(new World(7));
            List<String> second = scenario(new World(7));
            assertEquals(first, second);
            assertEquals(120, first.size());
        }

        @Test
        void bothLoadBalancersGetUsedInEveryZoneTheyShare() {
            List<String> bindings = scenario(new World(7));
            Map<String, Integer> counts = new HashMap<>();
            bindings.forEach(b -> counts.merge(b, 1, Integer::sum));
            for (String zone : List.of("use1-az1", "use1-az2")) {
                assertTrue(counts.getOrDefault(zone + "=" + NLB_A, 0) > 0, zone + " never used NLB_A: " + counts);
                assertTrue(counts.getOrDefault(zone + "=" + NLB_B, 0) > 0, zone + " never used NLB_B: " + counts);
            }
            assertEquals(40, counts.get("use1-az3=" + NLB_A));
        }

        @Test
        void connectionListsTheLoadBalancersOfItsInterfaces() {
            VpcEndpoint e = w.endpoint(s, SUBNET_C);
            EndpointConnection c = cp.describeConnections(ALICE, List.of(Filter.of("vpc-endpoint-id",
                    e.vpcEndpointId())), PageRequest.ALL).items().get(0);
            assertEquals(List.of(NLB_A), c.networkLoadBalancerArns());
            assertNull(c.dnsEntries().get(0).zoneName());
        }
    }
}
