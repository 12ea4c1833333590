package io.plsim.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestTarget;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ${name}} in a world file filled from code, and targets given in code to a {@link WorldSpec}. */
@ExtendWith(LeakCheck.class)
class PlaceholdersTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    void portsOfTheTestsOwnServersFillTheWorldFile() throws Exception {
        try (TestTarget a = TestTarget.echo(); TestTarget b = TestTarget.echo();
             PlsimWorld world = PlsimWorld.resource("placeholders.yaml").with("orders.a", a.port())
                     .with("orders.b", b::port).start()) {
            world.awaitHealthy(DEADLINE);
            Endpoint ep = world.endpoint("your-endpoint");
            PlsimWorldTest.echo(ep.address("us-east-1a"), "to a");
            PlsimWorldTest.echo(ep.address("us-east-1b"), "to b");
            assertTrue(a.saw("to a") || b.saw("to a"), "a target of the test's own saw the line");
            assertEquals(2, world.stats().targets().size());
            assertTrue(world.stats().targets().stream().allMatch(t -> t.address().startsWith("127.0.0.1:")),
                    world.stats().targets().toString());
        }
    }

    @Test
    void aPlaceholderWithoutAValueIsRefusedByNameAndLine() {
        PlsimException e = assertThrows(PlsimException.class,
                () -> PlsimWorld.resource("placeholders.yaml").with("orders.a", 9001).start());
        assertTrue(e.getMessage().startsWith("classpath:placeholders.yaml line 37: placeholder ${orders.b} has no"
                + " value; give it with .with(\"orders.b\", value)"), e.getMessage());
    }

    @Test
    void aValueNoPlaceholderUsesIsRefusedByName() {
        PlsimException e = assertThrows(PlsimException.class, () -> Placeholders.fill("w.yaml",
                "port: ${orders.a}\n", Map.of("orders.a", "1", "order.b", "2")));
        assertEquals("w.yaml: no placeholder ${order.b} for the value given; it has [orders.a]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PlsimWorld.yaml("x").with("a b", 1));
    }

    @Test
    void aTargetAddressGivenInCode() throws Exception {
        try (TestTarget a = TestTarget.echo(); TestTarget b = TestTarget.echo();
             PlsimWorld world = PlsimWorld.start(WorldSpec.builder()
                     .target("us-east-1a", new InetSocketAddress("127.0.0.1", a.port()))
                     .target("us-east-1b", b.port()).endpoint("ep"))) {
            world.awaitHealthy(DEADLINE);
            PlsimWorldTest.echo(world.endpoint("ep").address("us-east-1a"), "from code");
            assertTrue(a.saw("from code") || b.saw("from code"));
        }
    }
}
