package io.plsim.dataplane.cli;

import io.plsim.core.config.ConfigProblem;
import io.plsim.core.config.SimConfigException;
import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.DataPlaneException;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.Transport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Starts the world of a sim-config: every endpoint network interface listens on its private IP"
                + " at each listener port of its load balancer, and relays through the NLB node of its zone to a"
                + " target.",
                "Prints one line per interface listener once all are up:",
                "  endpoint <vpce-id> <zone-name> <ip>:<port> -> <service-id>",
                "then runs until interrupted (Ctrl-C), and shuts down gracefully."})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The sim-config (YAML) to run.")
    Path file;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long open connections may finish at shutdown before they are reset (default: ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Option(names = "--transport", paramLabel = "epoll|nio", defaultValue = "auto",
            description = "Socket transport: auto (native epoll where present, else NIO), epoll or nio.")
    String transport;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0",
            description = "Event loop threads for connections; 0 for two per core.")
    int ioThreads;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        World world;
        try {
            world = SimConfigLoader.load(file);
        } catch (SimConfigException e) {
            e.problems().stream().map(ConfigProblem::toString).forEach(err::println);
            return Plsim.EXIT_BAD_INPUT;
        }
        Transport t = Transports.parse(transport, spec);
        if (graceSeconds < 0 || ioThreads < 0) {
            err.println("plsim run: --grace and --io-threads must not be negative");
            return Plsim.EXIT_BAD_INPUT;
        }
        List<InterfaceListener> atStart = new ArrayList<>();
        boolean[] started = {false};
        DataPlane dp;
        try {
            dp = DataPlane.start(world, t, ioThreads, l -> {
                synchronized (atStart) {
                    if (started[0]) {
                        out.println(l.line());
                        out.flush();
                    } else {
                        atStart.add(l);
                    }
                }
            });
        } catch (DataPlaneException e) {
            err.println("plsim run: " + e.getMessage());
            return 1;
        }
        synchronized (atStart) {
            atStart.forEach(l -> out.println(l.line()));
            started[0] = true;
        }
        out.println("plsim: running " + file + " (" + t.name() + "); Ctrl-C stops");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dp.close(Duration.ofSeconds(graceSeconds));
            stopped.countDown();
        }, "plsim-shutdown"));
        stopped.await();
        return 0;
    }
}
