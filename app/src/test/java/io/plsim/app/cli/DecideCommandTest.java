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
import io.plsim.core.control.EndpointState;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.Transport;
import io.plsim.dataplane.WorldYaml;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * {@code plsim accept} and {@code plsim reject} against a running world outside us-east-1: they sign
 * for the world's region, as its API only takes signatures for that region.
 */
class DecideCommandTest {

    private static final int NET = TestBlocks.of(DecideCommandTest.class);

    @Test
    void acceptAndRejectInEuWest1() throws Exception {
        String yaml = WorldYaml.in(NET).seed(3000 + NET)
                .nlb(WorldYaml.Nlb.named("nlb").listener(8443).node("us-east-1a", 10).target("us-east-1a", "builtin: echo"))
                .service("svc", true, "nlb").endpoint("first", "us-east-1b").yaml()
                .replace("us-east-1", "eu-west-1").replace("use1-", "euw1-");
        World world = SimConfigLoader.load("DecideCommandTest", yaml);
        assertEquals("eu-west-1", world.topology().region());
        VpcEndpoint endpoint = world.controlPlane().endpoints().get(0);
        try (NotificationHub hub = new NotificationHub(world.topics());
             DataPlane dp = DataPlane.start(world, Transport.best(), 1, l -> { });
             ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(),
                     new QueryApi(world), HttpRoutes.inTurn(new AdminRoutes(dp, hub)))) {
            assertEquals(EndpointState.PENDING_ACCEPTANCE, state(world));
            Result accepted = plsim("accept", "--api", api.url(), endpoint.vpcEndpointId());
            assertEquals(0, accepted.exit(), accepted.toString());
            assertContains(accepted.out(), endpoint.vpcEndpointId() + " accepted", accepted);
            assertEquals(EndpointState.AVAILABLE, state(world));
            Result rejected = plsim("reject", "--api", api.url(), endpoint.vpcEndpointId());
            assertEquals(0, rejected.exit(), rejected.toString());
            assertEquals(EndpointState.REJECTED, state(world));
        }
    }

    private static EndpointState state(World world) {
        return world.controlPlane().endpoints().get(0).state();
    }
}
