package io.plsim.app.cli;

import static io.plsim.app.cli.PlsimCommandTest.assertContains;
import static io.plsim.app.cli.PlsimCommandTest.plsim;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.plsim.app.api.ApiServer;
import io.plsim.app.api.HttpRoutes;
import io.plsim.app.api.AdminRoutes;
import io.plsim.app.cli.PlsimCommandTest.Result;
import io.plsim.app.notify.NotificationHub;
import io.plsim.core.api.QueryApi;
import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.Transport;
import io.plsim.dataplane.WorldYaml;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code plsim fault add|update|list|remove} and {@code plsim endpoints} against a running world: what each
 * prints and exits with when the world answers, when it refuses, and when no plsim answers at all.
 */
@ExtendWith(LeakCheck.class)
class RunningInstanceCommandsTest {

    private static final int NET = TestBlocks.of(RunningInstanceCommandsTest.class);

    @Test
    void faultsAndEndpointsOfARunningWorld() throws Exception {
        String yaml = WorldYaml.in(NET).seed(3000 + NET)
                .nlb(WorldYaml.Nlb.named("nlb").listener(8443).node("us-east-1a", 10).target("us-east-1a", "builtin: echo"))
                .service("svc", false, "nlb").endpoint("first", "us-east-1b").yaml();
        World world = SimConfigLoader.load("RunningInstanceCommandsTest", yaml);
        String endpointId = world.controlPlane().endpoints().get(0).vpcEndpointId();
        try (NotificationHub hub = new NotificationHub(world.topics());
             DataPlane dp = DataPlane.start(world, Transport.best(), 1, l -> { });
             ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(),
                     new QueryApi(world), HttpRoutes.inTurn(new AdminRoutes(dp, hub)))) {
            Result endpoints = plsim("endpoints", "--api", api.url());
            assertEquals(0, endpoints.exit(), endpoints.toString());
            assertContains(endpoints.out(), endpointId, endpoints);
            assertContains(endpoints.out(), "available", endpoints);

            Result none = plsim("fault", "list", "--api", api.url());
            assertEquals(0, none.exit(), none.toString());
            assertContains(none.out(), "no fault in force", none);

            Result added = plsim("fault", "add", "--api", api.url(), "latency", "latency=100", "name=slow-a",
                    "az=use1-az1");
            assertEquals(0, added.exit(), added.toString());
            assertContains(added.out(), "(name slow-a)", added);

            Result updated = plsim("fault", "update", "--api", api.url(), "slow-a", "latency=300");
            assertEquals(0, updated.exit(), updated.toString());
            assertContains(updated.out(), "300", updated);

            Result listed = plsim("fault", "list", "--api", api.url());
            assertEquals(0, listed.exit(), listed.toString());
            assertContains(listed.out(), "(name slow-a)", listed);

            Result unknown = plsim("fault", "update", "--api", api.url(), "no-such-fault", "latency=1");
            assertEquals(1, unknown.exit(), unknown.toString());
            assertContains(unknown.err(), "plsim fault update: ", unknown);

            String id = dp.faults().get(0).id();
            Result removed = plsim("fault", "remove", "--api", api.url(), id, "fault-999");
            assertEquals(Plsim.EXIT_BAD_INPUT, removed.exit(), removed.toString());
            assertContains(removed.out(), "removed ", removed);
            assertContains(removed.err(), "plsim fault remove: ", removed);
            assertEquals(0, dp.faults().size());
        }
    }

    @Test
    void eachNamesTheRunningPlsimItTalksTo() {
        for (String[] command : new String[][] {{"endpoints"}, {"fault", "add"}, {"fault", "update"}, {"fault", "list"},
                {"fault", "remove"}, {"accept"}, {"reject"}}) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            Result help = plsim(args);
            assertEquals(0, help.exit(), help.toString());
            assertContains(help.out(), "--api=URL", help);
            assertContains(help.out(), "--access-key-id=KEY", help);
        }
    }

    @Test
    void noPlsimAnsweringIsOneLineAndExitOne() {
        String nobody = "http://127.0.0.1:1";
        for (String[] command : new String[][] {{"endpoints"}, {"fault", "list"}, {"fault", "add", "az-outage", "az=use1-az1"},
                {"fault", "update", "slow-a", "latency=1"}, {"fault", "remove", "fault-1"}}) {
            String[] args = new String[command.length + 2];
            System.arraycopy(command, 0, args, 0, command.length);
            args[command.length] = "--api";
            args[command.length + 1] = nobody;
            Result r = plsim(args);
            String name = "plsim " + String.join(" ", java.util.Arrays.copyOf(command, command[0].equals("fault") ? 2 : 1));
            assertEquals(1, r.exit(), r.toString());
            assertEquals(name + ": no plsim answers at " + nobody + "; start one with: plsim run FILE\n",
                    r.err().replace(System.lineSeparator(), "\n"), r.toString());
        }
    }
}
