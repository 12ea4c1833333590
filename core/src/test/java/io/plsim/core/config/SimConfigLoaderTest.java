package io.plsim.core.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.plsim.core.control.AllowedPrincipal;
import io.plsim.core.control.ConnectionEvent;
import io.plsim.core.control.ConnectionNotification;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.EndpointState;
import io.plsim.core.control.ServiceConfiguration;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Account;
import io.plsim.core.model.Ipv4;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Principal;
import io.plsim.core.model.Simulation;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The sim-configs shipped under {@code sim-configs/} load, and make the worlds their comments describe. */
class SimConfigLoaderTest {

    /** Tests run in the module directory; the shipped files are at the project's top. */
    static final Path SIM_CONFIGS = Path.of("..", "sim-configs");
    static final Path QUICKSTART = SIM_CONFIGS.resolve("quickstart.yaml");
    static final Path YOUR_SERVICE = SIM_CONFIGS.resolve("your-service.yaml");

    static final String PROVIDER = "111122223333";
    static final String CONSUMER = "444455556666";
    static final String QUICKSTART_NLB_ARN =
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/quickstart-nlb/e94221227f1ba532";

    static World load(Path file) {
        try {
            return SimConfigLoader.load(file);
        } catch (SimConfigException e) {
            return fail(file + " should load, but:\n" + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- every shipped file

    @TestFactory
    Stream<DynamicTest> everyShippedSimConfigLoads() throws IOException {
        assertTrue(Files.isDirectory(SIM_CONFIGS), "no directory " + SIM_CONFIGS.toAbsolutePath());
        List<Path> files = new java.util.ArrayList<>();
        try (Stream<Path> list = Files.list(SIM_CONFIGS)) {
            list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        assertFalse(files.isEmpty(), "no *.yaml file in " + SIM_CONFIGS.toAbsolutePath());
        // The worlds the benchmark scripts play, too, so that a script never finds its world broken.
        try (Stream<Path> list = Files.list(Path.of("..", "bench"))) {
            list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            World world = load(f);
            assertEquals(f.toString(), world.source());
            assertNotNull(world.topology());
            assertNotNull(world.controlPlane());
            assertFalse(world.topology().accounts().isEmpty());
        }));
    }

    @Test
    void aWorldsLoopbackBlocksMoveButAUsersServiceStaysWhereItRuns() throws Exception {
        String az = SimConfigLoader.read(SIM_CONFIGS.resolve("az-outage.yaml"));
        assertEquals(java.util.Set.of(31, 32), SimConfigLoader.addressBlocks("az-outage.yaml", az));
        World moved = SimConfigLoader.load("az-outage.yaml", az, java.time.Clock.systemUTC(), Map.of(31, 201, 32, 202));
        assertEquals("127.201.0.0/16", moved.topology().vpcs().get("vpc-0a2a2a2a2a2a00001").cidr().toString());
        assertEquals("127.202.0.0/16", moved.topology().vpcs().get("vpc-0b2b2b2b2b2b00002").cidr().toString());
        assertEquals(List.of("127.201.1.10", "127.201.2.10"), moved.topology().loadBalancers().values().iterator().next()
                .nodes().stream().map(n -> n.ipText()).toList());
        assertTrue(moved.controlPlane().endpoints().get(0).interfaces().stream()
                .allMatch(i -> i.privateIp().startsWith("127.202.")), "interfaces in the moved consumer block");

        String yours = SimConfigLoader.read(YOUR_SERVICE);
        Map<Integer, Integer> all = new java.util.HashMap<>();
        SimConfigLoader.addressBlocks("your-service.yaml", yours).forEach(b -> all.put(b, 200 + b % 50));
        all.put(0, 250);
        World w = SimConfigLoader.load("your-service.yaml", yours, java.time.Clock.systemUTC(), all);
        assertEquals(List.of("127.0.0.1:9001", "127.0.0.1:9002"), w.topology().loadBalancers().values().iterator()
                .next().targets().stream().map(t -> t.address()).toList(), "the user's service is not moved");
    }

    @Test
    void theShippedFilesTheReadmeNamesExist() {
        assertTrue(Files.isRegularFile(QUICKSTART), QUICKSTART.toAbsolutePath().toString());
        assertTrue(Files.isRegularFile(YOUR_SERVICE), YOUR_SERVICE.toAbsolutePath().toString());
    }

    // ---------------------------------------------------------------- quickstart.yaml

    @Test
    void quickstartRegionAndSimulation() {
        World w = load(QUICKSTART);
        assertEquals("us-east-1", w.topology().region());
        assertEquals(new Simulation(42, Simulation.Denial.RESET), w.simulation());
    }

    @Test
    void acceptDelaySecondsIsReadAndEndpointsTheFileDeclaresStartInTheirState() throws Exception {
        String text = Files.readString(QUICKSTART).replace("  admission: reset ", "  acceptDelaySeconds: 2.5\n"
                + "  admission: reset ").replace("    # state: available", "    state: available");
        World w = SimConfigLoader.load("accept-delay.yaml", text);
        assertEquals(java.time.Duration.ofMillis(2500), w.simulation().acceptDelay());
        assertEquals(io.plsim.core.control.EndpointState.AVAILABLE, w.controlPlane().endpoints().get(0).state(),
                "accepted by the file, before the delay applies");
        assertEquals(java.time.Duration.ZERO, load(QUICKSTART).simulation().acceptDelay(), "none by default");
        SimConfigException e = org.junit.jupiter.api.Assertions.assertThrows(SimConfigException.class,
                () -> SimConfigLoader.load("accept-delay.yaml", text.replace("2.5", "-1")));
        assertTrue(e.getMessage().contains("accept-delay.yaml:21: simulation.acceptDelaySeconds"),
                e.getMessage());
    }

    @Test
    void crossZonePricePerGbIsReadAndDefaultsToAwsRate() throws Exception {
        String text = Files.readString(QUICKSTART).replace("  admission: reset ", "  crossZonePricePerGb: 0.02\n"
                + "  admission: reset ");
        assertEquals(0.02, SimConfigLoader.load("price.yaml", text).simulation().crossZonePricePerGb());
        assertEquals(0.01, load(QUICKSTART).simulation().crossZonePricePerGb(), "AWS's inter-AZ rate by default");
        SimConfigException e = org.junit.jupiter.api.Assertions.assertThrows(SimConfigException.class,
                () -> SimConfigLoader.load("price.yaml", text.replace("0.02", "cheap")));
        assertTrue(e.getMessage().contains("price.yaml:21: simulation.crossZonePricePerGb: expected a number"),
                e.getMessage());
    }

    @Test
    void quickstartAccountsNameTheirZonesDifferently() {
        Topology t = load(QUICKSTART).topology();
        assertEquals(Set.of(PROVIDER, CONSUMER), t.accounts().keySet());
        Account provider = t.accounts().get(PROVIDER);
        Account consumer = t.accounts().get(CONSUMER);
        assertAll(
                () -> assertEquals("use1-az1", provider.zoneId("us-east-1a").orElseThrow()),
                () -> assertEquals("use1-az2", provider.zoneId("us-east-1b").orElseThrow()),
                () -> assertEquals("use1-az2", consumer.zoneId("us-east-1a").orElseThrow()),
                () -> assertEquals("use1-az1", consumer.zoneId("us-east-1b").orElseThrow()),
                () -> assertEquals(List.of("alice"), provider.users()),
                () -> assertEquals(List.of("deployer"), provider.roles()),
                () -> assertEquals(List.of("bob"), consumer.users()),
                () -> assertEquals(List.of("app"), consumer.roles()),
                () -> assertEquals(Principal.root(PROVIDER), provider.accessKeys().get("AKIAPROVIDERROOT0001")),
                () -> assertEquals(Principal.user(CONSUMER, "bob"), consumer.accessKeys().get("AKIACONSUMERBOB00001")),
                () -> assertEquals(Principal.role(CONSUMER, "app"), consumer.accessKeys().get("AKIACONSUMERAPP00001")));
    }

    @Test
    void quickstartVpcsAndSubnets() {
        Topology t = load(QUICKSTART).topology();
        assertEquals(Set.of("vpc-0a1b2c3d4e5f60001", "vpc-0f9e8d7c6b5a40002"), t.vpcs().keySet());
        assertEquals(4, t.subnets().size());
        Subnet consumerA = t.subnets().get("subnet-0f9e8d7c6b5a40021");
        assertEquals(CONSUMER, consumerA.accountId());
        assertEquals("us-east-1a", consumerA.zoneName());
        assertEquals("use1-az2", consumerA.zoneId());
        assertEquals("127.2.1.0/24", consumerA.cidr().toString());
        assertEquals("use1-az1", t.subnets().get("subnet-0a1b2c3d4e5f60011").zoneId());
    }

    @Test
    void quickstartLoadBalancers() {
        Topology t = load(QUICKSTART).topology();
        assertEquals(2, t.loadBalancers().size());
        LoadBalancer nlb = t.loadBalancer(QUICKSTART_NLB_ARN).orElseThrow(
                () -> new AssertionError("no " + QUICKSTART_NLB_ARN + " among " + t.loadBalancers().keySet()));
        assertAll(
                () -> assertEquals("quickstart-nlb", nlb.name()),
                () -> assertEquals(PROVIDER, nlb.accountId()),
                () -> assertTrue(nlb.isNetwork()),
                () -> assertEquals(List.of("127.1.1.10", "127.1.2.10"),
                        nlb.nodes().stream().map(LoadBalancer.NlbNodeSpec::ipText).toList()),
                () -> assertEquals(List.of("use1-az1", "use1-az2"),
                        nlb.nodes().stream().map(LoadBalancer.NlbNodeSpec::zoneId).toList()),
                () -> assertEquals(List.of(8443), nlb.listenerPorts()),
                () -> assertEquals(List.of(LoadBalancer.TargetKind.PP2_INSPECT, LoadBalancer.TargetKind.ECHO),
                        nlb.targets().stream().map(LoadBalancer.Target::kind).toList()),
                () -> assertFalse(nlb.crossZone()),
                () -> assertEquals(LoadBalancer.ProxyProtocol.AWS, nlb.proxyProtocol()),
                () -> assertEquals(new LoadBalancer.HealthCheck(5000, 2000, 2, 2, 0), nlb.healthCheck()),
                () -> assertEquals(350, nlb.idleTimeoutSeconds()));

        LoadBalancer walkthrough = t.loadBalancers().values().stream()
                .filter(lb -> lb.name().equals("walkthrough-nlb")).findFirst().orElseThrow();
        assertTrue(walkthrough.arn().matches(
                "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/walkthrough-nlb/[0-9a-f]{16}"),
                walkthrough.arn());
        assertEquals(List.of(9443), walkthrough.listenerPorts());
        assertEquals(LoadBalancer.ProxyProtocol.OFF, walkthrough.proxyProtocol());
        assertEquals(LoadBalancer.HealthCheck.AWS_DEFAULT, walkthrough.healthCheck());
    }

    @Test
    void quickstartServiceRequiresAcceptanceAndAllowsTheConsumerRoot() {
        World w = load(QUICKSTART);
        List<ServiceConfiguration> services = w.controlPlane().services();
        assertEquals(1, services.size());
        ServiceConfiguration s = services.get(0);
        assertEquals(s.serviceId(), w.serviceIds().get("quickstart-service"));
        assertEquals(1, w.serviceIds().size());
        assertTrue(s.acceptanceRequired());
        assertEquals(PROVIDER, s.ownerId());
        assertEquals("com.amazonaws.vpce.us-east-1." + s.serviceId(), s.serviceName());
        assertEquals(List.of(QUICKSTART_NLB_ARN), s.networkLoadBalancerArns());
        assertEquals(Set.of("use1-az1", "use1-az2"), Set.copyOf(s.zoneIds()));
        assertEquals(List.of(Principal.root(CONSUMER)),
                w.controlPlane().permissions(s.serviceId()).stream().map(AllowedPrincipal::principal).toList());
    }

    @Test
    void quickstartSecondLoadBalancerIsBehindNoService() {
        World w = load(QUICKSTART);
        String walkthroughArn = w.topology().loadBalancers().values().stream()
                .filter(lb -> lb.name().equals("walkthrough-nlb")).findFirst().orElseThrow().arn();
        assertTrue(w.controlPlane().services().stream()
                .noneMatch(s -> s.networkLoadBalancerArns().contains(walkthroughArn)));
    }

    @Test
    void quickstartEndpointWaitsForAcceptanceWithAnInterfaceInEachSubnet() {
        World w = load(QUICKSTART);
        List<VpcEndpoint> endpoints = w.controlPlane().endpoints();
        assertEquals(1, endpoints.size());
        VpcEndpoint e = endpoints.get(0);
        assertEquals(e.vpcEndpointId(), w.endpointIds().get("consumer-endpoint"));
        assertEquals(EndpointState.PENDING_ACCEPTANCE, e.state());
        assertEquals(CONSUMER, e.ownerId());
        assertEquals(Principal.user(CONSUMER, "bob"), e.requester());
        assertEquals("vpc-0f9e8d7c6b5a40002", e.vpcId());
        assertEquals(w.serviceIds().get("quickstart-service"), e.serviceId());
        assertEquals(List.of("subnet-0f9e8d7c6b5a40021", "subnet-0f9e8d7c6b5a40022"), e.subnetIds());
        assertEquals(2, e.interfaces().size());
        for (EndpointInterface eni : e.interfaces()) {
            Subnet subnet = w.topology().subnets().get(eni.subnetId());
            int ip = Ipv4.parse(eni.privateIp()).orElseThrow(() -> new AssertionError(eni.privateIp()));
            assertTrue(subnet.cidr().contains(ip), eni.privateIp() + " is not inside " + subnet.cidr());
            assertEquals(subnet.zoneId(), eni.zoneId());
            assertEquals(subnet.zoneName(), eni.zoneName());
            assertEquals(QUICKSTART_NLB_ARN, eni.loadBalancerArn());
        }
        // The consumer's us-east-1a is the provider's us-east-1b: the same zone ID, use1-az2.
        assertEquals(List.of("use1-az2", "use1-az1"), e.interfaces().stream().map(EndpointInterface::zoneId).toList());
        assertEquals(2, Set.copyOf(e.interfaces().stream().map(EndpointInterface::privateIp).toList()).size());
    }

    @Test
    void quickstartHasOneNotificationOnTheService() {
        World w = load(QUICKSTART);
        List<ConnectionNotification> notes = w.controlPlane().notifications();
        assertEquals(1, notes.size());
        ConnectionNotification n = notes.get(0);
        assertEquals(w.serviceIds().get("quickstart-service"), n.serviceId());
        assertEquals(null, n.vpcEndpointId());
        assertEquals("arn:aws:sns:us-east-1:111122223333:quickstart-endpoint-events", n.topicArn());
        assertEquals(Set.of(ConnectionEvent.values()), n.events());
    }

    // ---------------------------------------------------------------- your-service.yaml

    @Test
    void yourServiceTargetsTheUsersPortsInTheTwoZones() {
        World w = load(YOUR_SERVICE);
        assertEquals(1, w.topology().loadBalancers().size());
        LoadBalancer lb = w.topology().loadBalancers().values().iterator().next();
        assertEquals("your-nlb", lb.name());
        assertEquals(2, lb.targets().size());
        LoadBalancer.Target a = lb.targets().get(0);
        LoadBalancer.Target b = lb.targets().get(1);
        assertAll(
                () -> assertEquals(LoadBalancer.TargetKind.ADDRESS, a.kind()),
                () -> assertEquals("127.0.0.1:9001", a.address()),
                () -> assertEquals("us-east-1a", a.zoneName()),
                () -> assertEquals("use1-az1", a.zoneId()),
                () -> assertEquals(LoadBalancer.TargetKind.ADDRESS, b.kind()),
                () -> assertEquals("127.0.0.1:9002", b.address()),
                () -> assertEquals("us-east-1b", b.zoneName()),
                () -> assertEquals("use1-az2", b.zoneId()),
                () -> assertEquals(List.of(443), lb.listenerPorts()),
                () -> assertEquals(LoadBalancer.ProxyProtocol.AWS, lb.proxyProtocol()),
                () -> assertEquals(new LoadBalancer.HealthCheck(2000, 1000, 2, 2, 0), lb.healthCheck()));
    }

    @Test
    void yourServiceEndpointIsAvailableAtOnce() {
        World w = load(YOUR_SERVICE);
        ServiceConfiguration s = w.controlPlane().services().get(0);
        assertFalse(s.acceptanceRequired());
        assertEquals(List.of(Principal.ALL),
                w.controlPlane().permissions(s.serviceId()).stream().map(AllowedPrincipal::principal).toList());
        List<VpcEndpoint> endpoints = w.controlPlane().endpoints();
        assertEquals(1, endpoints.size());
        VpcEndpoint e = endpoints.get(0);
        assertEquals(EndpointState.AVAILABLE, e.state());
        assertEquals(e.vpcEndpointId(), w.endpointIds().get("your-endpoint"));
        assertEquals(Principal.root(CONSUMER), e.requester());
        assertEquals(2, e.interfaces().size());
        for (EndpointInterface eni : e.interfaces()) {
            assertTrue(w.topology().subnets().get(eni.subnetId()).cidr()
                    .contains(Ipv4.parse(eni.privateIp()).orElseThrow()), eni.toString());
        }
        assertEquals(Simulation.DEFAULT, w.simulation());
    }

    // ---------------------------------------------------------------- the seed

    /** Everything generated about a world, as text, to compare two loads. */
    private static String generated(World w) {
        return w.serviceIds() + "\n" + w.endpointIds() + "\n"
                + w.controlPlane().services().stream().map(s -> s.serviceName() + " " + s.baseEndpointDnsNames())
                        .collect(Collectors.joining("\n")) + "\n"
                + w.controlPlane().endpoints().stream().map(e -> e.interfaces() + " " + e.dnsEntries())
                        .collect(Collectors.joining("\n")) + "\n"
                + w.controlPlane().notifications().stream().map(ConnectionNotification::connectionNotificationId)
                        .collect(Collectors.joining("\n")) + "\n"
                + w.topology().loadBalancers().keySet();
    }

    @Test
    void theSameFileGivesTheSameIds() {
        for (Path file : List.of(QUICKSTART, YOUR_SERVICE)) {
            World first = load(file);
            World second = load(file);
            assertEquals(generated(first), generated(second), file.toString());
        }
    }

    @Test
    void anotherSeedGivesOtherIds() throws Exception {
        String text = Files.readString(QUICKSTART);
        assertTrue(text.contains("seed: 42 "), "quickstart.yaml no longer sets seed: 42");
        World seeded42 = SimConfigLoader.load("quickstart-42.yaml", text);
        World seeded7 = SimConfigLoader.load("quickstart-7.yaml", text.replace("seed: 42 ", "seed: 7 "));
        assertEquals(generated(load(QUICKSTART)), generated(seeded42));
        assertNotEquals(seeded42.serviceIds(), seeded7.serviceIds());
        assertNotEquals(seeded42.endpointIds(), seeded7.endpointIds());
    }

    @Test
    void publicDnsRecordsAndTheVerificationDelay() throws SimConfigException {
        World w = SimConfigLoader.load("dns.yaml", """
                region: us-east-1
                simulation: {dnsVerificationDelaySeconds: 0.5}
                accounts:
                  - id: "111122223333"
                    zones: {us-east-1a: use1-az1}
                dns:
                  records:
                    - {name: _abc.API.example.test., type: TXT, value: "vpce:Abc"}
                    - {name: example.test, value: "v=spf1 -all"}
                """);
        assertEquals(java.time.Duration.ofMillis(500), w.simulation().dnsVerificationDelay());
        assertEquals(List.of("vpce:Abc"), w.controlPlane().txtRecord("_abc.api.example.test"));
        assertEquals(2, w.controlPlane().txtRecords().size());
    }
}
