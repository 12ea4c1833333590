package io.plsim.core.control;

import static io.plsim.core.control.World.APP;
import static io.plsim.core.control.World.BOB;
import static io.plsim.core.control.World.CONSUMER_VPC;
import static io.plsim.core.control.World.GROUP_DEFAULT;
import static io.plsim.core.control.World.GROUP_OTHER_VPC;
import static io.plsim.core.control.World.GROUP_WEB;
import static io.plsim.core.control.World.STRANGER_ROOT;
import static io.plsim.core.control.World.SUBNET_A;
import static io.plsim.core.control.World.SUBNET_A_2;
import static io.plsim.core.control.World.SUBNET_B;
import static io.plsim.core.control.World.SUBNET_C;
import static io.plsim.core.control.World.SUBNET_OTHER_VPC;
import static io.plsim.core.control.World.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.model.SecurityGroup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ModifyVpcEndpoint, security groups on endpoints, and DeleteTags / DescribeTags. */
class ModifyEndpointTest {

    private World w;
    private ControlPlane cp;
    private ServiceConfiguration service;

    @BeforeEach
    void setUp() {
        w = new World();
        cp = w.cp;
        service = w.openService(false);
    }

    private static List<String> groupIds(VpcEndpoint e) {
        return e.groups().stream().map(SecurityGroup::id).toList();
    }

    private List<ControlEvent.EndpointModified> modifications() {
        synchronized (w.events) {
            return w.events.stream().filter(ControlEvent.EndpointModified.class::isInstance)
                    .map(ControlEvent.EndpointModified.class::cast).toList();
        }
    }

    @Test
    void withoutGroupsAnEndpointGetsItsVpcsDefaultGroup() {
        VpcEndpoint e = w.endpoint(service, SUBNET_A);
        assertEquals(List.of(GROUP_DEFAULT), groupIds(e));
        assertEquals("default", e.groups().get(0).name());
    }

    @Test
    void groupsOnCreateAreCheckedAndKept() {
        VpcEndpoint e = cp.createVpcEndpoint(BOB, new CreateEndpointRequest(CONSUMER_VPC, service.serviceName(),
                List.of(SUBNET_A), null, null, null, null, List.of(GROUP_WEB, GROUP_DEFAULT)));
        assertEquals(List.of(GROUP_WEB, GROUP_DEFAULT), groupIds(e));
        assertFails("InvalidGroup.NotFound", () -> cp.createVpcEndpoint(BOB, new CreateEndpointRequest(CONSUMER_VPC,
                service.serviceName(), List.of(SUBNET_A), null, null, null, null, List.of(GROUP_OTHER_VPC))),
                GROUP_OTHER_VPC, CONSUMER_VPC);
        assertFails("InvalidGroup.NotFound", () -> cp.createVpcEndpoint(BOB, new CreateEndpointRequest(CONSUMER_VPC,
                service.serviceName(), List.of(SUBNET_A), null, null, null, null, List.of("sg-0123456789abcdef0"))),
                "sg-0123456789abcdef0");
        assertFails("InvalidGroupId.Malformed", () -> cp.createVpcEndpoint(BOB, new CreateEndpointRequest(CONSUMER_VPC,
                service.serviceName(), List.of(SUBNET_A), null, null, null, null, List.of("web"))), "web");
        assertEquals(1, cp.endpoints().size(), "a refused create makes nothing");
    }

    @Test
    void addingASubnetMakesAnInterfaceAndAZonalName() {
        VpcEndpoint e = w.endpoint(service, SUBNET_A);
        VpcEndpoint after = cp.modifyVpcEndpoint(BOB, ModifyEndpointRequest.subnets(e.vpcEndpointId(),
                List.of(SUBNET_B), List.of()));
        assertEquals(List.of(SUBNET_A, SUBNET_B), after.subnetIds());
        assertEquals(3, after.dnsEntries().size(), "regional and two zonal names");
        assertEquals(e.dnsEntries().get(0), after.dnsEntries().get(0), "the regional name stays");
        assertTrue(after.dnsEntries().stream().anyMatch(d -> "us-east-1b".equals(d.zoneName())));
        ControlEvent.EndpointModified m = modifications().get(0);
        assertEquals(1, m.added().size());
        assertEquals(SUBNET_B, m.added().get(0).subnetId());
        assertEquals(List.of(), m.removed());
        assertEquals(after, w.endpointNow(e.vpcEndpointId()));
    }

    @Test
    void removingASubnetReleasesItsInterfaceAndAddress() {
        VpcEndpoint e = w.endpoint(service, SUBNET_A, SUBNET_B);
        EndpointInterface gone = e.interfaces().get(1);
        VpcEndpoint after = cp.modifyVpcEndpoint(BOB, ModifyEndpointRequest.subnets(e.vpcEndpointId(),
                List.of(), List.of(SUBNET_B)));
        assertEquals(List.of(SUBNET_A), after.subnetIds());
        assertEquals(2, after.dnsEntries().size());
        assertEquals(List.of(gone), modifications().get(0).removed());
        // The freed address is the next one handed out in that subnet.
        VpcEndpoint other = w.endpoint(service, SUBNET_B);
        assertEquals(gone.privateIp(), other.interfaces().get(0).privateIp());
    }

    @Test
    void modifyTakesTheChecksOfCreateAndChangesNothingWhenOneFails() {
        VpcEndpoint e = w.endpoint(service, SUBNET_A);
        String id = e.vpcEndpointId();
        assertFails("DuplicateSubnetsInSameZone", () -> cp.modifyVpcEndpoint(BOB,
                ModifyEndpointRequest.subnets(id, List.of(SUBNET_A_2), List.of())), SUBNET_A_2);
        assertFails("InvalidParameter", () -> cp.modifyVpcEndpoint(BOB,
                ModifyEndpointRequest.subnets(id, List.of(SUBNET_OTHER_VPC), List.of())), SUBNET_OTHER_VPC);
        assertFails("InvalidSubnetID.NotFound", () -> cp.modifyVpcEndpoint(BOB,
                ModifyEndpointRequest.subnets(id, List.of("subnet-0123456789abcdef0"), List.of())));
        assertFails("InvalidParameter", () -> cp.modifyVpcEndpoint(BOB,
                ModifyEndpointRequest.subnets(id, List.of(), List.of(SUBNET_A))), "at least one subnet");
        assertFails("InvalidParameter", () -> cp.modifyVpcEndpoint(BOB,
                ModifyEndpointRequest.subnets(id, List.of(), List.of(SUBNET_B))), SUBNET_B);
        assertFails("InvalidParameter", () -> cp.modifyVpcEndpoint(BOB,
                ModifyEndpointRequest.subnets(id, List.of(SUBNET_B, SUBNET_C), List.of(SUBNET_B))), "both");
        assertFails("InvalidParameter", () -> cp.modifyVpcEndpoint(BOB, new ModifyEndpointRequest(id, List.of(SUBNET_B),
                List.of(), List.of(), List.of(), false, "{\"Statement\":[]}", null, null)), "policies");
        assertFails("InvalidParameter", () -> cp.modifyVpcEndpoint(BOB, new ModifyEndpointRequest(id, List.of(SUBNET_B),
                List.of(), List.of(), List.of(), false, null, true, null)), "Private DNS");
        assertFails("InvalidVpcEndpointId.NotFound", () -> cp.modifyVpcEndpoint(STRANGER_ROOT,
                ModifyEndpointRequest.subnets(id, List.of(SUBNET_B), List.of())));
        assertEquals(e, w.endpointNow(id), "nothing changed");
        assertEquals(List.of(), modifications());
    }

    @Test
    void anAddedSubnetMustBeInAZoneTheServiceOffers() {
        ServiceConfiguration oneZone = w.service(false, World.SPARE_NLBS.get(0));
        w.allow(oneZone, World.ROOT_ARN);
        VpcEndpoint e = w.endpoint(oneZone, SUBNET_B);
        assertFails("InvalidParameter", () -> cp.modifyVpcEndpoint(BOB, ModifyEndpointRequest.subnets(
                e.vpcEndpointId(), List.of(SUBNET_A), List.of())), SUBNET_A, "use1-az2");
    }

    @Test
    void aRoleOfTheSameAccountMayModifyAndResetPolicyIsAccepted() {
        VpcEndpoint e = w.endpoint(service, SUBNET_A);
        VpcEndpoint after = cp.modifyVpcEndpoint(APP, new ModifyEndpointRequest(e.vpcEndpointId(), List.of(),
                List.of(), List.of(), List.of(), true, null, false, "ipv4"));
        assertEquals(e.subnetIds(), after.subnetIds());
    }

    @Test
    void groupsAreAddedAndRemovedButNeverAllOfThem() {
        VpcEndpoint e = w.endpoint(service, SUBNET_A);
        String id = e.vpcEndpointId();
        VpcEndpoint added = cp.modifyVpcEndpoint(BOB, ModifyEndpointRequest.groups(id, List.of(GROUP_WEB), List.of()));
        assertEquals(List.of(GROUP_DEFAULT, GROUP_WEB), groupIds(added));
        VpcEndpoint removed = cp.modifyVpcEndpoint(BOB, ModifyEndpointRequest.groups(id, List.of(),
                List.of(GROUP_DEFAULT)));
        assertEquals(List.of(GROUP_WEB), groupIds(removed));
        assertFails("InvalidParameter", () -> cp.modifyVpcEndpoint(BOB, ModifyEndpointRequest.groups(id, List.of(),
                List.of(GROUP_WEB))), "at least one security group");
        assertFails("InvalidGroup.NotFound", () -> cp.modifyVpcEndpoint(BOB, ModifyEndpointRequest.groups(id,
                List.of(GROUP_OTHER_VPC), List.of())));
        ControlEvent.EndpointModified last = modifications().get(modifications().size() - 1);
        assertEquals(List.of(), last.added(), "a change of groups opens no interface");
    }

    @Test
    void aDeletedEndpointCannotBeModified() {
        VpcEndpoint e = w.endpoint(service, SUBNET_A);
        cp.deleteVpcEndpoints(BOB, List.of(e.vpcEndpointId()));
        assertFails("InvalidVpcEndpointId.NotFound", () -> cp.modifyVpcEndpoint(BOB,
                ModifyEndpointRequest.subnets(e.vpcEndpointId(), List.of(SUBNET_B), List.of())));
    }

    @Test
    void deleteTagsMatchesValuesAsEc2Does() {
        VpcEndpoint e = cp.createVpcEndpoint(BOB, new CreateEndpointRequest(CONSUMER_VPC, service.serviceName(),
                List.of(SUBNET_A), null, null, null, Map.of("a", "1"), null));
        String id = e.vpcEndpointId();
        cp.createTags(BOB, List.of(id), Map.of("b", "2"));
        cp.createTags(BOB, List.of(id), Map.of("c", ""));
        java.util.LinkedHashMap<String, String> wrongValue = new java.util.LinkedHashMap<>();
        wrongValue.put("a", "other");
        cp.deleteTags(BOB, List.of(id), wrongValue);
        assertEquals(Map.of("a", "1", "b", "2", "c", ""), w.endpointNow(id).tags(), "a value that differs keeps the tag");
        java.util.LinkedHashMap<String, String> anyValue = new java.util.LinkedHashMap<>();
        anyValue.put("a", null);
        anyValue.put("c", "");
        cp.deleteTags(BOB, List.of(id), anyValue);
        assertEquals(Map.of("b", "2"), w.endpointNow(id).tags());
        cp.deleteTags(BOB, List.of(id), Map.of());
        assertEquals(Map.of(), w.endpointNow(id).tags(), "no tags named: every tag goes");
        assertFails("InvalidParameterValue", () -> cp.deleteTags(World.ALICE, List.of(service.serviceId()), Map.of()),
                "endpoint service");
    }

    @Test
    void describeTagsListsEachTagOnceAndFilters() {
        VpcEndpoint one = w.endpoint(service, SUBNET_A);
        VpcEndpoint two = w.endpoint(service, SUBNET_B);
        cp.createTags(BOB, List.of(one.vpcEndpointId(), two.vpcEndpointId()), Map.of("team", "a"));
        cp.createTags(BOB, List.of(two.vpcEndpointId()), Map.of("env", "prod"));
        List<TagDescription> all = cp.describeTags(BOB, List.of(), PageRequest.ALL).items();
        assertEquals(3, all.size());
        assertTrue(all.stream().allMatch(t -> t.resourceType().equals("vpc-endpoint")));
        assertEquals(List.of(two.vpcEndpointId()), cp.describeTags(BOB, List.of(Filter.of("key", "env")),
                PageRequest.ALL).items().stream().map(TagDescription::resourceId).toList());
        assertEquals(2, cp.describeTags(BOB, List.of(Filter.of("tag:team", "a")), PageRequest.ALL).items().size());
        assertEquals(0, cp.describeTags(World.ALICE, List.of(), PageRequest.ALL).items().size(), "other accounts see none");
        Page<TagDescription> first = cp.describeTags(BOB, List.of(), PageRequest.of(5));
        assertEquals(3, first.items().size());
        assertFails("InvalidParameterValue", () -> cp.describeTags(BOB, List.of(Filter.of("colour", "x")),
                PageRequest.ALL), "colour");
        cp.deleteVpcEndpoints(BOB, List.of(two.vpcEndpointId()));
        assertEquals(1, cp.describeTags(BOB, List.of(), PageRequest.ALL).items().size(), "a deleted endpoint's tags go");
    }
}
