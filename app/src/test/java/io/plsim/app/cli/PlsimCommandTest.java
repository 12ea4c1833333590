package io.plsim.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import io.plsim.core.control.EndpointInterface;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code plsim} command line, run in-process through {@link Plsim#run}. */
class PlsimCommandTest {

    /** Tests run in the module directory; the shipped files are at the project's top. */
    static final String QUICKSTART = "../sim-configs/quickstart.yaml";
    static final String YOUR_SERVICE = "../sim-configs/your-service.yaml";
    static final String QUICKSTART_NLB_ARN =
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/quickstart-nlb/e94221227f1ba532";

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    static Result plsim(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            exit = Plsim.run(o, e, args);
        }
        return new Result(exit, out.toString(), err.toString());
    }

    static void assertNoStackTrace(Result r) {
        for (String text : List.of(r.out(), r.err())) {
            assertFalse(text.contains("Exception"), r.toString());
            assertFalse(text.contains("\tat "), r.toString());
            assertFalse(text.contains("at io."), r.toString());
            assertFalse(text.contains("at java."), r.toString());
            assertFalse(text.contains("at picocli."), r.toString());
        }
    }

    static void assertContains(String text, String fragment, Result r) {
        assertTrue(text.contains(fragment), () -> "expected \"" + fragment + "\" in:\n" + r);
    }

    /** A copy of quickstart.yaml with one line changed, and the 1-based number of that line. */
    record Copy(Path file, int line) {
    }

    Copy brokenQuickstart(String name, String from, String to) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(QUICKSTART));
        int index = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(from)) {
                assertEquals(-1, index, "\"" + from + "\" is on more than one line of " + QUICKSTART);
                index = i;
            }
        }
        assertTrue(index >= 0, "\"" + from + "\" is on no line of " + QUICKSTART);
        lines.set(index, lines.get(index).replace(from, to));
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return new Copy(file, index + 1);
    }

    // ---------------------------------------------------------------- validate

    @Test
    void validateQuickstart() {
        Result r = plsim("validate", QUICKSTART);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.err(), r.toString());
        assertContains(r.out(), QUICKSTART + ": valid", r);
        assertContains(r.out(), "region         us-east-1", r);
        assertContains(r.out(), "accounts       2", r);
        assertContains(r.out(), "vpcs           2 (4 subnets)", r);
        assertContains(r.out(), "loadBalancers  2 (4 nodes, 4 targets)", r);
        assertContains(r.out(), "services       1", r);
        assertContains(r.out(), "endpoints      1 (0 available, 1 pendingAcceptance, 2 interfaces)", r);
        assertContains(r.out(), "notifications  1", r);
        assertContains(r.out(), "admission      reset", r);
        assertTrue(r.out().matches("(?s).*endpoint vpce-[0-9a-f]{17} -> vpce-svc-[0-9a-f]{17} \\(pendingAcceptance\\).*"),
                r.toString());
    }

    @Test
    void validateYourService() {
        Result r = plsim("validate", YOUR_SERVICE);
        assertEquals(0, r.exit(), r.toString());
        assertContains(r.out(), YOUR_SERVICE + ": valid", r);
        assertContains(r.out(), "loadBalancers  1 (2 nodes, 2 targets)", r);
        assertContains(r.out(), "endpoints      1 (1 available, 0 pendingAcceptance, 2 interfaces)", r);
    }

    @Test
    void validateABrokenCopyNamesFileLineAndPath() throws IOException {
        Copy copy = brokenQuickstart("broken.yaml", "crossZone: false", "crossZone: \"no\"");
        Result r = plsim("validate", copy.file().toString());
        assertEquals(2, r.exit(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertContains(r.err(), copy.file() + ":" + copy.line()
                + ": loadBalancers[0].crossZone: expected true or false, found \"no\"", r);
        assertContains(r.err(), copy.file() + ": 1 problem", r);
        assertNoStackTrace(r);
    }

    @Test
    void validateReportsEveryProblem() throws IOException {
        Copy first = brokenQuickstart("twice.yaml", "crossZone: false", "crossZone: \"no\"");
        List<String> lines = Files.readAllLines(first.file());
        int ip = lines.indexOf("      - {zone: us-east-1b, ip: 127.1.2.20}");
        assertTrue(ip >= 0, "the walkthrough NLB's second node moved in " + QUICKSTART);
        lines.set(ip, "      - {zone: us-east-1b, ip: 10.1.2.20}");
        Files.write(first.file(), lines);

        Result r = plsim("validate", first.file().toString());
        assertEquals(2, r.exit(), r.toString());
        assertContains(r.err(), first.file() + ":" + first.line() + ": loadBalancers[0].crossZone: ", r);
        assertContains(r.err(), first.file() + ":" + (ip + 1) + ": loadBalancers[1].nodes[1].ip: 10.1.2.20 is outside"
                + " 127.0.0.0/8", r);
        assertContains(r.err(), first.file() + ": 2 problems", r);
        assertNoStackTrace(r);
    }

    @Test
    void validateAFileThatIsNotYaml() throws IOException {
        // one space too many before the provider VPC's cidr
        Copy copy = brokenQuickstart("indented.yaml", "    cidr: 127.1.0.0/16", "     cidr: 127.1.0.0/16");
        Result r = plsim("validate", copy.file().toString());
        assertEquals(2, r.exit(), r.toString());
        assertContains(r.err(), copy.file() + ":" + copy.line() + ": not valid YAML: ", r);
        assertContains(r.err(), copy.file() + ": 1 problem", r);
        assertNoStackTrace(r);
    }

    @Test
    void validateAMissingFile() {
        Path missing = dir.resolve("nope.yaml");
        Result r = plsim("validate", missing.toString());
        assertEquals(2, r.exit(), r.toString());
        assertContains(r.err(), missing + ": no such file", r);
        assertNoStackTrace(r);
    }

    @Test
    void validateADirectory() {
        Result r = plsim("validate", dir.toString());
        assertEquals(2, r.exit(), r.toString());
        assertContains(r.err(), dir + ": cannot read", r);
        assertNoStackTrace(r);
    }

    @Test
    void runRefusesAnAllowedHostThatIsNoHostName() {
        Result r = plsim("run", QUICKSTART, "--allow-host", "evil.example/x", "--api-port", "0", "--dns-port", "0");
        assertEquals(2, r.exit(), r.toString());
        assertContains(r.err(), "plsim run: --allow-host: 'evil.example/x' is not a host name or address", r);
        assertNoStackTrace(r);
    }

    @Test
    void validateWithoutAFile() {
        Result r = plsim("validate");
        assertEquals(2, r.exit(), r.toString());
        assertContains(r.err(), "Missing required parameter: 'FILE'", r);
        assertNoStackTrace(r);
    }

    @Test
    void validateHelp() {
        Result r = plsim("validate", "--help");
        assertEquals(0, r.exit(), r.toString());
        assertContains(r.out(), "Usage: plsim validate", r);
        assertContains(r.out(), "FILE", r);
    }

    @Test
    void eachCommandSaysWhatItsFileIsFor() {
        // FILE's description comes from a bundle keyed by command name: a renamed command loses it silently
        Map<String, String> described = Map.of(
                "run", "The sim-config (YAML) to run.",
                "validate", "The sim-config (YAML) to check.",
                "describe", "The sim-config (YAML) to describe.",
                "scenario", "A sim-config with a scenario section.");
        described.forEach((command, description) -> {
            Result r = plsim(command, "--help");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().lines().anyMatch(l -> l.matches(" +FILE +" + Pattern.quote(description))), r.toString());
        });
    }

    // ---------------------------------------------------------------- describe

    @Test
    void describeQuickstart() throws Exception {
        Result r = plsim("describe", QUICKSTART);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.err(), r.toString());
        for (String title : List.of("Accounts and their zone names", "Subnets", "Load balancers",
                "Load balancer nodes", "Targets", "Endpoint services", "Allowed principals", "Interface endpoints",
                "Endpoint network interfaces", "Connection notifications")) {
            assertTrue(r.out().lines().anyMatch(title::equals), () -> "no table \"" + title + "\" in:\n" + r);
        }
        assertContains(r.out(), QUICKSTART_NLB_ARN, r);
        assertContains(r.out(), "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/walkthrough-nlb/", r);
        assertContains(r.out(), "pendingAcceptance", r);
        assertContains(r.out(), "arn:aws:iam::444455556666:root", r);
        assertContains(r.out(), "arn:aws:sns:us-east-1:111122223333:quickstart-endpoint-events", r);
        assertContains(r.out(), "builtin pp2-inspect", r);

        World world = SimConfigLoader.load(Path.of(QUICKSTART));
        List<EndpointInterface> enis = world.controlPlane().endpoints().get(0).interfaces();
        assertEquals(2, enis.size());
        for (EndpointInterface eni : enis) {
            assertTrue(r.out().lines().anyMatch(l -> l.contains(eni.networkInterfaceId()) && l.contains(eni.subnetId())
                    && l.contains(" " + eni.privateIp() + " ") && l.contains(eni.zoneId())),
                    () -> "no row for " + eni + " in:\n" + r);
        }
    }

    @Test
    void describeListsEachAccountsZonesInOrder() {
        Result r = plsim("describe", QUICKSTART);
        List<String> lines = r.out().lines().toList();
        int provider = indexOf(lines, "  111122223333  us-east-1a  use1-az1");
        assertTrue(provider >= 0, r.toString());
        assertTrue(lines.get(provider + 1).contains("us-east-1b  use1-az2"), r.toString());
        int consumer = indexOf(lines, "  444455556666  us-east-1a  use1-az2");
        assertTrue(consumer >= 0, r.toString());
        assertTrue(lines.get(consumer + 1).contains("us-east-1b  use1-az1"), r.toString());
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void describeIsTheSameTwice() {
        assertEquals(plsim("describe", QUICKSTART).out(), plsim("describe", QUICKSTART).out());
    }

    @Test
    void describeABrokenCopy() throws IOException {
        Copy copy = brokenQuickstart("broken.yaml", "crossZone: false", "crossZone: \"no\"");
        Result r = plsim("describe", copy.file().toString());
        assertEquals(2, r.exit(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertContains(r.err(), copy.file() + ":" + copy.line() + ": loadBalancers[0].crossZone: ", r);
        assertNoStackTrace(r);
    }

    @Test
    void describeAMissingFile() {
        Path missing = dir.resolve("nope.yaml");
        Result r = plsim("describe", missing.toString());
        assertEquals(2, r.exit(), r.toString());
        assertContains(r.err(), missing + ": no such file", r);
        assertNoStackTrace(r);
    }

    @Test
    void describeHelp() {
        Result r = plsim("describe", "--help");
        assertEquals(0, r.exit(), r.toString());
        assertContains(r.out(), "Usage: plsim describe", r);
    }

    // ---------------------------------------------------------------- plsim itself

    @Test
    void help() {
        Result r = plsim("--help");
        assertEquals(0, r.exit(), r.toString());
        assertContains(r.out(), "Usage: plsim", r);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  validate ")), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  describe ")), r.toString());
    }

    @Test
    void helpSubcommand() {
        Result r = plsim("help", "validate");
        assertEquals(0, r.exit(), r.toString());
        assertContains(r.out(), "Usage: plsim validate", r);
    }

    @Test
    void noArgumentsShowsTheUsage() {
        Result r = plsim();
        assertContains(r.out() + r.err(), "Usage: plsim", r);
        assertNoStackTrace(r);
    }

    @Test
    void version() {
        for (String flag : List.of("--version", "-V")) {
            Result r = plsim(flag);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().startsWith("plsim "), r.toString());
        }
    }

    @Test
    void anUnknownSubcommand() {
        Result r = plsim("frobnicate", QUICKSTART);
        assertEquals(2, r.exit(), r.toString());
        assertContains(r.err(), "'frobnicate'", r);
        assertEquals("", r.out(), r.toString());
        assertNoStackTrace(r);
    }

    static void assertUnknownCommand(String command, String... args) {
        Result r = plsim(args);
        assertEquals(2, r.exit(), r.toString());
        assertContains(r.err(), "plsim: unknown command '" + command + "'; see plsim --help", r);
        assertEquals("", r.out(), r.toString());
        assertNoStackTrace(r);
    }

    @Test
    void anUnknownCommandIsNamed() {
        assertUnknownCommand("frobnicate", "frobnicate");
    }

    @Test
    void theHelpOfAnUnknownCommandIsAnError() {
        assertUnknownCommand("inspect", "inspect", "--help");
        assertUnknownCommand("inspect", "--help", "inspect");
    }

    @Test
    void noArgumentsPrintsTheUsageAndExitsZero() {
        Result r = plsim();
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("Usage: plsim"), r.toString());
        assertEquals("", r.err(), r.toString());
    }

    @Test
    void theHelpOfRunAsOptionAndAsCommand() {
        Result option = plsim("run", "--help");
        Result command = plsim("help", "run");
        assertEquals(0, option.exit(), option.toString());
        assertEquals(0, command.exit(), command.toString());
        assertTrue(option.out().startsWith("Usage: plsim run"), option.toString());
        assertEquals(option.out(), command.out());
    }

    @Test
    void anUnknownOption() {
        Result r = plsim("--frobnicate");
        assertEquals(2, r.exit(), r.toString());
        assertContains(r.err(), "Unknown option: '--frobnicate'", r);
        assertNoStackTrace(r);
    }

    @Test
    void anUnknownOptionOfValidate() {
        Result r = plsim("validate", "--strict", QUICKSTART);
        assertEquals(2, r.exit(), r.toString());
        assertContains(r.err(), "Unknown option: '--strict'", r);
        assertEquals("", r.out(), r.toString());
        assertNoStackTrace(r);
    }
}
