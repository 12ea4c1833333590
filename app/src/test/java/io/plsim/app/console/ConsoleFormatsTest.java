package io.plsim.app.console;

import static io.plsim.app.api.ApiWorld.CONSUMER;
import static io.plsim.app.api.ApiWorld.CONSUMER_KEY;
import static io.plsim.app.api.ApiWorld.CONSUMER_ROOT_ARN;
import static io.plsim.app.api.ApiWorld.NLB_VPCE;
import static io.plsim.app.api.ApiWorld.PROVIDER;
import static io.plsim.app.api.ApiWorld.PROVIDER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.app.api.ApiWorld;
import io.plsim.core.model.Fault;
import io.plsim.dataplane.Await;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * What the console says and how, in a real headless Chromium against a world in 127.133.0.0/16: states
 * in one spelling for endpoints and services (the API's on hover), times local to the second, a fault
 * in plain words with what it does to a round trip; forms that say what is wrong in the order they
 * read, verify a service name, show an NLB in use and a topic plsim only logs; lists that search and
 * page; a live view whose zone totals and sparklines outlast a deleted endpoint and a page change.
 */
@ExtendWith(LeakCheck.class)
@Timeout(180)
class ConsoleFormatsTest {

    private static final int NET = TestBlocks.of(ConsoleFormatsTest.class);
    /** A moment as the page shows it: local, to the second, nothing after. */
    private static final String LOCAL_SECOND = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d";

    private ApiWorld w;
    private ConsoleBrowser b;

    @BeforeEach
    void start() throws Exception {
        ConsoleBrowser.assumeInstalled("ConsoleFormatsTest");
        w = ApiWorld.start(NET);
        b = ConsoleBrowser.start("ConsoleFormatsTest");
        b.viewport(1024, 768);
    }

    @AfterEach
    void stop() throws Exception {
        ConsoleBrowser.closeAll(b, w);
    }

    /** A service that allows the consumer, with acceptance required; its ID. */
    private String service(boolean acceptanceRequired) {
        Ec2Client provider = w.client(PROVIDER_KEY);
        String sid = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(w.nlbArn(NLB_VPCE))
                .acceptanceRequired(acceptanceRequired)).serviceConfiguration().serviceId();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(CONSUMER_ROOT_ARN));
        return sid;
    }

    private String endpoint(String sid, String... zones) {
        return w.client(CONSUMER_KEY).createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE)
                .vpcId(w.consumerVpc()).serviceName("com.amazonaws.vpce.us-east-1." + sid)
                .subnetIds(java.util.Arrays.stream(zones).map(w::consumerSubnet).toList())).vpcEndpoint().vpcEndpointId();
    }

    private void open(String accessKeyId, String hash) {
        b.get(w.url() + "/console/");
        b.actAs(accessKeyId);
        b.get(w.url() + "/console/" + hash);
    }

    private String text(By by) {
        return b.wait.ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.presenceOfElementLocated(by)).getText();
    }

    private String attribute(By by, String name) {
        return b.wait.ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.presenceOfElementLocated(by)).getAttribute(name);
    }

    /** A time element shows local time to the second, on one line, with an ISO instant on hover. */
    private void assertTime(By time) {
        String shown = text(time);
        assertTrue(shown.matches(LOCAL_SECOND), () -> time + " shows " + shown);
        Instant.parse(attribute(time, "title"));
        Object lines = b.js("return arguments[0].getClientRects().length", b.driver.findElement(time));
        assertEquals(1L, ((Number) lines).longValue(), () -> time + " takes more than one line");
    }

    @Test
    void statesTimesAndFaultsAreSaidOneWayInPlainWords() throws Exception {
        String sid = service(true);
        String eid = endpoint(sid, "us-east-1a");
        Await.until(ConsoleBrowser.DEADLINE, () -> w.listeners(eid).size() == 1, () -> "the listener of " + eid);
        String zoneId = w.listeners(eid).get(0).zoneId();

        // A service's state as EC2 spells it (Available) and an endpoint's (pendingAcceptance): one way.
        open(PROVIDER, "#/services");
        By serviceState = By.cssSelector("#services tr[data-service='" + sid + "'] .state");
        assertEquals("Available", text(serviceState));
        assertEquals("Available", attribute(serviceState, "title"));
        b.get(w.url() + "/console/#/services/" + sid + "/connections");
        By connection = By.cssSelector("#connections tr[data-endpoint='" + eid + "']");
        b.awaitState(connection, "pendingAcceptance");
        By connectionState = By.cssSelector("#connections tr[data-endpoint='" + eid + "'] .state");
        assertEquals("Pending acceptance", text(connectionState));
        assertEquals("pendingAcceptance", attribute(connectionState, "title"));
        assertTime(By.cssSelector("#connections tr[data-endpoint='" + eid + "'] time.when"));

        open(CONSUMER, "#/endpoints");
        assertEquals("Pending acceptance", text(By.cssSelector("#endpoints tr[data-endpoint='" + eid + "'] .state")));
        b.get(w.url() + "/console/#/endpoints/" + eid + "/details");
        assertTime(By.cssSelector("dl.details time.when"));

        // The fault form speaks of directions and a probability, and says what a round trip gains first.
        open(PROVIDER, "#/live");
        WebElement form = b.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("add-fault-form")));
        new Select(b.driver.findElement(By.id("fault-kind"))).selectByValue("latency");
        String words = form.getText().toLowerCase(java.util.Locale.ROOT);
        assertFalse(words.contains("toxicity") || words.contains("stream") || words.contains("default"), words);
        assertEquals("both ways", new Select(b.driver.findElement(By.id("fault-direction"))).getFirstSelectedOption().getText());
        b.type(By.cssSelector("#fault-params input[name=latency]"), "25");
        b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("fault-effect"), "A round trip gains 50 ms"));
        b.wait.until(d -> new Select(d.findElement(By.id("fault-az"))).getOptions().size() > 1);
        new Select(b.driver.findElement(By.id("fault-az"))).selectByValue(zoneId);
        b.click(By.id("add-fault"));
        By row = By.cssSelector("#live-faults tr[data-fault] td.fault-words");
        b.wait.until(ExpectedConditions.presenceOfElementLocated(row));
        String fault = text(row);
        assertTrue(fault.startsWith("latency 25 ms, both ways, every new connection, on zone " + zoneId), fault);
        assertTrue(fault.contains("a round trip gains 50 ms"), fault);
        assertFalse(fault.contains("stream="), fault);
        // The API's one line stays on hover.
        assertTrue(attribute(row, "title").contains("stream=both"), () -> attribute(row, "title"));
        assertTime(By.cssSelector("#live-faults tr[data-fault] time.when"));
        assertTrue(text(By.id("flash")).contains("A round trip gains 50 ms"), () -> text(By.id("flash")));
        assertEquals(Fault.Stream.BOTH, w.dp().faults().get(0).fault().stream());

        // One way only, to one connection in four: the form says so, and so does the data plane.
        new Select(b.driver.findElement(By.id("fault-az"))).selectByValue("");
        new Select(b.driver.findElement(By.id("fault-direction"))).selectByValue("upstream");
        b.type(By.cssSelector("#fault-params input[name=latency]"), "30");
        b.type(By.id("fault-probability"), "0.25");
        b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("fault-effect"),
                "A round trip gains 30 ms: 30 ms on the way to the service, nothing on the way back."));
        b.click(By.id("add-fault"));
        b.wait.until(d -> w.dp().faults().size() == 2);
        Fault second = w.dp().faults().get(1).fault();
        assertEquals(Fault.Stream.UPSTREAM, second.stream());
        assertEquals(0.25, second.toxicity());
        b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-faults"),
                "latency 30 ms, to the service only, 25% of new connections, everywhere"));
        assertTime(By.cssSelector("#live-events time.when"));

        // Every kind says what it will do before it is added, with its parameters as typed.
        new Select(b.driver.findElement(By.id("fault-kind"))).selectByValue("refuse-first-n");
        b.type(By.cssSelector("#fault-params input[name=count]"), "3");
        b.wait.until(ExpectedConditions.textToBe(By.id("fault-effect"),
                "The first 3 new connections are reset, for testing retries."));
        new Select(b.driver.findElement(By.id("fault-kind"))).selectByValue("az-outage");
        b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("fault-effect"), "stop answering"));
        assertEquals(List.of(), b.errors(), "the browser's console");
    }

    @Test
    void formsSayWhatIsWrongInTheOrderTheyRead() throws Exception {
        String sid = service(false);
        String name = "com.amazonaws.vpce.us-east-1." + sid;
        String nowhere = "com.amazonaws.vpce.us-east-1.vpce-svc-00000000000000000";

        // A mistyped service name and no subnet: the name is what the form asks first.
        open(CONSUMER, "#/endpoints/create");
        b.type(By.id("service-name-input"), nowhere);
        b.click(By.id("create-endpoint-submit"));
        b.wait.until(ExpectedConditions.textToBe(By.cssSelector("#flash .code"), "InvalidServiceName"));
        b.type(By.id("service-name-input"), name);
        b.click(By.id("create-endpoint-submit"));
        b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#flash .message"),
                "Choose at least one subnet"));

        // Verify service, answered beside it.
        b.click(By.id("verify-service"));
        b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verify-result"), "Service name verified"));
        assertTrue(text(By.id("verify-result")).contains(PROVIDER), () -> text(By.id("verify-result")));
        b.type(By.id("service-name-input"), nowhere);
        b.click(By.id("verify-service"));
        b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verify-result"), "InvalidServiceName"));

        // The NLB the service has is shown in use before anything is sent.
        open(PROVIDER, "#/services/create");
        By taken = By.cssSelector("#create-service-form label[data-load-balancer=" + NLB_VPCE + "]");
        assertTrue(text(taken).contains("in use by " + sid), () -> text(taken));
        assertFalse(b.driver.findElement(By.cssSelector("#create-service-form label[data-load-balancer=" + NLB_VPCE
                + "] input")).isEnabled());
        assertTrue(b.driver.findElement(By.cssSelector("#create-service-form label[data-load-balancer="
                + ApiWorld.NLB_TWO + "] input")).isEnabled());

        // A topic the sim-config does not declare: said before and after, with where its log is read.
        String topic = "arn:aws:sns:us-east-1:" + PROVIDER + ":nowhere";
        b.get(w.url() + "/console/#/services/" + sid + "/notifications");
        b.type(By.cssSelector("#create-notification-form input.topic"), topic);
        b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#create-notification-form .topic-note"),
                "plsim delivers to its own log"));
        b.click(By.cssSelector("#create-notification-form button[type=submit]"));
        b.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#flash .warn")));
        assertTrue(text(By.id("flash")).contains("its own log"), () -> text(By.id("flash")));
        assertEquals("/admin/notifications?topic=" + java.net.URLEncoder.encode(topic, java.nio.charset.StandardCharsets.UTF_8),
                java.net.URI.create(attribute(By.cssSelector("#flash a"), "href")).getRawPath() + "?"
                        + java.net.URI.create(attribute(By.cssSelector("#flash a"), "href")).getRawQuery());

        // Principals: each of the world's suggested once; past a page, the list searches and pages.
        b.get(w.url() + "/console/#/services/" + sid + "/principals");
        b.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("principals")));
        @SuppressWarnings("unchecked")
        List<String> suggested = (List<String>) b.js("return [...document.querySelectorAll('#principal-suggestions option')]"
                + ".map(o => o.value)");
        assertEquals(suggested.stream().distinct().toList(), suggested);
        assertEquals(1, suggested.stream().filter(CONSUMER_ROOT_ARN::equals).count(), suggested::toString);
        List<String> many = IntStream.range(0, 22).mapToObj(i -> "arn:aws:iam::" + CONSUMER + ":user/p" + i).toList();
        w.client(PROVIDER_KEY).modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(many));
        // With the consumer's root: 23.
        b.wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-list=principals] .range"), "1-10 of 23"));
        assertEquals(10, b.driver.findElements(By.cssSelector("#principals tr[data-principal]")).size());
        b.click(By.cssSelector("[data-list=principals] button.next-page"));
        b.click(By.cssSelector("[data-list=principals] button.next-page"));
        b.wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-list=principals] .range"), "21-23 of 23"));
        // The page chosen stays as the list is read again.
        b.wait.until(d -> d.findElements(By.cssSelector("#principals tr[data-principal]")).size() == 3);
        b.type(By.cssSelector("[data-list=principals] input.list-search"), "user/p17");
        b.wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-list=principals] .range"), "1-1 of 1"));
        assertEquals("arn:aws:iam::" + CONSUMER + ":user/p17", attribute(By.cssSelector("#principals tr[data-principal]"),
                "data-principal"));
        assertEquals(List.of(), b.errors().stream().filter(m -> !m.contains("status of 400")).toList(),
                "the browser's console, but for the refusals asked for");
    }

    @Test
    void zoneTotalsAndSparklinesOutlastADeletedEndpointAndAPageChange() throws Exception {
        String sid = service(false);
        String eid = endpoint(sid, "us-east-1a");
        w.awaitHealthy(NLB_VPCE);
        Await.until(ConsoleBrowser.DEADLINE, () -> w.listeners(eid).size() == 1, () -> "the listener of " + eid);
        InterfaceListener l = w.listeners(eid).get(0);
        String zone = "#live-zones .zone[data-zone='" + l.zoneId() + "'] ";
        open(PROVIDER, "#/live");
        for (int i = 0; i < 7; i++) {
            try (TestClient c = TestClient.connect(l)) {
                assertEquals("ping " + i, c.roundTrip("ping " + i));
            }
        }
        b.wait.until(ExpectedConditions.textToBe(By.cssSelector(zone + ".admitted"), "7"));
        b.wait.until(d -> readings(zone) >= 3);
        long before = readings(zone);

        // Away by the page's own links, as a user goes: the page is not loaded again.
        b.click(By.id("nav-services"));
        b.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#services tr[data-service]")));
        assertEquals(List.of(), w.client(CONSUMER_KEY).deleteVpcEndpoints(r -> r.vpcEndpointIds(eid)).unsuccessful());
        Await.until(ConsoleBrowser.DEADLINE, () -> w.dp().interfaceStats().stream().noneMatch(i -> i.endpointId().equals(eid)),
                () -> "the interfaces of " + eid + " gone");

        b.click(By.id("nav-live"));
        b.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(zone + ".admitted")));
        // The endpoint's interface is gone; what its zone counted through it is not.
        assertEquals("7", text(By.cssSelector(zone + ".admitted")));
        assertTrue(readings(zone) >= before, () -> "the sparkline kept " + readings(zone) + " readings of " + before);
        List<String> errors = new ArrayList<>(b.errors());
        assertEquals(List.of(), errors, "the browser's console");
    }

    private long readings(String zone) {
        Object n = b.js("const s = document.querySelector(arguments[0]); return s ? Number(s.dataset.readings) : -1;",
                zone + "svg.spark");
        return ((Number) n).longValue();
    }
}
