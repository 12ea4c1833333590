package io.plsim.app.cli;

import io.plsim.app.api.AllowedHosts;
import io.plsim.app.api.ApiServer;
import io.plsim.app.dns.DnsServer;
import io.plsim.app.console.ConsoleRoutes;
import io.plsim.app.dns.EndpointDnsNames;
import io.plsim.app.host.WorldHost;
import io.plsim.app.toxiproxy.ToxiproxyRoutes;
import io.plsim.core.config.World;
import io.plsim.core.state.ReplayClock;
import io.plsim.core.state.StateException;
import io.plsim.core.state.StateJournal;
import io.plsim.dataplane.EventLog;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.Transport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

    @Mixin
    SimConfigFile file;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long open connections may finish at shutdown before they are reset (default: ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Mixin
    TransportOption transport;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0",
            description = "Event loop threads for connections; 0 for one per core.")
    int ioThreads;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "" + ApiServer.DEFAULT_PORT,
            description = "Port of the EC2 API, admin JSON and metrics on 127.0.0.1 (default: ${DEFAULT-VALUE});"
                    + " 0 picks a free port.")
    int apiPort;

    @Option(names = "--dns-port", paramLabel = "PORT", defaultValue = "" + DnsServer.DEFAULT_PORT,
            description = "Port (UDP and TCP) of the endpoint DNS server on 127.0.0.1 (default: ${DEFAULT-VALUE});"
                    + " 0 picks a free port.")
    int dnsPort;

    @Option(names = "--toxiproxy-port", paramLabel = "PORT",
            description = "Also serve Toxiproxy's HTTP API (/proxies, /toxics, /reset, /version) on 127.0.0.1:PORT"
                    + " (Toxiproxy's own is " + ToxiproxyRoutes.DEFAULT_PORT + "; 0 picks a free port), its proxies"
                    + " the world's endpoints and interfaces, its toxics plsim's connection faults. Off without it.")
    Integer toxiproxyPort;

    @Option(names = AllowedHosts.FLAG, paramLabel = "NAME[:PORT]",
            description = {"Also answer HTTP requests whose Host is NAME (on any port, or on PORT), on the API and"
                    + " Toxiproxy ports; repeatable; * for any. Without it only 127.0.0.1, localhost and [::1] of each"
                    + " server's own port are answered, so that no web page can reach plsim by DNS rebinding. For a"
                    + " plsim in a container or on another machine, or behind a tunnel that moves its port."})
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--state", paramLabel = "DIR",
            description = {"Keep what the API changes (services, permissions, endpoints and their states,"
                    + " notifications, tags, targets, attributes) in DIR/" + StateJournal.FILE_NAME + ", and start"
                    + " from it when DIR holds a state of this same sim-config. Without it nothing is written."})
    Path stateDir;

    @Option(names = "--events", paramLabel = "FILE",
            description = "Also append every event (state changes, health transitions) to FILE as JSON lines.")
    Path eventsFile;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReplayClock clock = new ReplayClock();
        Optional<SimConfigFile.Read> loaded = file.read(err, clock);
        if (loaded.isEmpty()) {
            return Plsim.EXIT_BAD_INPUT;
        }
        World world = loaded.get().world();
        Transport.Choice chosen = transport.choice();
        Transport t = chosen.transport();
        if (graceSeconds < 0 || ioThreads < 0) {
            err.println("plsim run: --grace and --io-threads must not be negative");
            return Plsim.EXIT_BAD_INPUT;
        }
        if (apiPort < 0 || apiPort > 65535) {
            err.println("plsim run: --api-port must be from 0 to 65535, found " + apiPort);
            return Plsim.EXIT_BAD_INPUT;
        }
        if (toxiproxyPort != null && (toxiproxyPort < 0 || toxiproxyPort > 65535)) {
            err.println("plsim run: --toxiproxy-port must be from 0 to 65535, found " + toxiproxyPort);
            return Plsim.EXIT_BAD_INPUT;
        }
        if (dnsPort < 0 || dnsPort > 65535) {
            err.println("plsim run: --dns-port must be from 0 to 65535, found " + dnsPort);
            return Plsim.EXIT_BAD_INPUT;
        }
        AllowedHosts allowed;
        try {
            allowed = AllowedHosts.of(allowHosts);
        } catch (IllegalArgumentException e) {
            err.println("plsim run: " + e.getMessage());
            return Plsim.EXIT_BAD_INPUT;
        }
        EventLog events;
        try {
            events = eventsFile == null ? new EventLog(Clock.systemUTC()) : new EventLog(Clock.systemUTC(), eventsFile);
        } catch (IOException e) {
            err.println("plsim run: --events " + eventsFile + ": cannot write: " + e.getMessage());
            return Plsim.EXIT_BAD_INPUT;
        }
        StateJournal journal = null;
        if (stateDir != null) {
            try {
                journal = StateJournal.open(stateDir, file.toString(), loaded.get().text());
            } catch (StateException e) {
                err.println("plsim run: " + e.getMessage());
                events.close();
                return Plsim.EXIT_BAD_INPUT;
            }
            journal.warnings().forEach(w -> err.println("plsim run: " + w));
        }
        List<InterfaceListener> atStart = new ArrayList<>();
        boolean[] started = {false};
        StateJournal kept = journal;
        WorldHost host;
        try {
            host = WorldHost.start(world, new WorldHost.Options(t, ioThreads, apiPort, dnsPort, events, l -> {
                synchronized (atStart) {
                    if (started[0]) {
                        out.println(l.line());
                        out.flush();
                    } else {
                        atStart.add(l);
                    }
                }
            }, allowed), query -> {
                if (kept != null) {
                    List<Integer> builtinPorts = builtinPorts(world);
                    kept.replay(query, clock, builtinPorts);
                    kept.startRun(builtinPorts);
                    query.recordChanges(kept.recorder(clock));
                }
            });
        } catch (WorldHost.HostException e) {
            String why = switch (e.part()) {
                case DATA_PLANE, PREPARATION -> e.getMessage();
                case API -> "API server: " + e.getMessage() + " (choose another --api-port)";
                case DNS -> "DNS server: " + e.getMessage() + " (choose another --dns-port)";
                case TOXIPROXY -> "Toxiproxy API: " + e.getMessage() + " (choose another --toxiproxy-port)";
            };
            err.println("plsim run: " + why);
            closeQuietly(journal);
            events.close();
            return e.part() == WorldHost.HostException.Part.PREPARATION && e.getCause() instanceof StateException
                    ? Plsim.EXIT_BAD_INPUT : 1;
        }
        ApiServer api = host.api();
        DnsServer dns = host.dns();
        ApiServer toxiproxy = null;
        if (toxiproxyPort != null) {
            try {
                toxiproxy = host.startToxiproxy(toxiproxyPort);
            } catch (WorldHost.HostException e) {
                err.println("plsim run: Toxiproxy API: " + e.getMessage() + " (choose another --toxiproxy-port)");
                host.close();
                closeQuietly(journal);
                events.close();
                return 1;
            }
        }
        synchronized (atStart) {
            out.println("plsim run " + file + " on " + chosen.describe());
            atStart.forEach(l -> out.println(l.line()));
            started[0] = true;
        }
        out.println("api " + api.url() + "  (aws ec2 --endpoint-url " + api.url() + " ...; admin "
                + api.url() + "/admin/world; metrics " + api.url() + "/metrics)");
        out.println("console " + api.url() + ConsoleRoutes.PATH + "  (the guide's console steps, and the data plane live,"
                + " in a browser)");
        if (toxiproxy != null) {
            out.println("toxiproxy " + toxiproxy.url() + "  (Toxiproxy's API: GET " + toxiproxy.url() + "/proxies)");
        }
        out.println("dns " + dns.hostPort() + "  (dig @127.0.0.1 -p " + dns.address().getPort() + " "
                + EndpointDnsNames.example(world.controlPlane()) + ")");
        EndpointDnsNames.lines(world.controlPlane()).forEach(out::println);
        host.privateZones().onResolver(line -> {
            out.println(line);
            out.flush();
        });
        if (journal != null) {
            out.println("state " + journal.file() + "  (" + journal.changes() + " changes replayed; every API"
                    + " change is kept there)");
        }
        out.println("plsim: running " + file + " (" + t.name() + "); Ctrl-C stops");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // On plsim's own output: the JDK's logging may already be reset by its own shutdown hook.
            host.stop(Duration.ofSeconds(graceSeconds)).forEach(line -> {
                err.println("plsim: " + line);
                err.flush();
            });
            events.close();
            closeQuietly(kept);
            stopped.countDown();
        }, "plsim-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * The ports the world's built-in targets bound in this run, load balancer by load balancer in the
     * sim-config's order: a state names a built-in target by the port it had when a change was made.
     */
    private static List<Integer> builtinPorts(World world) {
        List<Integer> ports = new ArrayList<>();
        for (io.plsim.core.model.LoadBalancer lb : world.topology().loadBalancers().values()) {
            if (lb.isNetwork()) {
                world.loadBalancing().registered(lb.arn()).stream()
                        .filter(x -> x.kind() != io.plsim.core.model.LoadBalancer.TargetKind.ADDRESS)
                        .forEach(x -> ports.add(x.port()));
            }
        }
        return ports;
    }

    private static void closeQuietly(StateJournal journal) {
        if (journal != null) {
            journal.close();
        }
    }
}
