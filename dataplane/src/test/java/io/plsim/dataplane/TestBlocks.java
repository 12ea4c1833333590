package io.plsim.dataplane;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one list of the loopback blocks {@code 127.N.0.0/16} that test classes put their worlds in, across
 * {@code dataplane}, {@code app} and {@code embedded}: a class takes its block with
 * {@code private static final int NET = TestBlocks.of(MyTest.class);}. Two classes given the same block, or a
 * block outside 120-199, fail as this class loads, so every test that takes a block fails (and
 * {@code TestBlocksTest} names the clash) before two worlds could share an address.
 *
 * <p>120-139 are for worlds of the API tests ({@code ApiWorld}, {@code WorldYaml}), 140-199 for
 * {@link TestWorld}'s, which refuses others; {@code embedded}'s worlds take 200-254 as they run.
 */
public final class TestBlocks {

    static final int FIRST = 120;
    static final int LAST = 199;

    /** By test class name, since a module's tests cannot name another module's test classes. */
    static final Map<String, Integer> BY_CLASS = blocks(
            "io.plsim.app.api.UserGuideWalkthroughTest", 120,
            "io.plsim.app.api.Ec2ErrorCodesTest", 121,
            "io.plsim.app.api.ApiDataPathTest", 122,
            "io.plsim.app.api.MalformedRequestTest", 123,
            "io.plsim.app.notify.NotificationDeliveryTest", 124,
            "io.plsim.app.api.AdminRoutesTest", 125,
            "io.plsim.app.api.Elbv2ApiTest", 126,
            "io.plsim.app.api.Ec2NetworkApiTest", 127,
            "io.plsim.app.cli.StateRestartTest", 128,
            "io.plsim.app.console.ConsoleRoutesTest", 129,
            "io.plsim.app.console.ConsoleBrowserTest", 130,
            "io.plsim.app.cli.DecideCommandTest", 131,
            "io.plsim.app.console.ConsoleLayoutTest", 132,
            "io.plsim.app.console.ConsoleFormatsTest", 133,
            "io.plsim.app.cli.RunningInstanceCommandsTest", 134,
            "io.plsim.app.console.ConsolePrivateDnsTest", 135,
            "io.plsim.app.dns.DnsServerWorldTest", 140,
            "io.plsim.app.load.LoadThroughDnsTest", 141,
            "io.plsim.app.cli.ToxiproxyRunTest", 142,
            "io.plsim.app.cli.FileLimitTest", 143,
            "io.plsim.dataplane.AdmissionTest", 150,
            "io.plsim.dataplane.TargetSpreadTest", 151,
            "io.plsim.dataplane.HealthCheckTest", 152,
            "io.plsim.dataplane.RelayIntegrityTest", 153,
            "io.plsim.dataplane.IdleTimeoutTest", 154,
            "io.plsim.dataplane.ThirdPartyParserTest", 155,
            "io.plsim.dataplane.builtin.BuiltinTargetTest", 156,
            "io.plsim.dataplane.fault.ConnectionFaultTest", 160,
            "io.plsim.dataplane.fault.ZoneFaultTest", 161,
            "io.plsim.dataplane.fault.ComponentFaultTest", 162,
            "io.plsim.app.api.FaultApiTest", 163,
            "io.plsim.app.scenario.ScenarioRunnerTest", 164,
            "io.plsim.dataplane.HeaderPlacementTest", 165,
            "io.plsim.dataplane.SharedListenTest", 166,
            "io.plsim.dataplane.RefusedConnectTest", 167,
            "io.plsim.dataplane.LoadBalancingChangesTest", 168,
            "io.plsim.dataplane.ModifyEndpointTest", 169,
            "io.plsim.dataplane.CrossZoneBytesTest", 173,
            "io.plsim.app.api.CrossZoneMetricsTest", 174,
            "io.plsim.dataplane.BuiltinTargetPeerCloseTest", 187);

    private TestBlocks() {
    }

    /** The block N of {@code 127.N.0.0/16} that {@code testClass} puts its worlds in. */
    public static int of(Class<?> testClass) {
        Integer n = BY_CLASS.get(testClass.getName());
        if (n == null) {
            throw new IllegalStateException(testClass.getName() + " has no loopback block: add one to TestBlocks,"
                    + " in " + FIRST + "-" + LAST + " and taken by no other class");
        }
        return n;
    }

    private static Map<String, Integer> blocks(Object... classAndBlock) {
        Map<String, Integer> byClass = new LinkedHashMap<>();
        Map<Integer, String> byBlock = new TreeMap<>();
        for (int i = 0; i < classAndBlock.length; i += 2) {
            String name = (String) classAndBlock[i];
            int block = (Integer) classAndBlock[i + 1];
            if (block < FIRST || block > LAST) {
                throw new IllegalStateException(name + " takes 127." + block + ", outside 127." + FIRST + "-127." + LAST);
            }
            String other = byBlock.putIfAbsent(block, name);
            if (other != null) {
                throw new IllegalStateException("127." + block + " is taken by both " + other + " and " + name);
            }
            if (byClass.putIfAbsent(name, block) != null) {
                throw new IllegalStateException(name + " is listed twice");
            }
        }
        return Map.copyOf(byClass);
    }
}
