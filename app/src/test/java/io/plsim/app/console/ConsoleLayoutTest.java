package io.plsim.app.console;

import static io.plsim.app.api.ApiWorld.CONSUMER;
import static io.plsim.app.api.ApiWorld.CONSUMER_KEY;
import static io.plsim.app.api.ApiWorld.CONSUMER_ROOT_ARN;
import static io.plsim.app.api.ApiWorld.NLB_VPCE;
import static io.plsim.app.api.ApiWorld.PROVIDER;
import static io.plsim.app.api.ApiWorld.PROVIDER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.app.api.ApiWorld;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The console at the two sizes a user meets first, 1,024 x 768 and 1,920 x 1,080, in a real headless
 * Chromium against a world in 127.132.0.0/16 that has a service, an accepted and a pending endpoint,
 * a notification, traffic and a fault: no page scrolls sideways, nor any table inside its box; the
 * header stays on one line; the content stops widening at its maximum width; every button that
 * deletes or cuts traffic asks first; placeholders fit their fields, times their line, buttons their
 * rows.
 *
 * <p>Every page is photographed at both sizes into {@code target/console-screenshots}, and into
 * {@code docs/console/} of the repository when run with {@code -Dplsim.console.docs=true}, which is how
 * the pictures of {@code docs/console.md} are made.
 */
@ExtendWith(LeakCheck.class)
@Timeout(240)
class ConsoleLayoutTest {

    private static final int NET = TestBlocks.of(ConsoleLayoutTest.class);
    private static final int[][] SIZES = {{1024, 768}, {1920, 1080}};
    private static final int MAX_CONTENT = 1440;

    private ApiWorld w;
    private ConsoleBrowser b;

    @BeforeEach
    void start() throws Exception {
        ConsoleBrowser.assumeInstalled("ConsoleLayoutTest");
        w = ApiWorld.start(NET);
        b = ConsoleBrowser.start("ConsoleLayoutTest");
    }

    @AfterEach
    void stop() throws Exception {
        ConsoleBrowser.closeAll(b, w);
    }

    /** A page: its name (the screenshot's), its address, who looks at it, and what shows it is drawn. */
    private record Page(String name, String hash, String accessKeyId, String drawn) {
    }

    /** The world every page shows something of, as the SDK makes it. */
    private record Scene(String serviceId, String endpointId) {
    }

    private Scene scene() throws Exception {
        Ec2Client provider = w.client(PROVIDER_KEY);
        Ec2Client consumer = w.client(CONSUMER_KEY);
        String sid = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(w.nlbArn(NLB_VPCE))
                .acceptanceRequired(true)).serviceConfiguration().serviceId();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(sid).addAllowedPrincipals(CONSUMER_ROOT_ARN));
        provider.createVpcEndpointConnectionNotification(r -> r.serviceId(sid)
                .connectionNotificationArn("arn:aws:sns:us-east-1:" + ApiWorld.PROVIDER + ":console-layout")
                .connectionEvents("Connect", "Accept", "Reject", "Delete"));
        String name = "com.amazonaws.vpce.us-east-1." + sid;
        String eid = consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE).vpcId(w.consumerVpc())
                .serviceName(name).subnetIds(w.consumerSubnet("us-east-1a"), w.consumerSubnet("us-east-1c"))
                .tagSpecifications(t -> t.resourceType("vpc-endpoint").tags(x -> x.key("team").value("payments"))))
                .vpcEndpoint().vpcEndpointId();
        consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE).vpcId(w.consumerVpc())
                .serviceName(name).subnetIds(w.consumerSecondSubnetA()));
        provider.acceptVpcEndpointConnections(r -> r.serviceId(sid).vpcEndpointIds(eid));
        w.awaitHealthy(NLB_VPCE);
        io.plsim.dataplane.Await.until(ConsoleBrowser.DEADLINE, () -> w.listeners(eid).size() == 2,
                () -> "the listeners of " + eid);
        for (InterfaceListener l : w.listeners(eid)) {
            for (int i = 0; i < 5; i++) {
                try (TestClient c = TestClient.connect(l)) {
                    assertEquals("ping " + i, c.roundTrip("ping " + i));
                }
            }
        }
        w.dp().addFault(io.plsim.core.model.Fault.parse(Map.of("fault", "latency", "latency", "20", "az", "use1-az1")),
                "slow-az1");
        return new Scene(sid, eid);
    }

    private static List<Page> pages(Scene s) {
        String svc = "#/services/" + s.serviceId() + "/";
        String ep = "#/endpoints/" + s.endpointId() + "/";
        return List.of(
                new Page("services", "#/services", PROVIDER, "#services tr[data-service]"),
                new Page("service-create", "#/services/create", PROVIDER, "#create-service-form"),
                new Page("service-details", svc + "details", PROVIDER, "#service-name"),
                new Page("service-connections", svc + "connections", PROVIDER, "#connections tr[data-endpoint]"),
                new Page("service-principals", svc + "principals", PROVIDER, "#principals tr[data-principal]"),
                new Page("service-notifications", svc + "notifications", PROVIDER, "#notifications-sent tr[data-event]"),
                new Page("service-load-balancers", svc + "loadbalancers", PROVIDER, "#load-balancers tr"),
                new Page("live", "#/live", PROVIDER, "#live-interfaces tr[data-endpoint] td.admitted"),
                new Page("endpoints", "#/endpoints", CONSUMER, "#endpoints tr[data-endpoint]"),
                new Page("endpoint-create", "#/endpoints/create", CONSUMER, "#create-endpoint-form"),
                new Page("endpoint-details", ep + "details", CONSUMER, "dd.addresses .id"),
                new Page("endpoint-subnets", ep + "subnets", CONSUMER, "#endpoint-subnets tr[data-subnet]"),
                new Page("endpoint-security-groups", ep + "security-groups", CONSUMER, "#endpoint-groups tr[data-group]"),
                new Page("endpoint-policy", ep + "policy", CONSUMER, "pre.policy"),
                new Page("endpoint-tags", ep + "tags", CONSUMER, "#endpoint-tags tr[data-tag]"),
                new Page("endpoint-traffic", ep + "traffic", CONSUMER, "#endpoint-traffic tr[data-interface]"));
    }

    @Test
    void noPageScrollsSidewaysAtEitherSize() throws Exception {
        Scene s = scene();
        b.get(w.url() + "/console/");
        List<String> wide = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        List<String> looks = new ArrayList<>();
        List<String> unasked = new ArrayList<>();
        for (int[] size : SIZES) {
            b.viewport(size[0], size[1]);
            String as = null;
            for (Page p : pages(s)) {
                if (!p.accessKeyId().equals(as)) {
                    b.actAs(p.accessKeyId());
                    as = p.accessKeyId();
                }
                b.get(w.url() + "/console/" + p.hash());
                b.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(p.drawn())));
                wide.addAll(overflow(p.name(), size));
                looks.addAll(looks(p.name(), size));
                shoot(p.name(), size);
                unasked.addAll(asksFirst(p.name(), size));
            }
            // The forms that open inside a page widen nothing either.
            b.actAs(CONSUMER);
            b.get(w.url() + "/console/#/endpoints/" + s.endpointId() + "/subnets");
            b.click(By.cssSelector("details.manage summary"));
            wide.addAll(overflow("endpoint-subnets with Manage open", size));
            b.actAs(PROVIDER);
            b.get(w.url() + "/console/#/live");
            b.click(By.cssSelector("#load-balancers-live [data-load-balancer=" + NLB_VPCE + "] .health-check summary"));
            b.click(By.cssSelector("#load-balancers-live [data-load-balancer=" + NLB_VPCE + "] .target-group summary"));
            wide.addAll(overflow("live with Change open", size));
            answers.addAll(answersOnLive(size));
            answers.addAll(verifyAnswersBesideIt(s, size));
        }
        assertEquals(List.of(), wide, "pages wider than the window, or tables wider than their box");
        assertEquals(List.of(), answers, "answers to actions out of view of the control that made them");
        assertEquals(List.of(), looks, "placeholders cut off, headings styled as links, times or buttons out of line");
        assertEquals(List.of(), unasked, "actions that delete or cut traffic without asking first");
        assertEquals(List.of(), b.errors(), "the browser's console");
    }

    /**
     * The live view's actions far down its page (add a fault, remove it, cross-zone on and off): each one's
     * answer must be in the window with the control that made it, wherever that is scrolled to.
     */
    private List<String> answersOnLive(int[] size) {
        List<String> out = new ArrayList<>();
        String at = " at " + size[0] + "x" + size[1] + ": ";
        By add = By.id("add-fault");
        new Select(b.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("fault-kind")))).selectByValue("latency");
        b.type(By.cssSelector("#fault-params input[name=latency]"), "5");
        b.click(add);
        check(out, "Add fault" + at, b.answerOutOfView(add, "ok"));
        By remove = By.cssSelector("#live-faults tr[data-fault]:last-child button.remove-fault");
        b.click(remove);
        b.confirm("Remove fault", true);
        check(out, "Remove" + at, b.answerOutOfView(By.id("live-faults"), "ok"));
        By cross = By.cssSelector("#load-balancers-live [data-load-balancer=" + NLB_VPCE + "] button.toggle-cross-zone");
        for (int i = 0; i < 2; i++) {
            b.js("document.getElementById('flash').replaceChildren()");
            b.click(cross);
            check(out, "Cross-zone" + at, b.answerOutOfView(cross, "ok"));
        }
        return out;
    }

    /**
     * Every button of the page that deletes, rejects, removes, disassociates or deregisters (the page's
     * red ones) must open the confirmation first: each is pressed, the dialog awaited, and Cancel
     * pressed, so that the world stays as it was for the next page. Reject needs a connection chosen.
     */
    private List<String> asksFirst(String page, int[] size) {
        List<String> out = new ArrayList<>();
        By danger = By.cssSelector("main button.danger");
        int n = b.driver.findElements(danger).size();
        for (int i = 0; i < n; i++) {
            // A view that follows the world may draw a row again between finding its button and pressing it.
            String problem = null;
            for (int attempt = 0; ; attempt++) {
                try {
                    problem = pressAndCancel(danger, i);
                    break;
                } catch (StaleElementReferenceException e) {
                    if (attempt == 2) {
                        throw e;
                    }
                }
            }
            if (problem != null) {
                out.add(page + " at " + size[0] + "x" + size[1] + ": " + problem);
            }
        }
        return out;
    }

    /** Presses the {@code i}-th of the buttons, and Cancel in the dialog it opens; what is wrong, or null. */
    private String pressAndCancel(By buttons, int i) {
        List<WebElement> all = b.driver.findElements(buttons);
        if (i >= all.size()) {
            return null;
        }
        WebElement button = all.get(i);
        String id = button.getAttribute("id");
        String label = button.getText() + (id == null || id.isEmpty() ? "" : " (#" + id + ")");
        if ("reject-connections".equals(id)) {
            b.driver.findElements(By.cssSelector("#connections input.choose")).stream().filter(c -> !c.isSelected())
                    .findFirst().ifPresent(WebElement::click);
        }
        b.js("arguments[0].scrollIntoView({block: 'center'})", button);
        button.click();
        try {
            b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog#ask[open]")));
        } catch (org.openqa.selenium.TimeoutException e) {
            return label + " acted without asking";
        }
        b.click(By.id("ask-no"));
        b.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog#ask")));
        return null;
    }

    /** Verify service answers beside its button, in the window with it. */
    private List<String> verifyAnswersBesideIt(Scene s, int[] size) {
        b.actAs(CONSUMER);
        b.get(w.url() + "/console/#/endpoints/create");
        b.type(By.id("service-name-input"), "com.amazonaws.vpce.us-east-1." + s.serviceId());
        b.click(By.id("verify-service"));
        // Whatever it answers (the service is the scene's, which the consumer may use): where it is is checked.
        b.wait.until(d -> !d.findElement(By.id("verify-result")).getText().isEmpty());
        Object where = b.js("""
                const inView = r => r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
                const a = document.getElementById('verify-result').getBoundingClientRect();
                const c = document.getElementById('verify-service').getBoundingClientRect();
                return inView(a) && inView(c) && a.top - c.bottom < 60 ? null
                  : `answer at ${Math.round(a.top)}..${Math.round(a.bottom)}, button at ${Math.round(c.top)}..${Math.round(c.bottom)}`;
                """);
        return where == null ? List.of() : List.of("Verify service at " + size[0] + "x" + size[1] + ": " + where);
    }

    /**
     * What looks wrong on the page, in words: a field's placeholder wider than the field shows, a
     * heading's link in the browser's underline or visited colour, a time broken over two lines, a
     * button of a table row not centred on its row.
     */
    @SuppressWarnings("unchecked")
    private List<String> looks(String page, int[] size) {
        List<String> found = (List<String>) b.js("""
                const out = [];
                const measure = document.createElement('canvas').getContext('2d');
                for (const i of document.querySelectorAll('main input[placeholder]')) {
                  if (!i.offsetParent || !i.placeholder) continue;
                  const st = getComputedStyle(i);
                  measure.font = st.font;
                  const room = i.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight);
                  const need = measure.measureText(i.placeholder).width;
                  if (need > room + 1) out.push(`placeholder "${i.placeholder}" needs ${Math.round(need)} px, has ${Math.round(room)}`);
                }
                for (const a of document.querySelectorAll('main h1 a')) {
                  const st = getComputedStyle(a);
                  if (st.textDecorationLine !== 'none') out.push(`heading link "${a.textContent}" is ${st.textDecorationLine}`);
                  if (st.color !== getComputedStyle(a.closest('h1')).color) out.push(`heading link "${a.textContent}" is ${st.color}`);
                }
                for (const t of document.querySelectorAll('main time')) {
                  if (t.getClientRects().length > 1) out.push(`time "${t.textContent}" takes ${t.getClientRects().length} lines`);
                }
                for (const button of document.querySelectorAll('main tbody tr td > button')) {
                  const r = button.getBoundingClientRect();
                  const row = button.closest('tr').getBoundingClientRect();
                  const off = (r.top + r.bottom) / 2 - (row.top + row.bottom) / 2;
                  if (Math.abs(off) > 3) out.push(`button "${button.textContent}" ${Math.round(off)} px off its row's middle`);
                }
                return out;
                """);
        return found.stream().map(x -> page + " at " + size[0] + "x" + size[1] + ": " + x).toList();
    }


    private static void check(List<String> out, String what, String problem) {
        if (problem != null) {
            out.add(what + problem);
        }
    }

    /**
     * What is wrong with the page shown at {@code size}, in words: it scrolls sideways (naming the
     * elements that stick out), a table scrolls in its box, the header's links take two lines, or the
     * content is wider than its maximum.
     */
    @SuppressWarnings("unchecked")
    private List<String> overflow(String page, int[] size) {
        Map<String, Object> m = (Map<String, Object>) b.js("""
                const d = document.documentElement;
                const out = [...document.querySelectorAll('main *, header *')]
                  .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
                  .slice(-5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
                const boxes = [...document.querySelectorAll('.table-wrap')].filter(x => x.scrollWidth > x.clientWidth + 1)
                  .map(x => (x.querySelector('table').id || 'table') + ' ' + x.scrollWidth + '>' + x.clientWidth);
                const nav = [...document.querySelectorAll('header nav a, header .brand, header .identity')]
                  .map(a => { const r = a.getBoundingClientRect(); return (r.top + r.bottom) / 2; });
                return { scroll: d.scrollWidth, inner: innerWidth, out, boxes,
                  navLines: Math.max(...nav) - Math.min(...nav) > 12 ? 2 : 1,
                  main: document.getElementById('main').getBoundingClientRect().width };
                """);
        String at = page + " at " + size[0] + "x" + size[1] + ": ";
        List<String> problems = new ArrayList<>();
        if (((Number) m.get("scroll")).longValue() > ((Number) m.get("inner")).longValue()) {
            problems.add(at + "the page is " + m.get("scroll") + " px wide in a window of " + m.get("inner") + " ("
                    + m.get("out") + ")");
        }
        ((List<Object>) m.get("boxes")).forEach(x -> problems.add(at + "a table scrolls in its box: " + x));
        if (((Number) m.get("navLines")).intValue() > 1) {
            problems.add(at + "the header takes more than one line");
        }
        if (((Number) m.get("main")).doubleValue() > MAX_CONTENT) {
            problems.add(at + "the content is " + m.get("main") + " px wide, more than " + MAX_CONTENT);
        }
        return problems;
    }

    private void shoot(String page, int[] size) throws Exception {
        String name = page + "-" + size[0] + "x" + size[1];
        b.screenshot(Path.of("target", "console-screenshots"), name);
        if (Boolean.getBoolean("plsim.console.docs")) {
            Path docs = Path.of("..", "docs", "console");
            assertTrue(Files.isDirectory(docs.getParent()) || Files.exists(Path.of("..", "pom.xml")),
                    () -> "run from the app module of the repository to write into " + docs.toAbsolutePath());
            b.screenshot(docs, name);
        }
    }
}
