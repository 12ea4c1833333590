package io.plsim.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.LeakCheck;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

/**
 * An endpoint's interfaces listen by the time {@code CreateVpcEndpoint} answers, and stop by the
 * time {@code DeleteVpcEndpoints} answers, however quickly the two follow each other: fifty cycles,
 * each connecting the moment create returns (no wait) and each finding nothing after delete returns,
 * the next endpoint taking the address the last one freed.
 */
@ExtendWith(LeakCheck.class)
class CreateThenConnectTest {

    @Test
    void createAnswersOnceItListensAndDeleteOnceItStopped() throws Exception {
        try (PlsimWorld world = PlsimWorld.start(WorldSpec.builder().builtinTarget("us-east-1a", "echo")
                .builtinTarget("us-east-1b", "echo").service("svc", false));
             Ec2Client consumer = PlsimWorldTest.ec2(world, "444455556666")) {
            assertTrue(world.awaitHealthy(Duration.ofSeconds(10)));
            String service = "com.amazonaws.vpce.us-east-1." + world.world().controlPlane().services().get(0).serviceId();
            for (int i = 0; i < 50; i++) {
                String id = consumer.createVpcEndpoint(r -> r.vpcEndpointType(VpcEndpointType.INTERFACE)
                        .vpcId("vpc-0f0f0f0f0f0f00002").serviceName(service).subnetIds("subnet-0f0f0f0f0f0f00021"))
                        .vpcEndpoint().vpcEndpointId();
                Endpoint e = world.endpoint(id);
                assertEquals(1, e.interfaces().size());
                assertEquals(1, e.interfaces().get(0).ports().size(), "cycle " + i + ": listening when create answered");
                InetSocketAddress at = e.address();
                PlsimWorldTest.echo(at, "cycle " + i);
                consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(id));
                assertThrows(ConnectException.class, () -> connect(at), "cycle " + i + ": nothing listens after delete");
            }
        }
    }

    private static void connect(InetSocketAddress at) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(at, 1000);
        }
    }
}
