package io.plsim.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.api.QueryApi;
import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.LoadBalancer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal without a process around it: what a world took is replayed onto a fresh world of the same
 * file with the same IDs and creation times, a built-in target is found at the port it bound in this run,
 * and a change the fresh world refuses refuses the state, naming the line. Its lines are a chain: one
 * moved, removed, or taken from another state is refused at open, naming the line, while a last line a
 * crash cut is dropped.
 */
class StateJournalTest {

    private static final Path QUICKSTART = Path.of("..", "sim-configs", "quickstart.yaml");
    private static final String PROVIDER = "AKIAPROVIDERROOT0001";
    private static final String CONSUMER = "AKIACONSUMERROOT0001";
    private static final String WALKTHROUGH_NLB =
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/walkthrough-nlb/0dbfb57c3d71c2b9";

    @TempDir
    Path dir;

    private record Fresh(World world, ReplayClock clock, QueryApi api) {
    }

    private static Fresh fresh() throws Exception {
        ReplayClock clock = new ReplayClock();
        World w = SimConfigLoader.load(QUICKSTART, clock);
        return new Fresh(w, clock, new QueryApi(w));
    }

    private static String auth(String key, String service) {
        return "AWS4-HMAC-SHA256 Credential=" + key + "/20240501/us-east-1/" + service + "/aws4_request, "
                + "SignedHeaders=host, Signature=0";
    }

    /** Binds the world's built-in targets at ports of this "run", as the data plane would. */
    private static List<Integer> bind(World w, int base) {
        List<Integer> ports = new java.util.ArrayList<>();
        for (LoadBalancer lb : w.topology().loadBalancers().values()) {
            for (LoadBalancer.Target t : lb.targets()) {
                int port = base + ports.size();
                w.loadBalancing().targetBound(lb.arn(), t, port);
                ports.add(port);
            }
        }
        return ports;
    }

    private StateJournal journal() throws Exception {
        return journal(dir);
    }

    private static StateJournal journal(Path state) throws Exception {
        return StateJournal.open(state, QUICKSTART.toString(), Files.readString(QUICKSTART));
    }

    /**
     * One run more of the state in {@code state}: what it holds replayed, then the quickstart's consumer
     * endpoint tagged {@code n} once for every value, in order; answers the endpoint's tags after.
     */
    private static Map<String, String> tagRun(Path state, int... values) throws Exception {
        Fresh w = fresh();
        try (StateJournal j = journal(state)) {
            j.replay(w.api(), w.clock(), List.of());
            j.startRun(List.of());
            w.api().recordChanges(j.recorder(w.clock()));
            String endpoint = w.world().controlPlane().endpoints().get(0).vpcEndpointId();
            for (int v : values) {
                assertEquals(200, w.api().handle(auth(CONSUMER, "ec2"), "Action=CreateTags&ResourceId.1=" + endpoint
                        + "&Tag.1.Key=n&Tag.1.Value=" + v).status());
            }
        }
        return w.world().controlPlane().endpoints().get(0).tags();
    }

    /**
     * The refusal of opening the state in {@code dir} once {@code edit} has changed its lines; the file
     * must be left as the edit made it.
     */
    private String refusedAfter(Consumer<List<String>> edit) throws Exception {
        Path file = dir.resolve(StateJournal.FILE_NAME);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        edit.accept(lines);
        Files.write(file, lines);
        StateException e = assertThrows(StateException.class, this::journal);
        assertEquals(lines, Files.readAllLines(file), "a refused state is left as it was");
        return e.getMessage();
    }

    @Test
    void aReplayedWorldHasTheSameIdsTimesAndTargets() throws Exception {
        Fresh first = fresh();
        List<Integer> firstPorts = bind(first.world(), 20000);
        try (StateJournal j = journal()) {
            j.replay(first.api(), first.clock(), firstPorts);
            j.startRun(firstPorts);
            first.api().recordChanges(j.recorder(first.clock()));
            String body = first.api().handle(auth(PROVIDER, "ec2"), "Action=CreateVpcEndpointServiceConfiguration"
                    + "&AcceptanceRequired=false&NetworkLoadBalancerArn.1=" + WALKTHROUGH_NLB).body();
            String sid = body.replaceAll("(?s).*<serviceId>([^<]+)</serviceId>.*", "$1");
            first.api().handle(auth(PROVIDER, "ec2"), "Action=ModifyVpcEndpointServicePermissions&ServiceId=" + sid
                    + "&AddAllowedPrincipals.1=arn:aws:iam::444455556666:root");
            assertEquals(200, first.api().handle(auth(CONSUMER, "ec2"), "Action=CreateVpcEndpoint&VpcId="
                    + "vpc-0f9e8d7c6b5a40002&ServiceName=com.amazonaws.vpce.us-east-1." + sid
                    + "&SubnetId.1=subnet-0f9e8d7c6b5a40021").status());
            String tg = first.api().handle(auth(PROVIDER, "elasticloadbalancing"), "Action=DescribeTargetGroups"
                    + "&Version=2015-12-01&LoadBalancerArn=" + WALKTHROUGH_NLB).body()
                    .replaceAll("(?s).*<TargetGroupArn>([^<]+)</TargetGroupArn>.*", "$1");
            // The walkthrough NLB's first built-in target, by the port it has in this run.
            int port = firstPorts.get(2);
            assertEquals(200, first.api().handle(auth(PROVIDER, "elasticloadbalancing"), "Action=DeregisterTargets"
                    + "&Version=2015-12-01&TargetGroupArn=" + tg + "&Targets.member.1.Id=127.0.0.1"
                    + "&Targets.member.1.Port=" + port).status());
            assertEquals(200, first.api().handle(auth(CONSUMER, "ec2"), "Action=DescribeVpcEndpoints").status());
            assertEquals(1 + 1 + 4, Files.readAllLines(j.file()).size(), "header, run, four changes; reads not");
        }

        Fresh second = fresh();
        List<Integer> secondPorts = bind(second.world(), 30000);
        try (StateJournal j = journal()) {
            assertEquals(4, j.changes());
            j.replay(second.api(), second.clock(), secondPorts);
        }
        List<VpcEndpoint> before = first.world().controlPlane().endpoints();
        List<VpcEndpoint> after = second.world().controlPlane().endpoints();
        assertEquals(before.size(), after.size());
        VpcEndpoint made = before.get(before.size() - 1);
        VpcEndpoint again = after.get(after.size() - 1);
        assertEquals(made.vpcEndpointId(), again.vpcEndpointId());
        assertEquals(made.created(), again.created(), "the creation time the first run gave it");
        assertEquals(made.interfaces(), again.interfaces());
        assertTrue(second.clock().instant().isAfter(Instant.now().minusSeconds(60)), "the clock is live again");
        assertEquals(List.of(secondPorts.get(3)), second.world().loadBalancing().registered(WALKTHROUGH_NLB).stream()
                .map(LoadBalancer.Target::port).toList(), "the deregistered target, found at its new port, is gone");
    }

    @Test
    void elbTagsAreReplayed() throws Exception {
        String add = "Action=AddTags&Version=2015-12-01&ResourceArns.member.1=" + WALKTHROUGH_NLB
                + "&Tags.member.1.Key=team&Tags.member.1.Value=orders";
        String describe = "Action=DescribeTags&Version=2015-12-01&ResourceArns.member.1=" + WALKTHROUGH_NLB;
        Fresh first = fresh();
        try (StateJournal j = journal()) {
            j.replay(first.api(), first.clock(), List.of());
            j.startRun(List.of());
            first.api().recordChanges(j.recorder(first.clock()));
            assertEquals(200, first.api().handle(auth(PROVIDER, "elasticloadbalancing"), add).status());
        }
        Fresh second = fresh();
        try (StateJournal j = journal()) {
            j.replay(second.api(), second.clock(), List.of());
        }
        assertTrue(second.api().handle(auth(PROVIDER, "elasticloadbalancing"), describe).body()
                .contains("<Key>team</Key><Value>orders</Value>"));
    }

    @Test
    void aStateServesOnePlsimAtATime() throws Exception {
        try (StateJournal j = journal()) {
            StateException e = assertThrows(StateException.class, this::journal);
            assertTrue(e.getMessage().contains("state.jsonl is in use by another plsim"), e.getMessage());
        }
        try (StateJournal again = journal()) {
            assertEquals(0, again.changes(), "free again once the first is closed");
        }
    }

    @Test
    void aRequestRefusedWhenMadeMustBeRefusedOnReplay() throws Exception {
        try (StateJournal j = journal()) {
            j.startRun(List.of());
            j.record(Instant.now(), PROVIDER, "us-east-1", "ec2", "Action=CreateVpcEndpointServiceConfiguration"
                    + "&NetworkLoadBalancerArn.1=" + WALKTHROUGH_NLB, false);
        }
        Fresh w = fresh();
        try (StateJournal j = journal()) {
            StateException e = assertThrows(StateException.class, () -> j.replay(w.api(), w.clock(), List.of()));
            assertTrue(e.getMessage().contains("line 3 (CreateVpcEndpointServiceConfiguration) was refused when it"
                    + " was made and is accepted"), e.getMessage());
        }
    }

    @Test
    void aChangeTheFreshWorldRefusesRefusesTheState() throws Exception {
        try (StateJournal j = journal()) {
            j.startRun(List.of());
            j.record(Instant.now(), CONSUMER, "us-east-1", "ec2", "Action=DeleteVpcEndpoints&VpcEndpointId.1=vpce-0123456789abcdef0", true);
            j.record(Instant.now(), PROVIDER, "us-east-1", "ec2", "Action=RejectVpcEndpointConnections&ServiceId=vpce-svc-0123456789abcdef0"
                    + "&VpcEndpointId.1=vpce-0123456789abcdef0", true);
        }
        Fresh w = fresh();
        try (StateJournal j = journal()) {
            StateException e = assertThrows(StateException.class, () -> j.replay(w.api(), w.clock(), List.of()));
            assertTrue(e.getMessage().contains("state.jsonl line 4 (RejectVpcEndpointConnections) is refused"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("InvalidVpcEndpointServiceId.NotFound"), e.getMessage());
        }
    }

    @Test
    void aValidStateOfManyLinesAndRunsReplays() throws Exception {
        int[] first = IntStream.range(0, 150).toArray();
        int[] second = IntStream.range(1000, 1150).toArray();
        tagRun(dir, first);
        assertEquals(Map.of("n", "1149"), tagRun(dir, second));
        assertEquals(1 + 1 + 150 + 1 + 150, Files.readAllLines(dir.resolve(StateJournal.FILE_NAME)).size(),
                "header, then each run's line and its changes");
        Fresh w = fresh();
        try (StateJournal j = journal()) {
            assertEquals(List.of(), j.warnings());
            assertEquals(300, j.changes());
            j.replay(w.api(), w.clock(), List.of());
        }
        assertEquals(Map.of("n", "1149"), w.world().controlPlane().endpoints().get(0).tags());
    }

    @Test
    void twoLinesSwappedAreRefusedNamingTheLine() throws Exception {
        assertEquals(Map.of("n", "7011"), tagRun(dir, 7001, 7005, 7008, 7011));
        Path file = dir.resolve(StateJournal.FILE_NAME);
        assertEquals(6, Files.readAllLines(file).size(), "header, run, four changes");
        // Both lines pass their CRC: replayed in this order the endpoint would be back at 7008.
        String why = refusedAfter(lines -> Collections.swap(lines, 4, 5));
        assertTrue(why.contains(file + " line 5 is out of place: it was written as line 6"), why);
    }

    @Test
    void aLineRemovedInTheMiddleIsRefusedNamingTheLine() throws Exception {
        tagRun(dir, 1, 2, 3, 4);
        String why = refusedAfter(lines -> lines.remove(3));
        assertTrue(why.contains(dir.resolve(StateJournal.FILE_NAME) + " line 4 is out of place: it was written as"
                + " line 5"), why);
    }

    @Test
    void aLineTakenFromAnotherStateIsRefusedNamingTheLine() throws Exception {
        // The same calls in a state of the same sim-config: the line has the number and the JSON shape
        // of the one it replaces, and passes its CRC; only the chain tells them apart.
        Path other = dir.resolve("other");
        tagRun(dir, 1, 2, 3);
        tagRun(other, 1, 2, 9);
        String taken = Files.readAllLines(other.resolve(StateJournal.FILE_NAME)).get(4);
        Path file = dir.resolve(StateJournal.FILE_NAME);
        String why = refusedAfter(lines -> lines.set(4, taken));
        assertTrue(why.contains(file + " line 5 does not follow line 4"), why);
        assertTrue(why.contains("remove " + file + " to start afresh"), why);
    }

    @Test
    void aWholeLineRepeatedAtTheEndIsRefusedNotDropped() throws Exception {
        tagRun(dir, 1, 2);
        String why = refusedAfter(lines -> lines.add(lines.get(lines.size() - 1)));
        assertTrue(why.contains(dir.resolve(StateJournal.FILE_NAME) + " line 5 is out of place: it was written as"
                + " line 4"), why);
    }

    @Test
    void aLastLineACrashCutIsDroppedAndTheNextLineChainsFromTheOneBefore() throws Exception {
        tagRun(dir, 1, 2);
        Path file = dir.resolve(StateJournal.FILE_NAME);
        List<String> lines = Files.readAllLines(file);
        Files.writeString(file, String.join("\n", lines) + "\n" + lines.get(3).substring(0, 40));
        try (StateJournal j = journal()) {
            assertEquals(List.of(file + " line 5 was cut off (the process stopped while writing it); it is dropped"),
                    j.warnings());
            assertEquals(2, j.changes());
        }
        assertEquals(lines, Files.readAllLines(file), "cut back to the lines before it");
        assertEquals(Map.of("n", "3"), tagRun(dir, 3));
        try (StateJournal j = journal()) {
            assertEquals(List.of(), j.warnings(), "the line after the dropped one follows the line before it");
            assertEquals(3, j.changes());
        }

        // A whole last line that fails its CRC (a crash of the machine) is dropped too.
        lines = Files.readAllLines(file);
        lines.set(lines.size() - 1, lines.get(lines.size() - 1).replace("Value=3", "Value=4"));
        Files.write(file, lines);
        try (StateJournal j = journal()) {
            assertEquals(List.of(file + " line 6 is damaged (it is the last line; a crash of the machine can leave"
                    + " one so); it is dropped"), j.warnings());
            assertEquals(2, j.changes());
        }
        assertEquals(5, Files.readAllLines(file).size());
    }

    @Test
    void aStateOfTheEarlierUnchainedVersionIsRefusedSayingHowToGoOn() throws Exception {
        Path file = dir.resolve(StateJournal.FILE_NAME);
        String header = "{\"plsimState\":1,\"configSha256\":\"" + HexFormat.of().formatHex(MessageDigest
                .getInstance("SHA-256").digest(Files.readAllBytes(QUICKSTART))) + "\",\"config\":\"" + QUICKSTART
                + "\"}";
        String change = "{\"builtinPorts\":[]}";
        Files.writeString(file, withCrc(header) + "\n" + withCrc(change) + "\n");
        String why = refusedAfter(lines -> { });
        assertTrue(why.startsWith(file + " is a state of version 1, written by an earlier plsim; this plsim reads"
                + " version 2"), why);
        assertTrue(why.contains("run it with the plsim that wrote it, or remove " + file + " to start afresh"), why);
        assertFalse(why.contains("\n"), "one line");
    }

    private static String withCrc(String json) {
        CRC32 c = new CRC32();
        c.update(json.getBytes(StandardCharsets.UTF_8));
        return json + "\t" + String.format("%08x", c.getValue());
    }
}
