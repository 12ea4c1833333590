package io.plsim.app.cli;

import io.plsim.core.config.ConfigProblem;
import io.plsim.core.config.SimConfigException;
import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.DataPlaneException;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Plays the main job on an embedded world, unattended, in a few seconds: a provider NLB with"
                + " built-in targets in two zones behind a service that requires acceptance, and a consumer"
                + " endpoint in both zones.",
                "Shows a connection denied while the endpoint is pendingAcceptance, the provider accepting, traffic"
                        + " flowing with the Proxy Protocol header the target saw, the spread over targets with"
                        + " cross-zone off and on, and the provider rejecting with the open connections cut.",
                "Ends with a summary table; exit 0 when every step behaved as PrivateLink does."})
final class DemoCommand implements Callable<Integer> {

    static final String WORLD = "demo-world.yaml";

    @Spec
    CommandSpec spec;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "200",
            description = "Connections per endpoint interface in each spread step, 10 to 5000 (default: ${DEFAULT-VALUE}).")
    int connections;

    @Mixin
    TransportOption transport;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (connections < 10 || connections > 5000) {
            err.println("plsim demo: --connections must be from 10 to 5000, found " + connections);
            return Plsim.EXIT_BAD_INPUT;
        }
        Transport.Choice chosen = transport.choice();
        Transport t = chosen.transport();
        World world;
        try {
            world = SimConfigLoader.load(WORLD + " (embedded)", embeddedWorld());
        } catch (SimConfigException e) {
            e.problems().stream().map(ConfigProblem::toString).forEach(err::println);
            return 1;
        }
        DataPlane dp;
        try {
            dp = DataPlane.start(world, t, 0, l -> { });
        } catch (DataPlaneException e) {
            err.println("plsim demo: " + e.getMessage());
            return 1;
        }
        try {
            out.println("plsim demo on " + chosen.describe() + ": the provider 111122223333 offers a service behind an NLB in"
                    + " two zones; the consumer 444455556666 has an interface endpoint in both.");
            for (InterfaceListener l : dp.listeners()) {
                out.println("  " + l.line());
            }
            out.println();
            return new Demo(world, dp, out, connections).play() ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("plsim demo: interrupted");
            return 1;
        } finally {
            dp.close(Duration.ofSeconds(1));
        }
    }

    static String embeddedWorld() {
        try (InputStream in = DemoCommand.class.getResourceAsStream(WORLD)) {
            if (in == null) {
                throw new IllegalStateException(WORLD + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
