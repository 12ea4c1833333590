package io.plsim.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.model.Account;
import io.plsim.core.model.Cidr;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.LoadBalancer.NlbNodeSpec;
import io.plsim.core.model.Principal;
import io.plsim.core.model.SecurityGroup;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Topology;
import io.plsim.core.model.Vpc;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/**
 * The shared fixture of the control plane tests: one region, a provider, a consumer whose zone
 * names map to other zone IDs than the provider's, and a stranger account allowed nowhere.
 *
 * <pre>
 *            provider 111122223333   consumer 444455556666   stranger 777788889999
 * use1-az1   us-east-1a              us-east-1b              us-east-1c
 * use1-az2   us-east-1b              us-east-1a              us-east-1a
 * use1-az3   us-east-1c              us-east-1c              us-east-1b
 * </pre>
 *
 * <p>A new {@code World} is a fresh control plane over that topology, with a fixed clock and
 * seed, and a listener that records every {@link ControlEvent}.
 */
final class World {

    static final String REGION = "us-east-1";
    static final String OTHER_REGION = "us-west-2";
    static final long SEED = 42L;
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    static final String PROVIDER = "111122223333";
    static final String CONSUMER = "444455556666";
    static final String STRANGER = "777788889999";

    static final Caller ALICE = new Caller(Principal.user(PROVIDER, "alice"), REGION);
    static final Caller DEPLOYER = new Caller(Principal.role(PROVIDER, "deployer"), REGION);
    static final Caller PROVIDER_ROOT = new Caller(Principal.root(PROVIDER), REGION);
    static final Caller BOB = new Caller(Principal.user(CONSUMER, "bob"), REGION);
    static final Caller APP = new Caller(Principal.role(CONSUMER, "app"), REGION);
    static final Caller CONSUMER_ROOT = new Caller(Principal.root(CONSUMER), REGION);
    static final Caller STRANGER_ROOT = new Caller(Principal.root(STRANGER), REGION);
    static final Caller BOB_IN_OTHER_REGION = new Caller(Principal.user(CONSUMER, "bob"), OTHER_REGION);

    static final String ROOT_ARN = "arn:aws:iam::" + CONSUMER + ":root";
    static final String BOB_ARN = "arn:aws:iam::" + CONSUMER + ":user/bob";
    static final String APP_ARN = "arn:aws:iam::" + CONSUMER + ":role/app";
    static final String STRANGER_ARN = "arn:aws:iam::" + STRANGER + ":root";

    // VPCs and subnets
    static final String CONSUMER_VPC = "vpc-0c0000000000000a1";
    static final String CONSUMER_VPC_2 = "vpc-0c0000000000000a2";
    static final String PROVIDER_VPC = "vpc-0b0000000000000b1";
    static final String STRANGER_VPC = "vpc-0d0000000000000d1";

    /** The default security group of {@link #CONSUMER_VPC}. */
    static final String GROUP_DEFAULT = "sg-0c0000000000000a1";
    /** A declared group of {@link #CONSUMER_VPC}. */
    static final String GROUP_WEB = "sg-0c00000000000fe01";
    /** A declared group of {@link #CONSUMER_VPC_2}. */
    static final String GROUP_OTHER_VPC = "sg-0c00000000000fe02";

    /** Consumer's us-east-1a, which is use1-az2 (the provider's us-east-1b). */
    static final String SUBNET_A = "subnet-0c00000000000a001";
    /** Consumer's us-east-1b, which is use1-az1 (the provider's us-east-1a). */
    static final String SUBNET_B = "subnet-0c00000000000b001";
    /** A second subnet in the consumer's us-east-1a. */
    static final String SUBNET_A_2 = "subnet-0c00000000000a002";
    /** Consumer's us-east-1c, use1-az3 for everyone; a /20 with room for many endpoints. */
    static final String SUBNET_C = "subnet-0c00000000000c001";
    /** A /29 in the consumer's us-east-1b: three usable addresses. */
    static final String SUBNET_TINY = "subnet-0c00000000000b0ff";
    /** In the consumer's second VPC, us-east-1b. */
    static final String SUBNET_OTHER_VPC = "subnet-0c00000000000b201";
    static final String PROVIDER_SUBNET = "subnet-0b00000000000a001";
    static final String STRANGER_SUBNET = "subnet-0d00000000000a001";

    static final Map<String, String> CIDRS = Map.of(
            SUBNET_A, "127.10.1.0/24",
            SUBNET_B, "127.10.2.0/24",
            SUBNET_A_2, "127.10.3.0/24",
            SUBNET_C, "127.10.16.0/20",
            SUBNET_TINY, "127.10.5.0/29",
            SUBNET_OTHER_VPC, "127.11.1.0/24",
            PROVIDER_SUBNET, "127.20.1.0/24",
            STRANGER_SUBNET, "127.30.1.0/24");

    // Load balancers
    /** Provider NLB with nodes in use1-az1, use1-az2 and use1-az3. */
    static final String NLB_A = nlbArn(REGION, PROVIDER, "nlb-a", "0123456789abcdef");
    /** Provider NLB with nodes in use1-az1 and use1-az2. */
    static final String NLB_B = nlbArn(REGION, PROVIDER, "nlb-b", "fedcba9876543210");
    /** Provider NLB with one node, in use1-az1 (provider us-east-1a, consumer us-east-1b). */
    static final String NLB_SOLO = nlbArn(REGION, PROVIDER, "nlb-solo", "00000000000050f0");
    /** Provider application load balancer. */
    static final String ALB = "arn:aws:elasticloadbalancing:us-east-1:" + PROVIDER
            + ":loadbalancer/app/web/aaaaaaaaaaaaaaaa";
    /** A network load balancer of the stranger account. */
    static final String STRANGER_NLB = nlbArn(REGION, STRANGER, "nlb-x", "bbbbbbbbbbbbbbbb");
    /** A well-formed ARN of a load balancer that does not exist. */
    static final String UNKNOWN_NLB = nlbArn(REGION, PROVIDER, "nlb-nope", "cccccccccccccccc");
    /** A well-formed ARN of the provider in another region. */
    static final String OTHER_REGION_NLB = nlbArn(OTHER_REGION, PROVIDER, "nlb-west", "dddddddddddddddd");
    /** Twelve more single-node provider NLBs, one per service of the paging tests. */
    static final List<String> SPARE_NLBS = spareArns();

    final Topology topology;
    final ControlPlane cp;
    /** Every event the control plane published, in order. */
    final List<ControlEvent> events = Collections.synchronizedList(new ArrayList<>());

    World() {
        this(SEED);
    }

    World(long seed) {
        this(Clock.fixed(NOW, ZoneOffset.UTC), seed);
    }

    World(Clock clock, long seed) {
        topology = topology();
        cp = new ControlPlane(topology, clock, seed);
        cp.addListener(events::add);
    }

    // ---------------------------------------------------------------- topology

    static String nlbArn(String region, String account, String name, String hex) {
        return "arn:aws:elasticloadbalancing:" + region + ":" + account + ":loadbalancer/net/" + name + "/" + hex;
    }

    private static List<String> spareArns() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            out.add(nlbArn(REGION, PROVIDER, "nlb-spare-" + i, String.format("%016x", 0x5000 + i)));
        }
        return List.copyOf(out);
    }

    static Topology topology() {
        Map<String, Account> accounts = new LinkedHashMap<>();
        accounts.put(PROVIDER, new Account(PROVIDER, List.of("alice"), List.of("deployer"),
                Map.of("us-east-1a", "use1-az1", "us-east-1b", "use1-az2", "us-east-1c", "use1-az3"), Map.of()));
        accounts.put(CONSUMER, new Account(CONSUMER, List.of("bob"), List.of("app"),
                Map.of("us-east-1a", "use1-az2", "us-east-1b", "use1-az1", "us-east-1c", "use1-az3"), Map.of()));
        accounts.put(STRANGER, new Account(STRANGER, List.of("eve"), List.of(),
                Map.of("us-east-1a", "use1-az2", "us-east-1b", "use1-az3", "us-east-1c", "use1-az1"), Map.of()));

        Map<String, Vpc> vpcs = new LinkedHashMap<>();
        vpcs.put(CONSUMER_VPC, new Vpc(CONSUMER_VPC, CONSUMER, cidr("127.10.0.0/16")));
        vpcs.put(CONSUMER_VPC_2, new Vpc(CONSUMER_VPC_2, CONSUMER, cidr("127.11.0.0/16")));
        vpcs.put(PROVIDER_VPC, new Vpc(PROVIDER_VPC, PROVIDER, cidr("127.20.0.0/16")));
        vpcs.put(STRANGER_VPC, new Vpc(STRANGER_VPC, STRANGER, cidr("127.30.0.0/16")));

        Map<String, Subnet> subnets = new LinkedHashMap<>();
        subnet(subnets, SUBNET_A, CONSUMER_VPC, CONSUMER, "us-east-1a", "use1-az2");
        subnet(subnets, SUBNET_B, CONSUMER_VPC, CONSUMER, "us-east-1b", "use1-az1");
        subnet(subnets, SUBNET_A_2, CONSUMER_VPC, CONSUMER, "us-east-1a", "use1-az2");
        subnet(subnets, SUBNET_C, CONSUMER_VPC, CONSUMER, "us-east-1c", "use1-az3");
        subnet(subnets, SUBNET_TINY, CONSUMER_VPC, CONSUMER, "us-east-1b", "use1-az1");
        subnet(subnets, SUBNET_OTHER_VPC, CONSUMER_VPC_2, CONSUMER, "us-east-1b", "use1-az1");
        subnet(subnets, PROVIDER_SUBNET, PROVIDER_VPC, PROVIDER, "us-east-1a", "use1-az1");
        subnet(subnets, STRANGER_SUBNET, STRANGER_VPC, STRANGER, "us-east-1c", "use1-az1");

        Map<String, LoadBalancer> lbs = new LinkedHashMap<>();
        lb(lbs, NLB_A, PROVIDER, "network", node("us-east-1a", "use1-az1", "127.20.1.10"),
                node("us-east-1b", "use1-az2", "127.20.2.10"), node("us-east-1c", "use1-az3", "127.20.3.10"));
        lb(lbs, NLB_B, PROVIDER, "network", node("us-east-1a", "use1-az1", "127.20.1.11"),
                node("us-east-1b", "use1-az2", "127.20.2.11"));
        lb(lbs, NLB_SOLO, PROVIDER, "network", node("us-east-1a", "use1-az1", "127.20.1.12"));
        lb(lbs, ALB, PROVIDER, "application", node("us-east-1a", "use1-az1", "127.20.1.13"));
        lb(lbs, STRANGER_NLB, STRANGER, "network", node("us-east-1c", "use1-az1", "127.30.1.10"));
        for (int i = 0; i < SPARE_NLBS.size(); i++) {
            lb(lbs, SPARE_NLBS.get(i), PROVIDER, "network", node("us-east-1a", "use1-az1", "127.20.9." + (10 + i)));
        }
        Map<String, SecurityGroup> groups = new LinkedHashMap<>();
        vpcs.values().forEach(v -> groups.put(SecurityGroup.defaultOf(v).id(), SecurityGroup.defaultOf(v)));
        groups.put(GROUP_WEB, new SecurityGroup(GROUP_WEB, CONSUMER_VPC, CONSUMER, "web", "web servers"));
        groups.put(GROUP_OTHER_VPC, new SecurityGroup(GROUP_OTHER_VPC, CONSUMER_VPC_2, CONSUMER, "other", "elsewhere"));
        return new Topology(REGION, accounts, vpcs, subnets, groups, lbs);
    }

    private static Cidr cidr(String text) {
        return Cidr.parse(text).orElseThrow();
    }

    private static void subnet(Map<String, Subnet> out, String id, String vpc, String account, String zoneName,
                               String zoneId) {
        out.put(id, new Subnet(id, vpc, account, zoneName, zoneId, cidr(CIDRS.get(id))));
    }

    private static NlbNodeSpec node(String zoneName, String zoneId, String ip) {
        return new NlbNodeSpec(zoneName, zoneId, io.plsim.core.model.Ipv4.parse(ip).orElseThrow());
    }

    private static void lb(Map<String, LoadBalancer> out, String arn, String account, String type,
                           NlbNodeSpec... nodes) {
        String name = arn.split("/")[2];
        out.put(arn, new LoadBalancer(arn, name, account, type, List.of(nodes), List.of(443), List.of(), false,
                LoadBalancer.ProxyProtocol.OFF, LoadBalancer.HealthCheck.AWS_DEFAULT,
                LoadBalancer.DEFAULT_IDLE_TIMEOUT_SECONDS));
    }

    // ---------------------------------------------------------------- shortcuts

    /** A service of alice over the given load balancers. */
    ServiceConfiguration service(boolean acceptanceRequired, String... nlbArns) {
        return cp.createServiceConfiguration(ALICE, CreateServiceRequest.of(acceptanceRequired, nlbArns));
    }

    void allow(ServiceConfiguration service, String... principals) {
        cp.modifyServicePermissions(ALICE, service.serviceId(), List.of(principals), List.of());
    }

    /** A service of alice over NLB_A and NLB_B on which every consumer principal is allowed. */
    ServiceConfiguration openService(boolean acceptanceRequired) {
        ServiceConfiguration s = service(acceptanceRequired, NLB_A, NLB_B);
        allow(s, ROOT_ARN);
        return s;
    }

    VpcEndpoint endpoint(Caller caller, ServiceConfiguration service, String... subnets) {
        return cp.createVpcEndpoint(caller, CreateEndpointRequest.of(CONSUMER_VPC, service.serviceName(), subnets));
    }

    VpcEndpoint endpoint(ServiceConfiguration service, String... subnets) {
        return endpoint(BOB, service, subnets);
    }

    /** The endpoint as its owner sees it now. */
    VpcEndpoint endpointNow(String id) {
        return cp.endpoints().stream().filter(e -> e.vpcEndpointId().equals(id)).findFirst().orElseThrow();
    }

    EndpointState stateOf(String endpointId) {
        return endpointNow(endpointId).state();
    }

    List<ControlEvent.Notified> notified() {
        synchronized (events) {
            return events.stream().filter(ControlEvent.Notified.class::isInstance)
                    .map(ControlEvent.Notified.class::cast).toList();
        }
    }

    List<ControlEvent.EndpointChanged> endpointChanges(String endpointId) {
        synchronized (events) {
            return events.stream().filter(ControlEvent.EndpointChanged.class::isInstance)
                    .map(ControlEvent.EndpointChanged.class::cast)
                    .filter(e -> e.endpoint().vpcEndpointId().equals(endpointId)).toList();
        }
    }

    // ---------------------------------------------------------------- assertions

    /**
     * Asserts that the call fails with the EC2 error code, and that the message names every one of
     * {@code named}.
     */
    static ControlPlaneException assertFails(String code, Executable call, String... named) {
        ControlPlaneException e = assertThrows(ControlPlaneException.class, call);
        assertEquals(code, e.code(), () -> "error code; message was: " + e.getMessage());
        for (String n : named) {
            assertTrue(e.getMessage().contains(n), () -> "message should name '" + n + "': " + e.getMessage());
        }
        return e;
    }

    /** Asserts a batch answer of exactly one failed item, with its code and a message naming it. */
    static void assertOneFailure(List<Unsuccessful> failed, String resourceId, String code) {
        assertEquals(1, failed.size(), () -> "failures: " + failed);
        assertUnsuccessful(failed.get(0), resourceId, code);
    }

    static void assertUnsuccessful(Unsuccessful u, String resourceId, String code) {
        assertEquals(resourceId, u.resourceId());
        assertEquals(code, u.code(), () -> "error code; message was: " + u.message());
        assertTrue(u.message().contains(resourceId), () -> "message should name " + resourceId + ": " + u.message());
    }
}
