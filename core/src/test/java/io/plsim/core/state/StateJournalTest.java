package io.plsim.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.api.QueryApi;
import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.LoadBalancer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal without a process around it: what a world took is replayed onto a fresh world of the same
 * file with the same IDs and creation times, a built-in target is found at the port it bound in this run,
 * and a change the fresh world refuses refuses the state, naming the line.
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
        return StateJournal.open(dir, QUICKSTART.toString(), Files.readString(QUICKSTART));
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
}
