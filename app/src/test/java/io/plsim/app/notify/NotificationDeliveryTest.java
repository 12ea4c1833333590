package io.plsim.app.notify;

import static io.plsim.app.api.ApiWorld.CONSUMER;
import static io.plsim.app.api.ApiWorld.CONSUMER_KEY;
import static io.plsim.app.api.ApiWorld.CONSUMER_ROOT_ARN;
import static io.plsim.app.api.ApiWorld.NLB_VPCE;
import static io.plsim.app.api.ApiWorld.PROVIDER;
import static io.plsim.app.api.ApiWorld.PROVIDER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.plsim.dataplane.Await;
import io.plsim.dataplane.LeakCheck;
import io.plsim.app.api.ApiWorld;
import io.plsim.dataplane.TestBlocks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * Connection notifications, end to end in 127.124.0.0/16: connection notifications created through
 * the EC2 API; the endpoint's transitions, made through the API too; and their delivery to an HTTP
 * subscriber (the JDK's HTTP server, answering as told) as SNS envelopes, to a JSON-lines file, and
 * to the in-memory log of {@code GET /admin/notifications}.
 */
@ExtendWith(LeakCheck.class)
class NotificationDeliveryTest {

    private static final int NET = TestBlocks.of(NotificationDeliveryTest.class);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final String TOPIC = "arn:aws:sns:us-east-1:" + PROVIDER + ":endpoint-events";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer subscriber;
    private ExecutorService subscriberThreads;
    /** What the subscriber answers: 200, or 500 while it is "down". */
    private final AtomicInteger answer = new AtomicInteger(200);
    /** Every POST, accepted or not, in arrival order. */
    private final List<Post> attempts = new CopyOnWriteArrayList<>();
    /** The POSTs answered 200, in arrival order. */
    private final List<Post> delivered = new CopyOnWriteArrayList<>();
    private ApiWorld w;
    private Path file;
    private HttpClient http;

    record Post(String messageType, String messageId, String topicArn, String body, int answered) {
        JsonNode envelope() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        subscriber = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        subscriberThreads = Executors.newFixedThreadPool(2);
        subscriber.setExecutor(subscriberThreads);
        subscriber.createContext("/sns", this::receive);
        subscriber.start();
        file = dir.resolve("notifications.jsonl");
        String topics = """
                topics:
                  - arn: %s
                    subscribers:
                      - http: http://127.0.0.1:%d/sns
                      - file: %s
                      - memory: true
                """.formatted(TOPIC, subscriber.getAddress().getPort(), file);
        w = ApiWorld.start(NET, topics, 20);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterEach
    void stop() {
        try {
            if (w != null) {
                w.close();
            }
        } finally {
            subscriber.stop(0);
            subscriberThreads.shutdownNow();
            try {
                subscriberThreads.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void receive(HttpExchange ex) throws IOException {
        try {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = "POST".equals(ex.getRequestMethod()) ? answer.get() : 405;
            Post p = new Post(ex.getRequestHeaders().getFirst("x-amz-sns-message-type"),
                    ex.getRequestHeaders().getFirst("x-amz-sns-message-id"),
                    ex.getRequestHeaders().getFirst("x-amz-sns-topic-arn"), body, status);
            attempts.add(p);
            if (status == 200) {
                delivered.add(p);
            }
            ex.sendResponseHeaders(status, -1);
        } finally {
            ex.close();
        }
    }

    // ---------------------------------------------------------------- driving the world through the API

    private String service(Ec2Client provider) {
        String sid = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(w.nlbArn(NLB_VPCE))
                .acceptanceRequired(true)).serviceConfiguration().serviceId();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(CONSUMER_ROOT_ARN));
        provider.createVpcEndpointConnectionNotification(r -> r.serviceId(sid).connectionNotificationArn(TOPIC)
                .connectionEvents("Connect", "Accept", "Reject", "Delete"));
        return sid;
    }

    /** Connect, Accept, Reject, Delete of one new endpoint; answers its ID. */
    private String lifeOfAnEndpoint(Ec2Client provider, Ec2Client consumer, String sid) {
        String eid = consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE)
                .vpcId(w.consumerVpc()).serviceName("com.amazonaws.vpce.us-east-1." + sid)
                .subnetIds(w.consumerSubnet("us-east-1a"))).vpcEndpoint().vpcEndpointId();
        assertEquals(List.of(), provider.acceptVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(eid))
                .unsuccessful());
        assertEquals(List.of(), provider.rejectVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(eid))
                .unsuccessful());
        assertEquals(List.of(), consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(eid)).unsuccessful());
        return eid;
    }

    private static final List<String> LIFE = List.of("Connect:pendingAcceptance", "Accept:available",
            "Reject:rejected", "Delete:deleted");

    /** Checks one SNS envelope and its Message; answers {@code eventType:vpcEndpointState}. */
    private static String checkEnvelope(JsonNode env, String sid, String eid) {
        assertEquals("Notification", env.path("Type").asText(), env::toString);
        assertFalse(env.path("MessageId").asText().isEmpty(), env::toString);
        assertEquals(TOPIC, env.path("TopicArn").asText());
        assertFalse(env.path("Subject").asText().isEmpty(), env::toString);
        Instant.parse(env.path("Timestamp").asText());
        JsonNode message;
        try {
            message = JSON.readTree(env.path("Message").asText());
        } catch (IOException e) {
            throw new AssertionError("the Message is not JSON: " + env, e);
        }
        assertEquals(sid, message.path("serviceId").asText(), message::toString);
        assertEquals(eid, message.path("vpcEndpointId").asText(), message::toString);
        assertEquals(CONSUMER, message.path("vpcEndpointOwner").asText(), message::toString);
        assertNotNull(Instant.parse(message.path("eventTime").asText()));
        return message.path("eventType").asText() + ":" + message.path("vpcEndpointState").asText();
    }

    private List<String> fileLines() {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(w.url() + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), res::body);
        return JSON.readTree(res.body());
    }

    private NotificationHub.SubscriberStats httpStats() {
        return w.hub().stats().stream().filter(s -> s.subscriber().startsWith("http ")).findFirst()
                .orElseThrow(() -> new AssertionError("no http subscriber in " + w.hub().stats()));
    }

    // ---------------------------------------------------------------- tests

    @Test
    void eachEventOnceInOrderThroughAnOutageToEverySubscriber() throws Exception {
        Ec2Client provider = w.client(PROVIDER_KEY);
        Ec2Client consumer = w.client(CONSUMER_KEY);
        String sid = service(provider);

        // ---- the subscriber up: Connect, Accept, Reject, Delete as SNS envelopes, once each, in order
        String first = lifeOfAnEndpoint(provider, consumer, sid);
        Await.until(DEADLINE, () -> delivered.size() >= 4, () -> "4 deliveries, got " + delivered);
        List<String> seen = new ArrayList<>();
        for (Post p : delivered) {
            assertEquals("Notification", p.messageType());
            assertEquals(TOPIC, p.topicArn());
            JsonNode env = p.envelope();
            assertEquals(p.messageId(), env.path("MessageId").asText(), "header and envelope agree");
            seen.add(checkEnvelope(env, sid, first));
        }
        assertEquals(LIFE, seen);
        assertEquals(4, attempts.size(), () -> "no retries while the subscriber answers 200: " + attempts);

        // ---- the subscriber down (500): the events of a second endpoint wait, retried in order
        answer.set(500);
        String second = lifeOfAnEndpoint(provider, consumer, sid);
        Await.until(DEADLINE, () -> attempts.size() >= 4 + 4, () -> "retries while down: " + attempts.size());
        assertEquals(4, delivered.size());
        String firstMissed = attempts.get(4).messageId();
        assertTrue(attempts.subList(4, attempts.size()).stream().allMatch(p -> p.messageId().equals(firstMissed)),
                "while down, only the oldest undelivered message is retried");
        // the subscriber counts a failure once the 500 is back in its hands, just after the server saw it
        Await.until(DEADLINE, () -> httpStats().failedAttempts() >= 4, () -> "failed attempts: " + httpStats());

        // ---- back up: the missed events arrive once each, in order
        answer.set(200);
        Await.until(DEADLINE, () -> delivered.size() >= 8, () -> "8 deliveries, got " + delivered.size());
        // and nothing more arrives: give the subscriber a moment to misbehave, bounded by its own counters
        Await.until(DEADLINE, () -> httpStats().delivered() == 8, () -> "delivered: " + httpStats());
        assertEquals(8, delivered.size(), () -> "each once: " + delivered);
        List<String> seenAfter = new ArrayList<>();
        for (Post p : delivered.subList(4, 8)) {
            seenAfter.add(checkEnvelope(p.envelope(), sid, second));
        }
        assertEquals(LIFE, seenAfter);
        List<String> ids = delivered.stream().map(Post::messageId).toList();
        assertEquals(8, new HashSet<>(ids).size(), "every MessageId once: " + ids);
        assertEquals(0, httpStats().dropped());

        // ---- the file subscriber: one JSON line per event, the same envelopes in the same order
        Await.until(DEADLINE, () -> fileLines().size() >= 8, () -> "file lines: " + fileLines());
        List<String> lines = fileLines();
        assertEquals(8, lines.size(), lines::toString);
        List<String> fileIds = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode env = JSON.readTree(lines.get(i));
            checkEnvelope(env, sid, i < 4 ? first : second);
            fileIds.add(env.path("MessageId").asText());
        }
        assertEquals(ids, fileIds);

        // ---- the in-memory log, at GET /admin/notifications (all topics, and by topic)
        JsonNode log = get("/admin/notifications");
        assertTrue(log.isArray(), log::toString);
        List<String> logIds = new ArrayList<>();
        log.forEach(e -> logIds.add(e.path("MessageId").asText()));
        assertEquals(ids, logIds);
        JsonNode byTopic = get("/admin/notifications?topic=" + TOPIC);
        assertEquals(8, byTopic.size());
        assertEquals(0, get("/admin/notifications?topic=arn:aws:sns:us-east-1:" + PROVIDER + ":other").size());

        // ---- and the counters, in /metrics
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(w.url() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().lines().anyMatch(l -> l.startsWith("plsim_notifications_delivered_total{")
                && l.contains("subscriber=\"http ") && l.endsWith(" 8")), metrics::body);
        assertTrue(metrics.body().lines().anyMatch(l -> l.startsWith("plsim_notifications_delivered_total{")
                && l.contains("subscriber=\"file ") && l.endsWith(" 8")), metrics::body);
    }

    @Test
    void aNotificationOnAnEndpointAndOnATopicNobodyDeclaredIsKeptInMemory() throws Exception {
        Ec2Client provider = w.client(PROVIDER_KEY);
        Ec2Client consumer = w.client(CONSUMER_KEY);
        String sid = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(w.nlbArn(NLB_VPCE))
                .acceptanceRequired(true)).serviceConfiguration().serviceId();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(CONSUMER_ROOT_ARN));
        String eid = consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE)
                .vpcId(w.consumerVpc()).serviceName("com.amazonaws.vpce.us-east-1." + sid)
                .subnetIds(w.consumerSubnet("us-east-1c"))).vpcEndpoint().vpcEndpointId();
        // the consumer's own notification, on its endpoint, to a topic the sim-config does not declare
        String consumerTopic = "arn:aws:sns:us-east-1:" + CONSUMER + ":my-endpoint";
        consumer.createVpcEndpointConnectionNotification(r -> r.vpcEndpointId(eid)
                .connectionNotificationArn(consumerTopic).connectionEvents("Accept", "Reject"));
        provider.acceptVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(eid));
        provider.rejectVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(eid));

        JsonNode log = get("/admin/notifications?topic=" + consumerTopic);
        List<String> events = new ArrayList<>();
        for (JsonNode env : log) {
            assertEquals(consumerTopic, env.path("TopicArn").asText());
            events.add(JSON.readTree(env.path("Message").asText()).path("eventType").asText());
        }
        assertEquals(List.of("Accept", "Reject"), events);
        // the declared topic got nothing: no notification on the service this time
        assertEquals(0, get("/admin/notifications?topic=" + TOPIC).size());
        assertEquals(List.of(), delivered);
    }
}
