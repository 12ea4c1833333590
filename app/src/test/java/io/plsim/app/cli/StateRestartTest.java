package io.plsim.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.app.api.ApiWorld;
import io.plsim.dataplane.TestBlocks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * {@code plsim run --state DIR} as a separate process, on the API world's addresses in 127.128.0.0/16:
 * killed with SIGKILL in the middle of a burst of API calls, it starts again with every change it had
 * answered, the same IDs, and interfaces that relay; a damaged state, or one of another sim-config, is
 * refused with a clear error naming the file; a line cut off by the kill is dropped and said; two whole
 * lines swapped are refused naming the line.
 */
class StateRestartTest {

    private static final int NET = TestBlocks.of(StateRestartTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** The walkthrough's load balancer of the API world, with its fixed ID. */
    private static final String NLB = "arn:aws:elasticloadbalancing:us-east-1:" + ApiWorld.PROVIDER
            + ":loadbalancer/net/" + ApiWorld.NLB_VPCE + "/e94221227f1ba532";

    @TempDir
    Path dir;

    private final PlsimProcesses processes = new PlsimProcesses();
    private final List<Ec2Client> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        clients.forEach(Ec2Client::close);
        processes.close();
    }

    private PlsimProcesses.Running start(Path config, Path state) throws Exception {
        return processes.start(args(config, state));
    }

    private Map.Entry<Integer, String> refused(Path config, Path state) throws Exception {
        return processes.exited(args(config, state));
    }

    private static String[] args(Path config, Path state) {
        return new String[] {"run", config.toString(), "--state", state.toString(), "--api-port", "0", "--dns-port",
            "0", "--grace", "0"};
    }

    private Ec2Client client(String url, String key) {
        Ec2Client c = Ec2Client.builder().endpointOverride(URI.create(url)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, "x")))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(10)).build())
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
        clients.add(c);
        return c;
    }

    private Path config() throws IOException {
        Path file = dir.resolve("world.yaml");
        Files.writeString(file, ApiWorld.yaml(NET, ""));
        return file;
    }

    private static String subnet(Ec2Client consumer, String zoneName) {
        return consumer.describeSubnets(r -> r.filters(Filter.builder().name("availability-zone").values(zoneName)
                .build())).subnets().get(0).subnetId();
    }

    private static String echo(String ip, int port, String line) throws IOException {
        try (Socket s = new Socket(ip, port)) {
            s.setSoTimeout(5000);
            new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println(line);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    /** A plsim run, and in it a service of the walkthrough's NLB the consumer connects to without acceptance. */
    private record OpenService(PlsimProcesses.Running plsim, Ec2Client consumer, String name, String vpc,
                               String subnet) {

        VpcEndpoint connect() {
            return consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE).vpcId(vpc)
                    .serviceName(name).subnetIds(subnet)).vpcEndpoint();
        }
    }

    private OpenService openService(Path config, Path state) throws Exception {
        PlsimProcesses.Running plsim = start(config, state);
        Ec2Client provider = client(plsim.url(), ApiWorld.PROVIDER_KEY);
        Ec2Client consumer = client(plsim.url(), ApiWorld.CONSUMER_KEY);
        String sid = provider.createVpcEndpointServiceConfiguration(r -> r.acceptanceRequired(false)
                .networkLoadBalancerArns(NLB)).serviceConfiguration().serviceId();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid)
                .addAllowedPrincipals(ApiWorld.CONSUMER_ROOT_ARN));
        return new OpenService(plsim, consumer, "com.amazonaws.vpce.us-east-1." + sid,
                consumer.describeVpcs(r -> { }).vpcs().get(0).vpcId(), subnet(consumer, "us-east-1a"));
    }

    @Test
    void killedInABurstOfCallsItStartsAgainWithEveryChangeItAnswered() throws Exception {
        Path config = config();
        Path state = dir.resolve("state");
        OpenService open = openService(config, state);
        PlsimProcesses.Running first = open.plsim();
        String serviceName = open.name();

        // The burst: endpoints created and tagged one after another; SIGKILL once 15 are answered.
        List<String> answered = Collections.synchronizedList(new ArrayList<>());
        Thread burst = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                try {
                    VpcEndpoint e = open.connect();
                    int n = i;
                    open.consumer().createTags(r -> r.resources(e.vpcEndpointId()).tags(Tag.builder().key("n")
                            .value(String.valueOf(n)).build()));
                    answered.add(e.vpcEndpointId());
                } catch (RuntimeException killed) {
                    return;
                }
            }
        }, "api-burst");
        burst.start();
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (answered.size() < 15 && burst.isAlive() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        first.process().destroyForcibly();
        assertTrue(first.process().waitFor(10, TimeUnit.SECONDS));
        burst.join(DEADLINE.toMillis());
        assertFalse(burst.isAlive());
        List<String> confirmed = List.copyOf(answered);
        assertTrue(confirmed.size() >= 15, "answered before the kill: " + confirmed.size());

        PlsimProcesses.Running second = start(config, state);
        assertTrue(second.out().stream().anyMatch(l -> l.startsWith("state ") && l.contains("changes replayed")),
                second.out()::toString);
        Ec2Client consumer2 = client(second.url(), ApiWorld.CONSUMER_KEY);
        List<VpcEndpoint> now = consumer2.describeVpcEndpoints(r -> r.filters(Filter.builder().name("service-name")
                .values(serviceName).build())).vpcEndpoints();
        Map<String, VpcEndpoint> byId = now.stream().collect(Collectors.toMap(VpcEndpoint::vpcEndpointId, e -> e));
        for (String id : confirmed) {
            VpcEndpoint e = byId.get(id);
            assertTrue(e != null, id + " was answered before the kill and must be there");
            assertEquals("available", e.stateAsString());
        }
        // At most the one call in flight at the kill is there beyond those answered.
        assertTrue(now.size() <= confirmed.size() + 1, now.size() + " endpoints for " + confirmed.size() + " answered");
        assertEquals(String.valueOf(confirmed.indexOf(confirmed.get(3))),
                byId.get(confirmed.get(3)).tags().get(0).value(), "tags survive");

        // The restored endpoints relay.
        String ip = consumer2.describeNetworkInterfaces(r -> r.networkInterfaceIds(
                byId.get(confirmed.get(0)).networkInterfaceIds())).networkInterfaces().get(0).privateIpAddress();
        assertEquals("again", echo(ip, ApiWorld.NLB_VPCE_PORT, "again"));

        // A change after the restart is kept too, and a new ID does not collide.
        VpcEndpoint later = new OpenService(second, consumer2, serviceName, open.vpc(), open.subnet()).connect();
        assertFalse(byId.containsKey(later.vpcEndpointId()));
        second.process().destroyForcibly();
        assertTrue(second.process().waitFor(10, TimeUnit.SECONDS));
        PlsimProcesses.Running third = start(config, state);
        assertEquals(now.size() + 1, client(third.url(), ApiWorld.CONSUMER_KEY).describeVpcEndpoints(r -> r.filters(
                Filter.builder().name("service-name").values(serviceName).build())).vpcEndpoints().size());
    }

    @Test
    void aDamagedStateOrOneOfAnotherSimConfigIsRefusedNamingTheFile() throws Exception {
        Path config = config();
        Path state = dir.resolve("state");
        PlsimProcesses.Running first = start(config, state);
        Ec2Client provider = client(first.url(), ApiWorld.PROVIDER_KEY);
        for (int i = 0; i < 2; i++) {
            String sid = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(NLB))
                    .serviceConfiguration().serviceId();
            provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(sid));
        }
        first.process().destroyForcibly();
        assertTrue(first.process().waitFor(10, TimeUnit.SECONDS));
        Path file = state.resolve("state.jsonl");
        List<String> lines = Files.readAllLines(file);
        assertEquals(1 + 1 + 4, lines.size(), "header, run, four changes: " + lines);

        // Another sim-config: refused, nothing written.
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, Files.readString(config) + "# edited\n");
        Map.Entry<Integer, String> wrongConfig = refused(other, state);
        assertEquals(2, wrongConfig.getKey(), wrongConfig.getValue());
        assertTrue(wrongConfig.getValue().contains(file + " was written for another sim-config"), wrongConfig.getValue());
        assertEquals(lines, Files.readAllLines(file));

        // A line cut off at its end (the kill came mid-write): dropped, said, and the rest replayed.
        Files.writeString(file, String.join("\n", lines) + "\n" + lines.get(2).substring(0, 40));
        PlsimProcesses.Running torn = start(config, state);
        assertTrue(torn.out().stream().anyMatch(l -> l.contains("line 7 was cut off")), torn.out()::toString);
        torn.process().destroyForcibly();
        assertTrue(torn.process().waitFor(10, TimeUnit.SECONDS));

        // A damaged line in the middle: the whole state is refused.
        List<String> damaged = new ArrayList<>(Files.readAllLines(file));
        damaged.set(3, damaged.get(3).replace("Action=", "Acti0n="));
        Files.write(file, damaged);
        Map.Entry<Integer, String> broken = refused(config, state);
        assertEquals(2, broken.getKey(), broken.getValue());
        assertTrue(broken.getValue().contains(file + " line 4 is damaged"), broken.getValue());
        assertFalse(broken.getValue().contains("Exception"), broken.getValue());
    }

    @Test
    void twoLinesSwappedAreRefusedNamingTheLine() throws Exception {
        Path config = config();
        Path state = dir.resolve("state");
        OpenService open = openService(config, state);
        String endpoint = open.connect().vpcEndpointId();
        for (String value : List.of("7008", "7011")) {
            open.consumer().createTags(r -> r.resources(endpoint).tags(Tag.builder().key("n").value(value).build()));
        }
        open.plsim().process().destroyForcibly();
        assertTrue(open.plsim().process().waitFor(10, TimeUnit.SECONDS));

        // The two tags swapped: each line passes its CRC, and replayed so the endpoint would say 7008.
        Path file = state.resolve("state.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        assertEquals(1 + 1 + 5, lines.size(), "header, run, five changes: " + lines);
        assertTrue(lines.get(6).contains("Tag.1.Value=7011"), lines.get(6));
        Collections.swap(lines, 5, 6);
        Files.write(file, lines);
        Map.Entry<Integer, String> swapped = refused(config, state);
        assertEquals(2, swapped.getKey(), swapped.getValue());
        assertTrue(swapped.getValue().contains(file + " line 6 is out of place: it was written as line 7"),
                swapped.getValue());
        assertEquals(1, swapped.getValue().lines().filter(l -> l.startsWith("plsim run:")).count(),
                swapped.getValue());
        assertFalse(swapped.getValue().contains("Exception") || swapped.getValue().contains("\tat "),
                swapped.getValue());
        assertEquals(lines, Files.readAllLines(file), "a refused state is left as it was");
    }
}
