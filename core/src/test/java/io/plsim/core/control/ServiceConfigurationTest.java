package io.plsim.core.control;

import static io.plsim.core.control.World.ALB;
import static io.plsim.core.control.World.ALICE;
import static io.plsim.core.control.World.BOB;
import static io.plsim.core.control.World.DEPLOYER;
import static io.plsim.core.control.World.NLB_A;
import static io.plsim.core.control.World.NLB_B;
import static io.plsim.core.control.World.NLB_SOLO;
import static io.plsim.core.control.World.OTHER_REGION_NLB;
import static io.plsim.core.control.World.PROVIDER;
import static io.plsim.core.control.World.ROOT_ARN;
import static io.plsim.core.control.World.SPARE_NLBS;
import static io.plsim.core.control.World.STRANGER_NLB;
import static io.plsim.core.control.World.STRANGER_ROOT;
import static io.plsim.core.control.World.SUBNET_B;
import static io.plsim.core.control.World.UNKNOWN_NLB;
import static io.plsim.core.control.World.assertFails;
import static io.plsim.core.control.World.assertOneFailure;
import static io.plsim.core.control.World.assertUnsuccessful;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ServiceConfigurationTest {

    private World w;
    private ControlPlane cp;

    @BeforeEach
    void setUp() {
        w = new World();
        cp = w.cp;
    }

    private static List<String> ids(Page<ServiceConfiguration> page) {
        return page.items().stream().map(ServiceConfiguration::serviceId).toList();
    }

    @Nested
    class Create {

        @Test
        void defaultsToAcceptanceRequiredAndNamesEverythingAsAwsDoes() {
            ServiceConfiguration s = cp.createServiceConfiguration(ALICE,
                    new CreateServiceRequest(List.of(NLB_B), null, null, null, null));

            assertTrue(s.serviceId().matches("vpce-svc-[0-9a-f]{17}"), s.serviceId());
            assertEquals("com.amazonaws.vpce.us-east-1." + s.serviceId(), s.serviceName());
            assertEquals(List.of(s.serviceId() + ".us-east-1.vpce.amazonaws.com"), s.baseEndpointDnsNames());
            assertEquals("Interface", ServiceConfiguration.SERVICE_TYPE);
            assertEquals(ServiceState.AVAILABLE, s.state());
            assertEquals("Available", s.state().wire());
            assertTrue(s.acceptanceRequired());
            assertEquals(PROVIDER, s.ownerId());
            assertEquals(List.of(NLB_B), s.networkLoadBalancerArns());
            assertEquals(World.NOW, s.created());
        }

        @Test
        void canBeCreatedWithoutAcceptance() {
            assertFalse(w.service(false, NLB_B).acceptanceRequired());
        }

        @Test
        void availabilityZonesAreTheProvidersNamesOfZonesWithNodes() {
            ServiceConfiguration two = w.service(true, NLB_B);
            assertEquals(List.of("us-east-1a", "us-east-1b"), two.availabilityZones());
            assertEquals(List.of("use1-az1", "use1-az2"), two.zoneIds());

            ServiceConfiguration solo = w.service(true, NLB_SOLO);
            assertEquals(List.of("us-east-1a"), solo.availabilityZones());

            ServiceConfiguration three = w.service(true, NLB_A);
            assertEquals(List.of("us-east-1a", "us-east-1b", "us-east-1c"), three.availabilityZones());
        }

        @Test
        void takesSeveralLoadBalancersAndUnitesTheirZones() {
            ServiceConfiguration s = w.service(true, NLB_SOLO, NLB_A);
            assertEquals(List.of(NLB_SOLO, NLB_A), s.networkLoadBalancerArns());
            assertEquals(List.of("us-east-1a", "us-east-1b", "us-east-1c"), s.availabilityZones());
        }

        @Test
        void anyPrincipalOfTheAccountMayCreate() {
            ServiceConfiguration s = cp.createServiceConfiguration(DEPLOYER, CreateServiceRequest.of(null, NLB_B));
            assertEquals(PROVIDER, s.ownerId());
        }

        @Test
        void isAnnouncedToListeners() {
            ServiceConfiguration s = w.service(true, NLB_B);
            assertEquals(1, w.events.size());
            ControlEvent.ServiceChanged e = assertInstanceOf(ControlEvent.ServiceChanged.class, w.events.get(0));
            assertEquals(s, e.service());
        }

        @Test
        void withoutLoadBalancerIsMissingParameter() {
            assertFails("MissingParameter", () -> cp.createServiceConfiguration(ALICE,
                    new CreateServiceRequest(List.of(), true, null, null, null)), "NetworkLoadBalancerArn");
            assertFails("MissingParameter", () -> cp.createServiceConfiguration(ALICE,
                    new CreateServiceRequest(null, true, null, null, null)), "NetworkLoadBalancerArn");
        }

        @Test
        void malformedArnIsInvalidParameterValue() {
            String bad = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/nlb-b";
            assertFails("InvalidParameterValue", () -> w.service(true, bad), bad);
            assertFails("InvalidParameterValue", () -> w.service(true, "nlb-b"), "nlb-b");
        }

        @Test
        void unknownLoadBalancerIsInvalidParameter() {
            assertFails("InvalidParameter", () -> w.service(true, UNKNOWN_NLB), UNKNOWN_NLB);
        }

        @Test
        void loadBalancerOfAnotherAccountIsInvalidParameter() {
            assertFails("InvalidParameter", () -> w.service(true, STRANGER_NLB), STRANGER_NLB);
        }

        @Test
        void loadBalancerOfAnotherRegionIsInvalidParameter() {
            assertFails("InvalidParameter", () -> w.service(true, OTHER_REGION_NLB), OTHER_REGION_NLB);
        }

        @Test
        void applicationLoadBalancerIsInvalidParameter() {
            assertFails("InvalidParameter", () -> w.service(true, ALB), ALB, "application");
        }

        @Test
        void loadBalancerOfAnotherServiceIsInvalidParameter() {
            ServiceConfiguration first = w.service(true, NLB_B);
            assertFails("InvalidParameter", () -> w.service(true, NLB_A, NLB_B), NLB_B, first.serviceId());
            assertEquals(1, cp.services().size(), "nothing created by the refused request");
        }

        @Test
        void loadBalancerIsFreeAgainOnceItsServiceIsDeleted() {
            ServiceConfiguration first = w.service(true, NLB_B);
            assertEquals(List.of(), cp.deleteServiceConfigurations(ALICE, List.of(first.serviceId())));
            assertEquals(List.of(NLB_B), w.service(true, NLB_B).networkLoadBalancerArns());
        }

        @Test
        void privateDnsNameThatIsNoDomainNameIsInvalidParameterValue() {
            assertFails("InvalidParameterValue", () -> cp.createServiceConfiguration(ALICE,
                    new CreateServiceRequest(List.of(NLB_B), true, "api..example.com", null, null)), "PrivateDnsName");
            assertFails("InvalidParameterValue", () -> cp.createServiceConfiguration(ALICE,
                    new CreateServiceRequest(List.of(NLB_B), true, "localhost", null, null)), "two labels");
            assertEquals(List.of(), cp.services(), "nothing made");
        }

        @Test
        void ipv6IsInvalidParameter() {
            assertFails("InvalidParameter", () -> cp.createServiceConfiguration(ALICE,
                    new CreateServiceRequest(List.of(NLB_B), true, null, List.of("ipv4", "ipv6"), null)), "ipv6");
        }

        @Test
        void ipv4AloneIsAccepted() {
            ServiceConfiguration s = cp.createServiceConfiguration(ALICE,
                    new CreateServiceRequest(List.of(NLB_B), true, null, List.of("ipv4"), null));
            assertNotNull(s.serviceId());
        }

        @Test
        void gatewayLoadBalancerIsInvalidParameter() {
            String gwlb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/gwy/gw/eeeeeeeeeeeeeeee";
            assertFails("InvalidParameter", () -> cp.createServiceConfiguration(ALICE,
                    new CreateServiceRequest(List.of(NLB_B), true, null, null, List.of(gwlb))), "Gateway");
        }
    }

    @Nested
    class Describe {

        @Test
        void byIdReturnsTheService() {
            ServiceConfiguration a = w.service(true, NLB_A);
            w.service(true, NLB_B);
            Page<ServiceConfiguration> page = cp.describeServiceConfigurations(ALICE, List.of(a.serviceId()),
                    List.of(), PageRequest.ALL);
            assertEquals(List.of(a), page.items());
            assertNull(page.nextToken());
        }

        @Test
        void withoutIdsReturnsAllOfTheCallersAccountInCreationOrder() {
            ServiceConfiguration a = w.service(true, NLB_A);
            ServiceConfiguration b = cp.createServiceConfiguration(DEPLOYER, CreateServiceRequest.of(true, NLB_B));
            assertEquals(List.of(a.serviceId(), b.serviceId()),
                    ids(cp.describeServiceConfigurations(ALICE, List.of(), List.of(), PageRequest.ALL)));
        }

        @Test
        void unknownIdIsNotFound() {
            String unknown = "vpce-svc-0123456789abcdef0";
            assertFails("InvalidVpcEndpointServiceId.NotFound", () -> cp.describeServiceConfigurations(ALICE,
                    List.of(unknown), List.of(), PageRequest.ALL), unknown);
        }

        @Test
        void malformedIdIsMalformed() {
            assertFails("InvalidVpcEndpointServiceId.Malformed", () -> cp.describeServiceConfigurations(ALICE,
                    List.of("svc-123"), List.of(), PageRequest.ALL), "svc-123");
            assertFails("InvalidVpcEndpointServiceId.Malformed", () -> cp.describeServiceConfigurations(ALICE,
                    List.of("vpce-svc-XYZ"), List.of(), PageRequest.ALL), "vpce-svc-XYZ");
        }

        @Test
        void anotherAccountsServiceIsNotFound() {
            ServiceConfiguration s = w.service(true, NLB_A);
            assertFails("InvalidVpcEndpointServiceId.NotFound", () -> cp.describeServiceConfigurations(BOB,
                    List.of(s.serviceId()), List.of(), PageRequest.ALL), s.serviceId());
            assertEquals(List.of(), cp.describeServiceConfigurations(STRANGER_ROOT, List.of(), List.of(),
                    PageRequest.ALL).items());
        }

        @Test
        void filtersByServiceIdNameAndStateWithWildcards() {
            ServiceConfiguration a = w.service(true, NLB_A);
            ServiceConfiguration b = w.service(true, NLB_B);

            assertEquals(List.of(b.serviceId()), ids(cp.describeServiceConfigurations(ALICE, List.of(),
                    List.of(Filter.of("service-id", b.serviceId())), PageRequest.ALL)));
            assertEquals(List.of(a.serviceId()), ids(cp.describeServiceConfigurations(ALICE, List.of(),
                    List.of(Filter.of("service-name", a.serviceName())), PageRequest.ALL)));
            assertEquals(List.of(a.serviceId(), b.serviceId()), ids(cp.describeServiceConfigurations(ALICE,
                    List.of(), List.of(Filter.of("service-state", "Available")), PageRequest.ALL)));
            assertEquals(List.of(), ids(cp.describeServiceConfigurations(ALICE,
                    List.of(), List.of(Filter.of("service-state", "Pending")), PageRequest.ALL)));
            assertEquals(List.of(a.serviceId(), b.serviceId()), ids(cp.describeServiceConfigurations(ALICE,
                    List.of(), List.of(Filter.of("service-name", "com.amazonaws.vpce.us-east-1.*")), PageRequest.ALL)));
            assertEquals(List.of(a.serviceId()), ids(cp.describeServiceConfigurations(ALICE, List.of(),
                    List.of(Filter.of("service-id", a.serviceId().substring(0, 14) + "*")), PageRequest.ALL)));
            // values of one filter are alternatives; several filters must all match
            assertEquals(List.of(a.serviceId(), b.serviceId()), ids(cp.describeServiceConfigurations(ALICE,
                    List.of(), List.of(Filter.of("service-id", a.serviceId(), b.serviceId())), PageRequest.ALL)));
            assertEquals(List.of(), ids(cp.describeServiceConfigurations(ALICE, List.of(),
                    List.of(Filter.of("service-id", a.serviceId()), Filter.of("service-name", b.serviceName())),
                    PageRequest.ALL)));
        }

        @Test
        void unknownFilterIsInvalidParameterValue() {
            w.service(true, NLB_A);
            assertFails("InvalidParameterValue", () -> cp.describeServiceConfigurations(ALICE, List.of(),
                    List.of(Filter.of("colour", "blue")), PageRequest.ALL), "colour");
        }

        @Test
        void filterWithoutNameIsInvalidParameterValue() {
            assertFails("InvalidParameterValue", () -> cp.describeServiceConfigurations(ALICE, List.of(),
                    List.of(new Filter(null, List.of("x"))), PageRequest.ALL), "null");
        }

        @Test
        void pagesTwelveServicesByFive() {
            List<String> created = new ArrayList<>();
            for (String arn : SPARE_NLBS) {
                created.add(w.service(true, arn).serviceId());
            }
            Page<ServiceConfiguration> p1 = cp.describeServiceConfigurations(ALICE, List.of(), List.of(),
                    PageRequest.of(5));
            assertEquals(5, p1.items().size());
            assertNotNull(p1.nextToken());
            Page<ServiceConfiguration> p2 = cp.describeServiceConfigurations(ALICE, List.of(), List.of(),
                    new PageRequest(5, p1.nextToken()));
            assertEquals(5, p2.items().size());
            assertNotNull(p2.nextToken());
            Page<ServiceConfiguration> p3 = cp.describeServiceConfigurations(ALICE, List.of(), List.of(),
                    new PageRequest(5, p2.nextToken()));
            assertEquals(2, p3.items().size());
            assertNull(p3.nextToken());

            List<String> all = new ArrayList<>(ids(p1));
            all.addAll(ids(p2));
            all.addAll(ids(p3));
            assertEquals(created, all, "every service once, in creation order");
        }

        @Test
        void maxResultsBelowFiveIsInvalidParameterValue() {
            assertFails("InvalidParameterValue", () -> cp.describeServiceConfigurations(ALICE, List.of(), List.of(),
                    PageRequest.of(4)), "4");
        }

        @Test
        void garbageTokenIsInvalidPaginationToken() {
            assertFails("InvalidPaginationToken", () -> cp.describeServiceConfigurations(ALICE, List.of(), List.of(),
                    new PageRequest(5, "not-a-token")), "not-a-token");
            assertFails("InvalidPaginationToken", () -> cp.describeServiceConfigurations(ALICE, List.of(), List.of(),
                    new PageRequest(5, "!!!")), "!!!");
        }
    }

    @Nested
    class Modify {

        @Test
        void addsALoadBalancerAndItsZones() {
            ServiceConfiguration s = w.service(true, NLB_B);
            ServiceConfiguration after = cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(NLB_A), List.of()));
            assertEquals(List.of(NLB_B, NLB_A), after.networkLoadBalancerArns());
            assertEquals(List.of("us-east-1a", "us-east-1b", "us-east-1c"), after.availabilityZones());
            ControlEvent last = w.events.get(w.events.size() - 1);
            assertEquals(after, assertInstanceOf(ControlEvent.ServiceChanged.class, last).service());
        }

        @Test
        void removesALoadBalancerAndItsZones() {
            ServiceConfiguration s = w.service(true, NLB_A, NLB_SOLO);
            ServiceConfiguration after = cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(), List.of(NLB_A)));
            assertEquals(List.of(NLB_SOLO), after.networkLoadBalancerArns());
            assertEquals(List.of("us-east-1a"), after.availabilityZones());
        }

        @Test
        void togglesAcceptance() {
            ServiceConfiguration s = w.service(true, NLB_B);
            assertFalse(cp.modifyServiceConfiguration(ALICE, ModifyServiceRequest.acceptance(s.serviceId(), false))
                    .acceptanceRequired());
            assertTrue(cp.modifyServiceConfiguration(ALICE, ModifyServiceRequest.acceptance(s.serviceId(), true))
                    .acceptanceRequired());
        }

        @Test
        void acceptanceChangeAppliesToLaterEndpointsOnly() {
            ServiceConfiguration s = w.service(true, NLB_A);
            w.allow(s, ROOT_ARN);
            VpcEndpoint pending = w.endpoint(s, SUBNET_B);
            cp.modifyServiceConfiguration(ALICE, ModifyServiceRequest.acceptance(s.serviceId(), false));
            VpcEndpoint later = w.endpoint(s, SUBNET_B);
            assertEquals(EndpointState.PENDING_ACCEPTANCE, w.stateOf(pending.vpcEndpointId()));
            assertEquals(EndpointState.AVAILABLE, later.state());
        }

        @Test
        void refusesToRemoveALoadBalancerWhileAnEndpointIsPendingAcceptance() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            assertEquals(EndpointState.PENDING_ACCEPTANCE, e.state());
            assertFails("InvalidParameter", () -> cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(), List.of(NLB_B))),
                    s.serviceId(), e.vpcEndpointId());
            assertEquals(List.of(NLB_A, NLB_B), cp.services().get(0).networkLoadBalancerArns());
        }

        @Test
        void refusesToRemoveALoadBalancerWhileAnEndpointIsAvailable() {
            ServiceConfiguration s = w.openService(false);
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            assertEquals(EndpointState.AVAILABLE, e.state());
            assertFails("InvalidParameter", () -> cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(), List.of(NLB_A))), e.vpcEndpointId());
        }

        @Test
        void removesALoadBalancerOnceTheEndpointIsRejected() {
            ServiceConfiguration s = w.openService(false);
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            assertEquals(List.of(), cp.rejectConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId())));
            ServiceConfiguration after = cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(), List.of(NLB_A)));
            assertEquals(List.of(NLB_B), after.networkLoadBalancerArns());
        }

        @Test
        void removesALoadBalancerOnceTheEndpointIsDeleted() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            assertEquals(List.of(), cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId())));
            ServiceConfiguration after = cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(), List.of(NLB_B)));
            assertEquals(List.of(NLB_A), after.networkLoadBalancerArns());
        }

        @Test
        void addingALoadBalancerIsAllowedWhileEndpointsAreAttached() {
            ServiceConfiguration s = w.service(true, NLB_B);
            w.allow(s, ROOT_ARN);
            w.endpoint(s, SUBNET_B);
            assertEquals(List.of(NLB_B, NLB_SOLO), cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(NLB_SOLO), List.of()))
                    .networkLoadBalancerArns());
        }

        @Test
        void refusesToRemoveTheLastLoadBalancer() {
            ServiceConfiguration s = w.service(true, NLB_B);
            assertFails("InvalidParameter", () -> cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(), List.of(NLB_B))), "at least one");
        }

        @Test
        void swappingTheOnlyLoadBalancerIsAllowed() {
            ServiceConfiguration s = w.service(true, NLB_B);
            assertEquals(List.of(NLB_A), cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(NLB_A), List.of(NLB_B)))
                    .networkLoadBalancerArns());
        }

        @Test
        void removingALoadBalancerThatIsNotAssociatedFails() {
            ServiceConfiguration s = w.service(true, NLB_A, NLB_B);
            assertFails("InvalidParameter", () -> cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(), List.of(NLB_SOLO))),
                    NLB_SOLO, s.serviceId());
        }

        @Test
        void addingAnUnusableLoadBalancerFailsAsOnCreate() {
            ServiceConfiguration s = w.service(true, NLB_A);
            w.service(true, NLB_B);
            assertFails("InvalidParameter", () -> cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(ALB), List.of())), ALB);
            assertFails("InvalidParameter", () -> cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(NLB_B), List.of())), NLB_B);
            assertFails("InvalidParameter", () -> cp.modifyServiceConfiguration(ALICE,
                    ModifyServiceRequest.loadBalancers(s.serviceId(), List.of(STRANGER_NLB), List.of())), STRANGER_NLB);
            assertEquals(List.of(NLB_A), cp.services().get(0).networkLoadBalancerArns());
        }

        @Test
        void anotherAccountsServiceIsNotFound() {
            ServiceConfiguration s = w.service(true, NLB_A);
            assertFails("InvalidVpcEndpointServiceId.NotFound", () -> cp.modifyServiceConfiguration(BOB,
                    ModifyServiceRequest.acceptance(s.serviceId(), false)), s.serviceId());
            assertTrue(cp.services().get(0).acceptanceRequired());
        }
    }

    @Nested
    class Delete {

        @Test
        void deletesAServiceWithoutEndpoints() {
            ServiceConfiguration s = w.service(true, NLB_A);
            assertEquals(List.of(), cp.deleteServiceConfigurations(ALICE, List.of(s.serviceId())));
            assertEquals(List.of(), cp.services());
            ControlEvent.ServiceDeleted e = assertInstanceOf(ControlEvent.ServiceDeleted.class,
                    w.events.get(w.events.size() - 1));
            assertEquals(s.serviceId(), e.service().serviceId());
            assertEquals(ServiceState.DELETED, e.service().state());
            assertFails("InvalidVpcEndpointServiceId.NotFound", () -> cp.describeServiceConfigurations(ALICE,
                    List.of(s.serviceId()), List.of(), PageRequest.ALL), s.serviceId());
        }

        @Test
        void isRefusedWhileAnEndpointIsPendingAcceptance() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint e = w.endpoint(s, SUBNET_B);
            List<Unsuccessful> failed = cp.deleteServiceConfigurations(ALICE, List.of(s.serviceId()));
            assertOneFailure(failed, s.serviceId(), "ExistingVpcEndpointConnections");
            assertTrue(failed.get(0).message().contains(e.vpcEndpointId()));
            assertEquals(1, cp.services().size());
        }

        @Test
        void isRefusedWhileAnEndpointIsAvailable() {
            ServiceConfiguration s = w.openService(false);
            w.endpoint(s, SUBNET_B);
            assertOneFailure(cp.deleteServiceConfigurations(ALICE, List.of(s.serviceId())), s.serviceId(),
                    "ExistingVpcEndpointConnections");
        }

        @Test
        void isAllowedOnceEndpointsAreRejected() {
            ServiceConfiguration s = w.openService(true);
            VpcEndpoint pending = w.endpoint(s, SUBNET_B);
            VpcEndpoint accepted = w.endpoint(s, World.SUBNET_A);
            cp.acceptConnections(ALICE, s.serviceId(), List.of(accepted.vpcEndpointId()));
            assertEquals(List.of(), cp.rejectConnections(ALICE, s.serviceId(),
                    List.of(pending.vpcEndpointId(), accepted.vpcEndpointId())));
            assertEquals(List.of(), cp.deleteServiceConfigurations(ALICE, List.of(s.serviceId())));
            assertEquals(List.of(), cp.services());
        }

        @Test
        void unknownIdFailsPerItem() {
            String unknown = "vpce-svc-0000000000000dead";
            assertOneFailure(cp.deleteServiceConfigurations(ALICE, List.of(unknown)), unknown,
                    "InvalidVpcEndpointService.NotFound");
        }

        @Test
        void anotherAccountsServiceFailsPerItem() {
            ServiceConfiguration s = w.service(true, NLB_A);
            assertOneFailure(cp.deleteServiceConfigurations(BOB, List.of(s.serviceId())), s.serviceId(),
                    "InvalidVpcEndpointService.NotFound");
            assertEquals(1, cp.services().size());
        }

        @Test
        void mixedBatchAnswersPerItem() {
            ServiceConfiguration free = w.service(true, NLB_SOLO);
            ServiceConfiguration busy = w.openService(true);
            w.endpoint(busy, SUBNET_B);
            String unknown = "vpce-svc-0000000000000dead";

            List<Unsuccessful> failed = cp.deleteServiceConfigurations(ALICE,
                    List.of(unknown, free.serviceId(), busy.serviceId()));

            assertEquals(2, failed.size(), () -> "failures: " + failed);
            assertUnsuccessful(failed.get(0), unknown, "InvalidVpcEndpointService.NotFound");
            assertUnsuccessful(failed.get(1), busy.serviceId(), "ExistingVpcEndpointConnections");
            assertEquals(List.of(busy.serviceId()), cp.services().stream().map(ServiceConfiguration::serviceId).toList());
        }

        @Test
        void emptyListIsMissingParameter() {
            assertFails("MissingParameter", () -> cp.deleteServiceConfigurations(ALICE, List.of()), "ServiceId");
        }
    }
}
