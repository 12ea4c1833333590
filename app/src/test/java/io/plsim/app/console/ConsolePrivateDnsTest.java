package io.plsim.app.console;

import static io.plsim.app.api.ApiWorld.NLB_VPCE;
import static io.plsim.app.api.ApiWorld.PROVIDER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.plsim.app.api.ApiWorld;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DnsNameState;

/**
 * The console's step of private DNS, in headless Chromium: a service's Details tab shows the record to
 * publish and how far its verification has got, and "Verify domain ownership for private DNS name"
 * starts the verification, which fails before the record is published and passes after.
 */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class ConsolePrivateDnsTest {

    private static final int NET = TestBlocks.of(ConsolePrivateDnsTest.class);

    private ApiWorld w;
    private ConsoleBrowser b;

    @BeforeEach
    void start() throws Exception {
        ConsoleBrowser.assumeInstalled("ConsolePrivateDnsTest");
        w = ApiWorld.start(NET);
        b = ConsoleBrowser.start("ConsolePrivateDnsTest");
    }

    @AfterEach
    void stop() throws Exception {
        ConsoleBrowser.closeAll(b, w);
    }

    /** The verification's state once it has left pendingVerification, within a deadline. */
    private static DnsNameState settled(Ec2Client provider, String sid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        DnsNameState s;
        do {
            Thread.sleep(100);
            s = provider.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(sid)).serviceConfigurations()
                    .get(0).privateDnsNameConfiguration().state();
        } while (s == DnsNameState.PENDING_VERIFICATION && System.nanoTime() < deadline);
        return s;
    }

    @Test
    void theDetailsTabVerifiesTheName() throws Exception {
        Ec2Client provider = w.client(PROVIDER_KEY);
        var created = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(w.nlbArn(NLB_VPCE))
                .privateDnsName("api.example.test")).serviceConfiguration();
        String sid = created.serviceId();
        String page = w.url() + "/console/#/services/" + sid + "/details";
        b.driver.get(page);
        b.actAs(ApiWorld.PROVIDER);
        b.driver.get(page);
        b.wait.until(ExpectedConditions.textToBe(By.id("domain-verification"), "pendingVerification"));
        String record = created.privateDnsNameConfiguration().name() + ".api.example.test";
        b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dl.details"), record));

        b.click(By.id("verify-domain"));
        assertEquals(DnsNameState.FAILED, settled(provider, sid), "no record published yet");
        b.driver.navigate().refresh();
        b.wait.until(ExpectedConditions.textToBe(By.id("domain-verification"), "failed"));

        w.cp().publishTxtRecord(record, created.privateDnsNameConfiguration().value());
        b.click(By.id("verify-domain"));
        assertEquals(DnsNameState.VERIFIED, settled(provider, sid));
        b.driver.navigate().refresh();
        b.wait.until(ExpectedConditions.textToBe(By.id("domain-verification"), "verified"));
    }
}
