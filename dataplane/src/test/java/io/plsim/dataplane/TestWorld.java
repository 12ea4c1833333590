package io.plsim.dataplane;

import io.plsim.core.config.World;
import io.plsim.core.control.Caller;
import io.plsim.core.model.Principal;

/**
 * Builds the worlds of the data-plane tests, and of the app tests that want one ready endpoint
 * rather than the API's world: a provider (111122223333) with one NLB {@code test-nlb}, a node in
 * each of its two zones, behind one service {@code test-service}; a consumer (444455556666) with
 * one interface endpoint {@code test-endpoint} in both of its zones. The zones are crossed as in
 * the AWS documentation: the consumer's us-east-1a is use1-az2, the provider's us-east-1b.
 *
 * <p>The YAML is {@link WorldYaml}'s, with two zones. Every address lives in
 * {@code 127.<octet>.0.0/16}, N in 140-199, each test class's from {@link TestBlocks}, so worlds never collide:
 * <pre>
 *   provider subnet us-east-1a (use1-az1) 127.N.1.0/24    NLB node 127.N.1.10
 *   provider subnet us-east-1b (use1-az2) 127.N.2.0/24    NLB node 127.N.2.10
 *   consumer subnet us-east-1a (use1-az2) 127.N.129.0/24  endpoint interface 127.N.129.x
 *   consumer subnet us-east-1b (use1-az1) 127.N.130.0/24  endpoint interface 127.N.130.x
 * </pre>
 * Targets default to 127.0.0.1 (built-in ones on a free port).
 */
public final class TestWorld {

    public static final String PROVIDER_ACCOUNT = WorldYaml.PROVIDER_ACCOUNT;
    public static final String CONSUMER_ACCOUNT = WorldYaml.CONSUMER_ACCOUNT;
    public static final Caller PROVIDER = new Caller(Principal.root(PROVIDER_ACCOUNT), "us-east-1");
    public static final Caller CONSUMER = new Caller(Principal.root(CONSUMER_ACCOUNT), "us-east-1");
    /** The NLB's one TCP listener port, on every endpoint interface. */
    public static final int LISTENER_PORT = 7443;
    public static final String NLB = "test-nlb";
    /** Zone IDs; the consumer's us-east-1a is AZ2, its us-east-1b is AZ1. */
    public static final String AZ1 = "use1-az1";
    public static final String AZ2 = "use1-az2";

    private final int octet;
    private String admission = "reset";
    private boolean acceptanceRequired;
    private String appended = "";
    private final WorldYaml.Nlb nlb = WorldYaml.Nlb.named(NLB).node("us-east-1a", 10).node("us-east-1b", 10)
            .listener(LISTENER_PORT).crossZone(false).proxyProtocol("{v2: true, crc32c: true}");

    private TestWorld(int octet) {
        // 127.120-127.139 are the API tests' (ApiWorld); which class has which block is TestBlocks'.
        if (octet < 140 || octet > 199) {
            throw new IllegalArgumentException("data-plane tests use 127.140-127.199, found " + octet);
        }
        this.octet = octet;
    }

    /** A world in {@code 127.<octet>.0.0/16}. */
    public static TestWorld in(int octet) {
        return new TestWorld(octet);
    }

    public TestWorld admission(String resetOrBlackhole) {
        this.admission = resetOrBlackhole;
        return this;
    }

    public TestWorld acceptanceRequired(boolean required) {
        this.acceptanceRequired = required;
        return this;
    }

    public TestWorld crossZone(boolean on) {
        nlb.crossZone(on);
        return this;
    }

    /** The {@code proxyProtocol} value as YAML, e.g. {@code false} or {@code {v2: true, crc32c: false}}. */
    public TestWorld proxyProtocol(String yaml) {
        nlb.proxyProtocol(yaml);
        return this;
    }

    /** The {@code healthCheck} value as YAML flow mapping. */
    public TestWorld healthCheck(String yaml) {
        nlb.healthCheck(yaml);
        return this;
    }

    public TestWorld idleTimeoutSeconds(int seconds) {
        nlb.idleTimeoutSeconds(seconds);
        return this;
    }

    /** Adds a target in the provider's zone, e.g. {@code target("us-east-1a", "builtin: echo")}. */
    public TestWorld target(String providerZoneName, String what) {
        nlb.target(providerZoneName, what);
        return this;
    }

    /** Adds an address target on 127.0.0.1. */
    public TestWorld targetAt(String providerZoneName, int port) {
        return target(providerZoneName, "address: \"127.0.0.1:" + port + "\"");
    }

    /** YAML to append at the top level, e.g. a {@code scenario:}. */
    public TestWorld append(String yaml) {
        this.appended = yaml;
        return this;
    }

    private WorldYaml plan() {
        return WorldYaml.in(octet).seed(1000 + octet).admission(admission).nlb(nlb)
                .service("test-service", acceptanceRequired, NLB).endpoint("test-endpoint", "us-east-1a", "us-east-1b").append(appended);
    }

    public String yaml() {
        return plan().yaml();
    }

    public World load() {
        return plan().load("TestWorld 127." + octet);
    }

    /** Loads the world and starts its data plane on the best transport with two I/O threads. */
    public DataPlane start() throws DataPlaneException {
        return start(Transport.best());
    }

    public DataPlane start(Transport transport) throws DataPlaneException {
        return DataPlane.start(load(), transport, 2, l -> { });
    }

    /** Starts the data plane with the flows' idle timeouts on {@code ticker}, for tests that move its time. */
    DataPlane start(Ticker ticker) throws DataPlaneException {
        return DataPlane.start(load(), Transport.best(), 2, l -> { }, new EventLog(java.time.Clock.systemUTC()), ticker);
    }

    // ---------------------------------------------------------------- reading a running world

    /** The one endpoint's ID. */
    public static String endpointId(DataPlane dp) {
        return dp.world().endpointIds().get("test-endpoint");
    }

    public static String serviceId(DataPlane dp) {
        return dp.world().serviceIds().get("test-service");
    }

    /** The endpoint's listener in a zone, by zone ID. */
    public static InterfaceListener listenerIn(DataPlane dp, String zoneId) {
        return dp.listeners(endpointId(dp)).stream().filter(l -> l.zoneId().equals(zoneId)).findFirst()
                .orElseThrow(() -> new AssertionError("no listener in " + zoneId + ": " + dp.listeners()));
    }

    /** The NLB node's IP in a zone, by zone ID. */
    public String nodeIp(String zoneId) {
        return plan().nodeIp(zoneId.equals(AZ1) ? "us-east-1a" : "us-east-1b", 10);
    }

    /** The consumer's VPC. */
    public String consumerVpc() {
        return plan().consumerVpc();
    }

    /** The consumer's subnet in its zone us-east-1a (use1-az2) or us-east-1b (use1-az1). */
    public String consumerSubnet(String consumerZoneName) {
        return plan().consumerSubnet(consumerZoneName);
    }

    /** The zone ID of a target, by its address as {@link DataPlane#targets()} and pp2-inspect name it. */
    public static String zoneOfTarget(DataPlane dp, String address) {
        return dp.targets().stream().filter(t -> t.address().equals(address)).map(TargetView::zoneId)
                .findFirst().orElseThrow(() -> new AssertionError("no target " + address + " in " + dp.targets()));
    }

    /** Whether every node sees the target at {@code address} as {@code health}. */
    public static boolean healthIs(DataPlane dp, String address, TargetHealth health) {
        return dp.targets().stream().filter(t -> t.address().equals(address))
                .allMatch(t -> t.healthByNodeZoneId().values().stream().allMatch(h -> h == health));
    }

    /** Waits until every node sees every target healthy. */
    public static void awaitHealthy(DataPlane dp) throws InterruptedException {
        if (!dp.awaitHealthy(NLB, java.time.Duration.ofSeconds(10))) {
            throw new AssertionError("targets not healthy within 10 s: " + dp.targets());
        }
    }
}
