package io.plsim.app.api;

import io.plsim.core.api.Ec2Api;
import io.plsim.core.config.SimConfigException;
import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.model.LoadBalancer;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.DataPlaneException;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.Transport;
import io.plsim.app.notify.NotificationHub;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A running plsim for the API tests, wired as {@code plsim run} wires it: a world loaded from YAML,
 * its notification hub (fed the startup events, then listening), its data plane, and the API server
 * on 127.0.0.1 at a free port. Plus AWS SDK clients signed with the world's access keys.
 *
 * <p>The world lives in {@code 127.<octet>.0.0/16} (the API tests use 127.120-127.139, one octet per
 * class). Three zones, named differently by the two accounts, as the AWS documentation warns:
 * <pre>
 *   zone ID    provider 111122223333   consumer 444455556666
 *   use1-az1   us-east-1a              us-east-1c
 *   use1-az2   us-east-1b              us-east-1a
 *   use1-az3   us-east-1c              us-east-1b
 * </pre>
 * Three NLBs of the provider, behind no service (the tests create services through the API):
 * {@code nlb-vpce} (port 8443, the guide's ID e94221227f1ba532) and {@code nlb-two} (port 9443),
 * each with a node and a built-in echo target in use1-az1 and use1-az2 only, and {@code nlb-three}
 * (port 10443) in use1-az1 only. The consumer's VPC has a
 * subnet in each of its three zones and a second one in its us-east-1a.
 */
public final class ApiWorld implements AutoCloseable {

    public static final String PROVIDER = "111122223333";
    public static final String CONSUMER = "444455556666";
    public static final String PROVIDER_KEY = "AKIAPROVIDERROOT0001";
    public static final String ALICE_KEY = "AKIAPROVIDERALICE001";
    public static final String CONSUMER_KEY = "AKIACONSUMERROOT0001";
    public static final String BOB_KEY = "AKIACONSUMERBOB00001";
    public static final String CONSUMER_ROOT_ARN = "arn:aws:iam::" + CONSUMER + ":root";
    public static final String NLB_VPCE = "nlb-vpce";
    public static final String NLB_TWO = "nlb-two";
    public static final int NLB_VPCE_PORT = 8443;
    public static final int NLB_TWO_PORT = 9443;
    public static final String NLB_THREE = "nlb-three";
    public static final int NLB_THREE_PORT = 10443;

    private final int octet;
    private final World world;
    private final NotificationHub hub;
    private final DataPlane dp;
    private final ApiServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    private ApiWorld(int octet, World world, NotificationHub hub, DataPlane dp, ApiServer server) {
        this.octet = octet;
        this.world = world;
        this.hub = hub;
        this.dp = dp;
        this.server = server;
    }

    /** The sim-config of the world in {@code 127.<octet>.0.0/16}, with {@code topicsYaml} appended (may be empty). */
    public static String yaml(int octet, String topicsYaml) {
        if (octet < 120 || octet > 139) {
            throw new IllegalArgumentException("API tests use 127.120-127.139, found " + octet);
        }
        return """
                region: us-east-1
                simulation: {seed: %1$d, admission: reset}
                accounts:
                  - id: "111122223333"
                    name: provider
                    users: [alice]
                    zones: {us-east-1a: use1-az1, us-east-1b: use1-az2, us-east-1c: use1-az3}
                    accessKeys: {AKIAPROVIDERROOT0001: root, AKIAPROVIDERALICE001: user/alice}
                  - id: "444455556666"
                    name: consumer
                    users: [bob]
                    zones: {us-east-1a: use1-az2, us-east-1b: use1-az3, us-east-1c: use1-az1}
                    accessKeys: {AKIACONSUMERROOT0001: root, AKIACONSUMERBOB00001: user/bob}
                vpcs:
                  - id: vpc-0a0a0a0a0a0a0%2$d
                    account: "111122223333"
                    cidr: 127.%2$d.0.0/17
                    subnets:
                      - {id: subnet-0a0a0a0a0a0a1%2$d, zone: us-east-1a, cidr: 127.%2$d.1.0/24}
                      - {id: subnet-0a0a0a0a0a0a2%2$d, zone: us-east-1b, cidr: 127.%2$d.2.0/24}
                  - id: vpc-0b0b0b0b0b0b0%2$d
                    account: "444455556666"
                    cidr: 127.%2$d.128.0/17
                    subnets:
                      - {id: subnet-0b0b0b0b0b0b1%2$d, zone: us-east-1a, cidr: 127.%2$d.129.0/24}
                      - {id: subnet-0b0b0b0b0b0b2%2$d, zone: us-east-1b, cidr: 127.%2$d.130.0/24}
                      - {id: subnet-0b0b0b0b0b0b3%2$d, zone: us-east-1c, cidr: 127.%2$d.131.0/24}
                      - {id: subnet-0b0b0b0b0b0b4%2$d, zone: us-east-1a, cidr: 127.%2$d.132.0/24}
                loadBalancers:
                  - name: nlb-vpce
                    account: "111122223333"
                    id: e94221227f1ba532
                    nodes:
                      - {zone: us-east-1a, ip: 127.%2$d.1.10}
                      - {zone: us-east-1b, ip: 127.%2$d.2.10}
                    listeners: [%3$d]
                    targets:
                      - {zone: us-east-1a, builtin: echo}
                      - {zone: us-east-1b, builtin: echo}
                    healthCheck: {intervalSeconds: 0.1, timeoutSeconds: 0.1, healthyThreshold: 2, unhealthyThreshold: 2}
                  - name: nlb-two
                    account: "111122223333"
                    nodes:
                      - {zone: us-east-1a, ip: 127.%2$d.1.20}
                      - {zone: us-east-1b, ip: 127.%2$d.2.20}
                    listeners: [%4$d]
                    targets:
                      - {zone: us-east-1a, builtin: echo}
                      - {zone: us-east-1b, builtin: echo}
                    healthCheck: {intervalSeconds: 0.1, timeoutSeconds: 0.1, healthyThreshold: 2, unhealthyThreshold: 2}
                  - name: nlb-three
                    account: "111122223333"
                    nodes:
                      - {zone: us-east-1a, ip: 127.%2$d.1.30}
                    listeners: [%6$d]
                    targets:
                      - {zone: us-east-1a, builtin: echo}
                    healthCheck: {intervalSeconds: 0.1, timeoutSeconds: 0.1, healthyThreshold: 2, unhealthyThreshold: 2}
                %5$s
                """.formatted(2000 + octet, octet, NLB_VPCE_PORT, NLB_TWO_PORT, topicsYaml, NLB_THREE_PORT);
    }

    public static ApiWorld start(int octet) throws DataPlaneException {
        return start(octet, "", 20);
    }

    /**
     * Loads the world and starts hub, data plane and API server as {@code plsim run} does.
     *
     * @param initialBackoffMillis the hub's first retry delay
     */
    public static ApiWorld start(int octet, String topicsYaml, long initialBackoffMillis) throws DataPlaneException {
        String yaml = yaml(octet, topicsYaml);
        World world;
        try {
            world = SimConfigLoader.load("ApiWorld 127." + octet, yaml);
        } catch (SimConfigException e) {
            throw new AssertionError("API test world does not load:\n" + e.getMessage() + "\n" + yaml, e);
        }
        NotificationHub hub = new NotificationHub(world.topics(), initialBackoffMillis);
        world.startupEvents().forEach(hub::onEvent);
        world.controlPlane().addListener(hub);
        DataPlane dp;
        try {
            dp = DataPlane.start(world, Transport.best(), 2, l -> { });
        } catch (DataPlaneException | RuntimeException e) {
            hub.close();
            throw e;
        }
        ApiServer server;
        try {
            server = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(),
                    new Ec2Api(world.controlPlane()), new WorldRoutes(dp, hub));
        } catch (RuntimeException e) {
            dp.close(Duration.ZERO);
            hub.close();
            throw e;
        }
        return new ApiWorld(octet, world, hub, dp, server);
    }

    public World world() {
        return world;
    }

    public ControlPlane cp() {
        return world.controlPlane();
    }

    public DataPlane dp() {
        return dp;
    }

    public NotificationHub hub() {
        return hub;
    }

    public ApiServer server() {
        return server;
    }

    public String url() {
        return server.url();
    }

    /** An SDK client signed with {@code accessKeyId}, without retries, closed with the world. */
    public Ec2Client client(String accessKeyId) {
        return client(accessKeyId, UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(10))
                .build());
    }

    /** An SDK client over the given HTTP client (closed with the world), without retries. */
    public Ec2Client client(String accessKeyId, SdkHttpClient http) {
        Ec2Client c = Ec2Client.builder()
                .endpointOverride(URI.create(url()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "x")))
                .httpClient(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(DefaultRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(15))
                        .build())
                .build();
        synchronized (clients) {
            clients.add(c);
            clients.add(http);
        }
        return c;
    }

    public String nlbArn(String name) {
        return world.topology().loadBalancers().values().stream().filter(lb -> lb.name().equals(name))
                .map(LoadBalancer::arn).findFirst().orElseThrow(() -> new AssertionError("no NLB " + name));
    }

    public String providerVpc() {
        return "vpc-0a0a0a0a0a0a0" + octet;
    }

    public String consumerVpc() {
        return "vpc-0b0b0b0b0b0b0" + octet;
    }

    /** The consumer's subnet in its zone us-east-1a (use1-az2), us-east-1b (use1-az3) or us-east-1c (use1-az1). */
    public String consumerSubnet(String consumerZoneName) {
        int i = switch (consumerZoneName) {
            case "us-east-1a" -> 1;
            case "us-east-1b" -> 2;
            case "us-east-1c" -> 3;
            default -> throw new IllegalArgumentException(consumerZoneName);
        };
        return "subnet-0b0b0b0b0b0b" + i + octet;
    }

    /** A second subnet of the consumer in its us-east-1a. */
    public String consumerSecondSubnetA() {
        return "subnet-0b0b0b0b0b0b4" + octet;
    }

    /** The interface listeners of an endpoint, once the data plane has opened them. */
    public List<InterfaceListener> listeners(String endpointId) {
        return dp.listeners(endpointId);
    }

    /** Waits until every node of {@code nlb} sees every target healthy. */
    public void awaitHealthy(String nlb) throws InterruptedException {
        if (!dp.awaitHealthy(nlb, Duration.ofSeconds(10))) {
            throw new AssertionError("targets of " + nlb + " not healthy within 10 s: " + dp.targets());
        }
    }

    @Override
    public void close() {
        synchronized (clients) {
            for (AutoCloseable c : clients) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing what the test is done with
                }
            }
            clients.clear();
        }
        try {
            server.close();
        } finally {
            try {
                dp.close(Duration.ZERO);
            } finally {
                hub.close();
            }
        }
    }
}
