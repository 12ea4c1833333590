package io.plsim.app.cli;

import io.plsim.core.config.SimConfigException;
import io.plsim.core.config.World;
import io.plsim.dataplane.DataPlaneException;
import io.plsim.dataplane.EventLog;
import io.plsim.dataplane.Transport;
import io.plsim.app.scenario.ScenarioReport;
import io.plsim.app.scenario.ScenarioRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "scenario", mixinStandardHelpOptions = true,
        description = {"Plays the fault experiment of a sim-config's scenario section: starts the world, drives steady"
                + " traffic through every endpoint's regional DNS name with a built-in client, switches faults on and"
                + " off on the timeline, once per variant, and prints a report per variant: per second and per zone the"
                + " requests, errors by kind and p50/p99 latency, and for each fault its window against the seconds"
                + " before it and the failures blamed on it.",
                "Exits 0 once every variant has been played; 2 when the file is wrong or has no scenario."})
final class ScenarioCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SimConfigFile file;

    @Option(names = "--events", paramLabel = "FILE",
            description = "Also append every event (faults, health, DNS, state changes) to FILE as JSON lines.")
    Path eventsFile;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the whole report as JSON: every variant, traffic mode, second, zone and fault.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the report as one self-contained page: latency and errors per zone over"
                    + " time, each fault's window shaded, per variant.")
    Path html;

    @Mixin
    TransportOption transport;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<World> loaded = file.world(err);
        if (loaded.isEmpty()) {
            return Plsim.EXIT_BAD_INPUT;
        }
        World first = loaded.get();
        if (first.scenario() == null) {
            err.println(file + ": no scenario section; see sim-configs/az-outage.yaml for one");
            return Plsim.EXIT_BAD_INPUT;
        }
        Optional<String> unwritable = OutputFiles.problem(json, html);
        if (unwritable.isPresent()) {
            err.println("plsim scenario: " + unwritable.get());
            return Plsim.EXIT_BAD_INPUT;
        }
        Transport.Choice chosen = transport.choice();
        Transport t = chosen.transport();
        chosen.fallback().ifPresent(why -> err.println("plsim scenario: " + t.name() + ", as " + why));
        EventLog events;
        try {
            events = eventsFile == null ? new EventLog(Clock.systemUTC()) : new EventLog(Clock.systemUTC(), eventsFile);
        } catch (IOException e) {
            err.println("plsim scenario: --events " + eventsFile + ": cannot write: " + e.getMessage());
            return Plsim.EXIT_BAD_INPUT;
        }
        boolean[] used = {false};
        try (events) {
            List<ScenarioReport> reports = ScenarioRunner.run(() -> {
                if (!used[0]) {
                    used[0] = true;
                    return first;
                }
                try {
                    return file.load();
                } catch (SimConfigException e) {
                    throw new UncheckedIOException(new IOException(file + " changed while the scenario ran: "
                            + e.getMessage()));
                }
            }, first.scenario(), t, events, out);
            try {
                if (json != null) {
                    ScenarioRunner.writeJson(reports, json);
                    out.println("wrote " + json);
                }
                if (html != null) {
                    ScenarioRunner.writeHtml(reports, html);
                    out.println("wrote " + html);
                }
            } catch (IOException e) {
                err.println("plsim scenario: cannot write a report file: " + e.getMessage());
                return 1;
            }
            return 0;
        } catch (DataPlaneException e) {
            err.println("plsim scenario: " + e.getMessage());
            return 1;
        } catch (UncheckedIOException e) {
            err.println("plsim scenario: " + e.getCause().getMessage());
            return 1;
        }
    }
}
