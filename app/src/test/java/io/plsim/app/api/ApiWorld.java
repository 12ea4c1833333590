package io.plsim.app.api;

import io.plsim.core.api.QueryApi;
import io.plsim.core.config.World;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.model.LoadBalancer;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.DataPlaneException;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.Transport;
import io.plsim.dataplane.WorldYaml;
import io.plsim.dataplane.WorldYaml.Account;
import io.plsim.dataplane.WorldYaml.Nlb;
import io.plsim.app.notify.NotificationHub;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * A running plsim for the API tests, wired as {@code plsim run} wires it: a world loaded from YAML,
 * its notification hub (fed the startup events, then listening), its data plane, and the API server
 * on 127.0.0.1 at a free port. Plus AWS SDK clients signed with the world's access keys.
 *
 * <p>The world is {@link WorldYaml}'s address plan in {@code 127.<octet>.0.0/16} (the API tests use
 * 127.120-127.139, one octet per class), with IAM users alice (provider) and bob (consumer) and an
 * access key for each user and root. The server answers the console's routes too, as {@code plsim run}'s does. Three zones, named differently by the two accounts, as the AWS
 * documentation warns:
 * <pre>
 *   zone ID    provider 111122223333   consumer 444455556666
 *   use1-az1   us-east-1a              us-east-1c
 *   use1-az2   us-east-1b              us-east-1a
 *   use1-az3   us-east-1c              us-east-1b
 * </pre>
 * Three NLBs of the provider, behind no service (the tests create services through the API):
 * {@code nlb-vpce} (port 8443, the guide's ID e94221227f1ba532) and {@code nlb-two} (port 9443),
 * each with a node and a built-in echo target in use1-az1 and use1-az2 only, and {@code nlb-three}
 * (port 10443) in use1-az1 only; their nodes are 127.N.&lt;1|2&gt;.10, .20 and .30. The consumer's
 * VPC has a subnet in each of its three zones and a second one in its us-east-1a.
 */
public final class ApiWorld implements AutoCloseable {

    public static final String PROVIDER = WorldYaml.PROVIDER_ACCOUNT;
    public static final String CONSUMER = WorldYaml.CONSUMER_ACCOUNT;
    public static final String PROVIDER_KEY = "AKIAPROVIDERROOT0001";
    public static final String ALICE_KEY = "AKIAPROVIDERALICE001";
    public static final String CONSUMER_KEY = "AKIACONSUMERROOT0001";
    public static final String BOB_KEY = "AKIACONSUMERBOB00001";
    public static final String CONSUMER_ROOT_ARN = WorldYaml.CONSUMER_ROOT_ARN;
    public static final String NLB_VPCE = "nlb-vpce";
    public static final String NLB_TWO = "nlb-two";
    public static final int NLB_VPCE_PORT = 8443;
    public static final int NLB_TWO_PORT = 9443;
    public static final String NLB_THREE = "nlb-three";
    public static final int NLB_THREE_PORT = 10443;

    private final WorldYaml plan;
    private final World world;
    private final NotificationHub hub;
    private final DataPlane dp;
    private final ApiServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    private ApiWorld(WorldYaml plan, World world, NotificationHub hub, DataPlane dp, ApiServer server) {
        this.plan = plan;
        this.world = world;
        this.hub = hub;
        this.dp = dp;
        this.server = server;
    }

    /** The sim-config of the world in {@code 127.<octet>.0.0/16}, with {@code topicsYaml} appended (may be empty). */
    public static String yaml(int octet, String topicsYaml) {
        return plan(octet, topicsYaml).yaml();
    }

    private static WorldYaml plan(int octet, String topicsYaml) {
        if (octet < 120 || octet > 139) {
            throw new IllegalArgumentException("API tests use 127.120-127.139, found " + octet);
        }
        return WorldYaml.in(octet).seed(2000 + octet).zones(3)
                .provider(Account.named("provider").users("alice")
                        .accessKey(PROVIDER_KEY, "root").accessKey(ALICE_KEY, "user/alice"))
                .consumer(Account.named("consumer").users("bob")
                        .accessKey(CONSUMER_KEY, "root").accessKey(BOB_KEY, "user/bob"))
                .withSecondConsumerSubnet()
                // The user guide's walkthrough shows this ID; the API tests expect it in ARNs and names.
                .nlb(echoNlb(NLB_VPCE, NLB_VPCE_PORT, 10, "us-east-1a", "us-east-1b").id("e94221227f1ba532"))
                .nlb(echoNlb(NLB_TWO, NLB_TWO_PORT, 20, "us-east-1a", "us-east-1b"))
                .nlb(echoNlb(NLB_THREE, NLB_THREE_PORT, 30, "us-east-1a"))
                .append(topicsYaml);
    }

    /** An NLB with a node at {@code 127.N.<subnet>.<host>} and a built-in echo target in each zone. */
    private static Nlb echoNlb(String name, int port, int host, String... providerZoneNames) {
        Nlb nlb = Nlb.named(name).listener(port);
        for (String zone : providerZoneNames) {
            nlb.node(zone, host).target(zone, "builtin: echo");
        }
        return nlb;
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
        WorldYaml plan = plan(octet, topicsYaml);
        World world = plan.load("ApiWorld 127." + octet);
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
                    new QueryApi(world), HttpRoutes.inTurn(new io.plsim.app.console.ConsoleRoutes(dp),
                            new AdminRoutes(dp, hub)));
        } catch (RuntimeException e) {
            dp.close(Duration.ZERO);
            hub.close();
            throw e;
        }
        return new ApiWorld(plan, world, hub, dp, server);
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
        return track(configured(Ec2Client.builder(), accessKeyId, http).build(), http);
    }

    /** An ELBv2 SDK client signed with {@code accessKeyId}, without retries, closed with the world. */
    public ElasticLoadBalancingV2Client elb(String accessKeyId) {
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
        return track(configured(ElasticLoadBalancingV2Client.builder(), accessKeyId, http).build(), http);
    }

    /** This world's endpoint, region and credentials, no retries, a 15 s call timeout. */
    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configured(B builder, String accessKeyId,
            SdkHttpClient http) {
        return builder.endpointOverride(URI.create(url()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "x")))
                .httpClient(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(DefaultRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(15))
                        .build());
    }

    private <C extends AutoCloseable> C track(C client, SdkHttpClient http) {
        synchronized (clients) {
            clients.add(client);
            clients.add(http);
        }
        return client;
    }

    public String nlbArn(String name) {
        return world.topology().loadBalancers().values().stream().filter(lb -> lb.name().equals(name))
                .map(LoadBalancer::arn).findFirst().orElseThrow(() -> new AssertionError("no NLB " + name));
    }

    public String providerVpc() {
        return plan.providerVpc();
    }

    public String consumerVpc() {
        return plan.consumerVpc();
    }

    /** The consumer's subnet in its zone us-east-1a (use1-az2), us-east-1b (use1-az3) or us-east-1c (use1-az1). */
    public String consumerSubnet(String consumerZoneName) {
        return plan.consumerSubnet(consumerZoneName);
    }

    /** A second subnet of the consumer in its us-east-1a. */
    public String consumerSecondSubnetA() {
        return plan.secondConsumerSubnet();
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
