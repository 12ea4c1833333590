package io.plsim.app.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.app.api.AllowedHosts;
import io.plsim.app.host.WorldHost;
import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.dataplane.EventLog;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DnsNameState;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.PrivateDnsNameConfiguration;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * The private DNS walk of {@code docs/private-dns.md} on a world served as {@code plsim run} serves it:
 * through the AWS SDK for Java v2, the admin API's public DNS, and {@code dig} against the public address
 * and each VPC's resolver (the VPC CIDR's base plus two). The consumer has two VPCs, each with an
 * endpoint with private DNS on, to a service of its own: each VPC's resolver answers its own service's
 * name with its endpoint's interface, and not the other's; and before the second VPC has one, its
 * resolver already listens and does not know the first's name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LeakCheck.class)
class PrivateDnsWalkTest {

    static final String PROVIDER_KEY = "AKIAPROVIDERROOT0001";
    static final String CONSUMER_KEY = "AKIACONSUMERROOT0001";
    static final String VPC_A = "vpc-0c0c0c0c0c0c0a210";
    static final String VPC_B = "vpc-0c0c0c0c0c0c0b210";
    static final String YAML = """
            region: us-east-1
            simulation: {seed: 210, dnsVerificationDelaySeconds: 0.2}
            accounts:
              - id: "111122223333"
                zones: {us-east-1a: use1-az1, us-east-1b: use1-az2}
                accessKeys: {AKIAPROVIDERROOT0001: root}
              - id: "444455556666"
                zones: {us-east-1a: use1-az1, us-east-1b: use1-az2}
                accessKeys: {AKIACONSUMERROOT0001: root}
            vpcs:
              - id: vpc-0c0c0c0c0c0c0p210
                account: "111122223333"
                cidr: 127.210.0.0/18
                subnets:
                  - {id: subnet-0c0c0c0c0c0p1210, zone: us-east-1a, cidr: 127.210.1.0/24}
                  - {id: subnet-0c0c0c0c0c0p2210, zone: us-east-1b, cidr: 127.210.2.0/24}
              - id: vpc-0c0c0c0c0c0c0a210
                account: "444455556666"
                cidr: 127.210.64.0/18
                subnets:
                  - {id: subnet-0c0c0c0c0c0a1210, zone: us-east-1a, cidr: 127.210.65.0/24}
              - id: vpc-0c0c0c0c0c0c0b210
                account: "444455556666"
                cidr: 127.210.128.0/18
                subnets:
                  - {id: subnet-0c0c0c0c0c0b1210, zone: us-east-1a, cidr: 127.210.129.0/24}
            loadBalancers:
            """ + nlb("nlb-api", 10, 8443) + nlb("nlb-other", 20, 9443) + nlb("nlb-wrong", 30, 10443);

    /** A load balancer of the provider with one node, 127.210.1.{@code host}, and a built-in echo target. */
    private static String nlb(String name, int host, int port) {
        return """
                  - name: %s
                    account: "111122223333"
                    nodes:
                      - {zone: us-east-1a, ip: 127.210.1.%d}
                    listeners: [%d]
                    targets:
                      - {zone: us-east-1a, builtin: echo}
                """.formatted(name, host, port);
    }


    private WorldHost host;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Ec2Client provider;
    private Ec2Client consumer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @BeforeAll
    void start() throws Exception {
        World world = SimConfigLoader.load("PrivateDnsWalkTest", YAML);
        host = WorldHost.start(world, new WorldHost.Options(Transport.best(), 1, 0, 0,
                new EventLog(Clock.systemUTC()), l -> { }, AllowedHosts.loopbackOnly()), WorldHost.Preparation.NONE);
        provider = client(PROVIDER_KEY);
        consumer = client(CONSUMER_KEY);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (host != null) {
            host.close();
        }
    }

    private Ec2Client client(String key) {
        var httpClient = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(10)).build();
        Ec2Client c = Ec2Client.builder().endpointOverride(URI.create(host.api().url())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, "secret")))
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.none())
                        .apiCallTimeout(Duration.ofSeconds(15)).build())
                .httpClient(httpClient).build();
        closing.add(c);
        closing.add(httpClient);
        return c;
    }

    private String nlbArn(String name) {
        return host.world().topology().loadBalancers().values().stream().filter(lb -> lb.name().equals(name))
                .findFirst().orElseThrow().arn();
    }

    private PrivateDnsNameConfiguration configuration(String sid) {
        return provider.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(sid)).serviceConfigurations()
                .get(0).privateDnsNameConfiguration();
    }

    /** The verification's state once it has left pendingVerification, within a deadline. */
    private DnsNameState settled(String sid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        DnsNameState s;
        while ((s = configuration(sid).state()) == DnsNameState.PENDING_VERIFICATION && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return s;
    }

    private HttpResponse<String> publish(String name, String value) throws Exception {
        String body = "{\"name\":\"" + name + "\",\"type\":\"TXT\",\"value\":\"" + value + "\"}";
        return http.send(HttpRequest.newBuilder(URI.create(host.api().url() + "/admin/dns/records"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A service of {@code nlb} named {@code dnsName}, verified through the admin API's public DNS. */
    private String verifiedService(String nlb, String dnsName) throws Exception {
        String sid = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlbArn(nlb))
                .acceptanceRequired(false).privateDnsName(dnsName)).serviceConfiguration().serviceId();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid)
                .addAllowedPrincipals("arn:aws:iam::444455556666:root"));
        PrivateDnsNameConfiguration c = configuration(sid);
        assertEquals(DnsNameState.PENDING_VERIFICATION, c.state());
        assertEquals("TXT", c.type());
        HttpResponse<String> published = publish(c.name() + "." + dnsName, c.value());
        assertEquals(201, published.statusCode(), published.body());
        provider.startVpcEndpointServicePrivateDnsVerification(r -> r.serviceId(sid));
        assertEquals(DnsNameState.VERIFIED, settled(sid));
        return sid;
    }

    private VpcEndpoint endpoint(String id) {
        return host.world().controlPlane().endpoints().stream().filter(e -> e.vpcEndpointId().equals(id))
                .findFirst().orElseThrow();
    }

    private List<String> ips(String endpointId) {
        return endpoint(endpointId).interfaces().stream().map(EndpointInterface::privateIp).sorted().toList();
    }

    @Test
    void theWalkOfTheDocs() throws Exception {
        Assumptions.assumeTrue(Dig.available(), "dig is not installed");
        String api = verifiedService("nlb-api", "api.example.test");
        String apiName = "com.amazonaws.vpce.us-east-1." + api;
        // public DNS holds the record the provider published, for anyone to dig
        PrivateDnsNameConfiguration c = configuration(api);
        assertEquals(List.of("\"" + c.value() + "\""), dig("127.0.0.1", "+short", "TXT", c.name() + ".api.example.test"));

        // the consumer's private DNS, in VPC A
        String a = consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE).vpcId(VPC_A)
                .serviceName(apiName).subnetIds("subnet-0c0c0c0c0c0a1210").privateDnsEnabled(true))
                .vpcEndpoint().vpcEndpointId();
        assertTrue(consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(a)).vpcEndpoints().get(0).privateDnsEnabled());
        assertEquals("127.210.64.2:" + host.dns().address().getPort(), host.privateZones().resolvers().get(VPC_A),
                "VPC A's resolver listens at its CIDR's base plus two once the call is answered");
        assertEquals(ips(a), dig("127.210.64.2", "+short", "api.example.test"));
        assertEquals(ips(a), dig("127.210.64.2", "+short", "+tcp", "API.Example.Test."));
        String regional = endpoint(a).regionalDnsName().orElseThrow();
        assertEquals(ips(a), dig("127.210.64.2", "+short", regional), "the regional name keeps working there");
        assertTrue(String.join("\n", dig("127.0.0.1", "api.example.test")).contains("status: REFUSED"),
                "the public address does not know the private name");
        assertTrue(String.join("\n", dig("127.210.128.2", "api.example.test")).contains("status: REFUSED"),
                "nor does another VPC's resolver, which listens too once private DNS is on");
        assertEquals(ips(a), dig("127.210.128.2", "+short", regional), "the regional name answers everywhere");

        // VPC B, with private DNS to another service: its resolver answers its own name, not VPC A's
        String other = verifiedService("nlb-other", "other.example.test");
        String b = consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE).vpcId(VPC_B)
                .serviceName("com.amazonaws.vpce.us-east-1." + other).subnetIds("subnet-0c0c0c0c0c0b1210")
                .privateDnsEnabled(true)).vpcEndpoint().vpcEndpointId();
        assertEquals(ips(b), dig("127.210.128.2", "+short", "other.example.test"));
        assertEquals(List.of(), dig("127.210.128.2", "+short", "api.example.test"));
        assertEquals(List.of(), dig("127.210.64.2", "+short", "other.example.test"));

        // private DNS off again: VPC A's resolver forgets the name
        consumer.modifyVpcEndpoint(r -> r.vpcEndpointId(a).privateDnsEnabled(false));
        assertEquals(List.of(), dig("127.210.64.2", "+short", "api.example.test"));

        List<String> log = host.events().recent(1000).stream().map(e -> e.kind() + " " + e.fields()).toList();
        assertTrue(log.stream().anyMatch(l -> l.startsWith("service-changed") && l.contains("verification=verified")
                && l.contains("privateDnsName=api.example.test")), () -> String.join("\n", log));
    }

    @Test
    void aWrongRecordFailsAndTheConsumerIsRefusedUntilVerified() throws Exception {
        String sid = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlbArn("nlb-wrong"))
                .privateDnsName("wrong.example.test")).serviceConfiguration().serviceId();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid)
                .addAllowedPrincipals("arn:aws:iam::444455556666:root"));
        Supplier<Ec2Exception> create = () -> org.junit.jupiter.api.Assertions.assertThrows(Ec2Exception.class,
                () -> consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE).vpcId(VPC_A)
                        .serviceName("com.amazonaws.vpce.us-east-1." + sid).subnetIds("subnet-0c0c0c0c0c0a1210")
                        .privateDnsEnabled(true)));
        Ec2Exception refused = create.get();
        assertEquals("InvalidParameter", refused.awsErrorDetails().errorCode());
        assertTrue(refused.awsErrorDetails().errorMessage().contains("is not verified"),
                refused.awsErrorDetails().errorMessage());
        assertEquals(201, publish(configuration(sid).name() + ".wrong.example.test", "vpce:not-the-value").statusCode());
        provider.startVpcEndpointServicePrivateDnsVerification(r -> r.serviceId(sid));
        assertEquals(DnsNameState.FAILED, settled(sid));
        assertEquals("InvalidParameter", create.get().awsErrorDetails().errorCode());
        provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(sid));
    }

    @Test
    void theAdminApiRefusesWhatIsNoTxtRecord() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(host.api().url() + "/admin/dns/records"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a..b\",\"value\":\"x\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("empty label"), r.body());
        r = http.send(HttpRequest.newBuilder(URI.create(host.api().url() + "/admin/dns/records"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a.b\",\"type\":\"A\",\"value\":\"x\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("expected TXT"), r.body());
    }

    private List<String> dig(String at, String... args) throws IOException, InterruptedException {
        return Dig.at(at, host.dns().address().getPort(), args);
    }
}
