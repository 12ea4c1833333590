package io.plsim.core.control;

import static io.plsim.core.control.World.ALICE;
import static io.plsim.core.control.World.APP;
import static io.plsim.core.control.World.APP_ARN;
import static io.plsim.core.control.World.BOB;
import static io.plsim.core.control.World.BOB_ARN;
import static io.plsim.core.control.World.CONSUMER;
import static io.plsim.core.control.World.CONSUMER_ROOT;
import static io.plsim.core.control.World.DEPLOYER;
import static io.plsim.core.control.World.NLB_A;
import static io.plsim.core.control.World.PROVIDER_VPC;
import static io.plsim.core.control.World.PROVIDER_SUBNET;
import static io.plsim.core.control.World.ROOT_ARN;
import static io.plsim.core.control.World.STRANGER_ARN;
import static io.plsim.core.control.World.STRANGER_ROOT;
import static io.plsim.core.control.World.STRANGER_SUBNET;
import static io.plsim.core.control.World.STRANGER_VPC;
import static io.plsim.core.control.World.SUBNET_B;
import static io.plsim.core.control.World.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.model.Principal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PermissionTest {

    private World w;
    private ControlPlane cp;
    private ServiceConfiguration service;

    @BeforeEach
    void setUp() {
        w = new World();
        cp = w.cp;
        service = w.service(true, NLB_A);
    }

    private List<AllowedPrincipal> permissions(Filter... filters) {
        return cp.describeServicePermissions(ALICE, service.serviceId(), List.of(filters), PageRequest.ALL).items();
    }

    private Map<String, String> typesByPrincipal() {
        return permissions().stream().collect(Collectors.toMap(p -> p.principal().arn(),
                AllowedPrincipal::principalType));
    }

    /** Whether the caller may create an endpoint to the service, in a subnet of its own. */
    private boolean mayCreate(Caller caller) {
        String vpc = caller.accountId().equals(CONSUMER) ? World.CONSUMER_VPC
                : caller.accountId().equals(World.PROVIDER) ? PROVIDER_VPC : STRANGER_VPC;
        String subnet = caller.accountId().equals(CONSUMER) ? SUBNET_B
                : caller.accountId().equals(World.PROVIDER) ? PROVIDER_SUBNET : STRANGER_SUBNET;
        try {
            cp.createVpcEndpoint(caller, CreateEndpointRequest.of(vpc, service.serviceName(), subnet));
            return true;
        } catch (ControlPlaneException e) {
            assertEquals("InvalidServiceName", e.code(), e::getMessage);
            assertTrue(e.getMessage().contains(service.serviceName()), e::getMessage);
            return false;
        }
    }

    private boolean sees(Caller caller) {
        return cp.describeServices(caller, List.of(), List.of(), PageRequest.ALL).items().stream()
                .anyMatch(d -> d.serviceId().equals(service.serviceId()));
    }

    @Nested
    class AddRemoveDescribe {

        @Test
        void addsEveryKindOfPrincipalWithItsType() {
            cp.modifyServicePermissions(ALICE, service.serviceId(),
                    List.of(ROOT_ARN, BOB_ARN, APP_ARN, "*"), List.of());
            assertEquals(Map.of(ROOT_ARN, "Account", BOB_ARN, "User", APP_ARN, "Role", "*", "All"),
                    typesByPrincipal());
            assertEquals(service.serviceId(), permissions().get(0).serviceId());
        }

        @Test
        void principalsAreBoundedInLengthAndNumber() {
            World.assertFails("InvalidPrincipal", () -> cp.modifyServicePermissions(ALICE, service.serviceId(),
                    List.of("arn:aws:iam::444455556666:user/" + "u".repeat(3000)), List.of()), "at most 2048");
            List<String> many = new java.util.ArrayList<>();
            for (int i = 0; i < 1001; i++) {
                many.add("arn:aws:iam::444455556666:user/u" + i);
            }
            World.assertFails("InvalidParameterValue", () -> cp.modifyServicePermissions(ALICE, service.serviceId(),
                    many, List.of()), "at most 1000 principals");
            assertEquals(List.of(), permissions(), "a refused change changed nothing");
            cp.modifyServicePermissions(ALICE, service.serviceId(), many.subList(0, 1000), List.of());
            assertEquals(1000, permissions().size());
        }

        @Test
        void removesPrincipals() {
            cp.modifyServicePermissions(ALICE, service.serviceId(),
                    List.of(ROOT_ARN, BOB_ARN, APP_ARN, "*"), List.of());
            cp.modifyServicePermissions(ALICE, service.serviceId(), List.of(), List.of(BOB_ARN, "*"));
            assertEquals(Map.of(ROOT_ARN, "Account", APP_ARN, "Role"), typesByPrincipal());
            cp.modifyServicePermissions(ALICE, service.serviceId(), List.of(), List.of(ROOT_ARN, APP_ARN));
            assertEquals(List.of(), permissions());
        }

        @Test
        void addingTwiceKeepsOneEntry() {
            cp.modifyServicePermissions(ALICE, service.serviceId(), List.of(BOB_ARN), List.of());
            cp.modifyServicePermissions(ALICE, service.serviceId(), List.of(BOB_ARN), List.of());
            assertEquals(1, permissions().size());
        }

        @Test
        void malformedArnIsInvalidPrincipalAndChangesNothing() {
            for (String bad : List.of("arn:aws:iam::4444:root", "arn:aws:iam::444455556666:group/devs",
                    "bob", "arn:aws:sts::444455556666:assumed-role/app/s", "**")) {
                assertFails("InvalidPrincipal", () -> cp.modifyServicePermissions(ALICE, service.serviceId(),
                        List.of(BOB_ARN, bad), List.of()), bad);
                assertFails("InvalidPrincipal", () -> cp.modifyServicePermissions(ALICE, service.serviceId(),
                        List.of(), List.of(bad)), bad);
            }
            assertEquals(List.of(), permissions());
        }

        @Test
        void filtersByPrincipalAndPrincipalType() {
            cp.modifyServicePermissions(ALICE, service.serviceId(),
                    List.of(ROOT_ARN, BOB_ARN, APP_ARN, "*"), List.of());
            Function<List<AllowedPrincipal>, List<String>> arns = l -> l.stream()
                    .map(p -> p.principal().arn()).toList();

            assertEquals(List.of(BOB_ARN), arns.apply(permissions(Filter.of("principal", BOB_ARN))));
            assertEquals(List.of(APP_ARN), arns.apply(permissions(Filter.of("principal-type", "Role"))));
            assertEquals(List.of("*"), arns.apply(permissions(Filter.of("principal-type", "All"))));
            assertEquals(List.of(ROOT_ARN, BOB_ARN), arns.apply(permissions(Filter.of("principal-type",
                    "Account", "User"))));
            assertEquals(List.of(ROOT_ARN, BOB_ARN, APP_ARN), arns.apply(permissions(Filter.of("principal",
                    "arn:aws:iam::" + CONSUMER + ":*"))));
            assertEquals(List.of(), permissions(Filter.of("principal", STRANGER_ARN)));
        }

        @Test
        void unknownFilterIsInvalidParameterValue() {
            assertFails("InvalidParameterValue", () -> permissions(Filter.of("account", CONSUMER)), "account");
        }

        @Test
        void onlyTheOwnerManagesPermissions() {
            assertFails("InvalidVpcEndpointServiceId.NotFound", () -> cp.modifyServicePermissions(BOB,
                    service.serviceId(), List.of(BOB_ARN), List.of()), service.serviceId());
            assertFails("InvalidVpcEndpointServiceId.NotFound", () -> cp.describeServicePermissions(BOB,
                    service.serviceId(), List.of(), PageRequest.ALL), service.serviceId());
            assertEquals(List.of(), permissions());
        }

        @Test
        void pagesPermissions() {
            cp.modifyServicePermissions(ALICE, service.serviceId(),
                    List.of(ROOT_ARN, BOB_ARN, APP_ARN, "*", STRANGER_ARN, "arn:aws:iam::" + CONSUMER + ":user/carol"),
                    List.of());
            Page<AllowedPrincipal> first = cp.describeServicePermissions(ALICE, service.serviceId(), List.of(),
                    PageRequest.of(5));
            assertEquals(5, first.items().size());
            Page<AllowedPrincipal> second = cp.describeServicePermissions(ALICE, service.serviceId(), List.of(),
                    new PageRequest(5, first.nextToken()));
            assertEquals(1, second.items().size());
            assertEquals(null, second.nextToken());
        }
    }

    @Nested
    class WhoMayConnect {

        @Test
        void nobodyButTheOwnerWhenNothingIsAllowed() {
            assertEquals(false, mayCreate(CONSUMER_ROOT));
            assertEquals(false, mayCreate(BOB));
            assertEquals(false, mayCreate(APP));
            assertEquals(false, mayCreate(STRANGER_ROOT));
            assertEquals(true, mayCreate(DEPLOYER), "the owner's own account always sees its service");
        }

        @Test
        void everyoneWhenStarIsAllowed() {
            w.allow(service, "*");
            assertEquals(true, mayCreate(CONSUMER_ROOT));
            assertEquals(true, mayCreate(BOB));
            assertEquals(true, mayCreate(APP));
            assertEquals(true, mayCreate(STRANGER_ROOT));
        }

        @Test
        void everyPrincipalOfAnAllowedAccount() {
            w.allow(service, ROOT_ARN);
            assertEquals(true, mayCreate(CONSUMER_ROOT));
            assertEquals(true, mayCreate(BOB));
            assertEquals(true, mayCreate(APP));
            assertEquals(false, mayCreate(STRANGER_ROOT));
        }

        @Test
        void onlyTheAllowedUser() {
            w.allow(service, BOB_ARN);
            assertEquals(true, mayCreate(BOB));
            assertEquals(false, mayCreate(APP));
            assertEquals(false, mayCreate(CONSUMER_ROOT));
            assertEquals(false, mayCreate(STRANGER_ROOT));
        }

        @Test
        void onlyTheAllowedRole() {
            w.allow(service, APP_ARN);
            assertEquals(true, mayCreate(APP));
            assertEquals(false, mayCreate(BOB));
            assertEquals(false, mayCreate(CONSUMER_ROOT));
        }

        @Test
        void aPrincipalNotAllowedDoesNotSeeTheService() {
            w.allow(service, BOB_ARN);
            assertTrue(sees(BOB));
            assertEquals(false, sees(APP));
            assertEquals(false, sees(CONSUMER_ROOT));
            assertEquals(false, sees(STRANGER_ROOT));
            assertFails("InvalidServiceName", () -> cp.describeServices(APP, List.of(service.serviceName()),
                    List.of(), PageRequest.ALL), service.serviceName());
            assertEquals(List.of(service.serviceId()), cp.describeServices(BOB, List.of(service.serviceName()),
                    List.of(), PageRequest.ALL).items().stream().map(ServiceDetail::serviceId).toList());
        }

        @Test
        void theStrangerNeverSeesIt() {
            w.allow(service, ROOT_ARN, BOB_ARN, APP_ARN);
            assertEquals(false, sees(STRANGER_ROOT));
            assertEquals(false, mayCreate(STRANGER_ROOT));
        }

        @Test
        void allowingAnotherAccountDoesNotAllowThisOne() {
            w.allow(service, STRANGER_ARN);
            assertEquals(false, mayCreate(CONSUMER_ROOT));
            assertEquals(true, mayCreate(STRANGER_ROOT));
        }

        @Test
        void removingAPrincipalStopsNewEndpointsButKeepsExistingOnes() {
            w.allow(service, BOB_ARN);
            VpcEndpoint pending = w.endpoint(service, SUBNET_B);
            VpcEndpoint accepted = w.endpoint(service, World.SUBNET_A);
            cp.acceptConnections(ALICE, service.serviceId(), List.of(accepted.vpcEndpointId()));
            long eventsBefore = w.events.stream().filter(ev -> ev instanceof ControlEvent.EndpointChanged).count();

            cp.modifyServicePermissions(ALICE, service.serviceId(), List.of(), List.of(BOB_ARN));

            assertEquals(EndpointState.PENDING_ACCEPTANCE, w.stateOf(pending.vpcEndpointId()));
            assertEquals(EndpointState.AVAILABLE, w.stateOf(accepted.vpcEndpointId()));
            assertEquals(eventsBefore, w.events.stream().filter(ev -> ev instanceof ControlEvent.EndpointChanged).count(),
                    "no endpoint changed");
            assertEquals(false, mayCreate(BOB));
            // the owner can still act on the endpoints
            assertEquals(List.of(), cp.acceptConnections(ALICE, service.serviceId(),
                    List.of(pending.vpcEndpointId())));
        }

        @Test
        void theRequesterIsRecordedOnTheEndpoint() {
            w.allow(service, ROOT_ARN);
            assertEquals(Principal.role(CONSUMER, "app"), w.endpoint(APP, service, SUBNET_B).requester());
        }
    }
}
