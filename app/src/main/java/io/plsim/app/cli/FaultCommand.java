package io.plsim.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.plsim.core.model.Fault;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "fault", mixinStandardHelpOptions = true,
        description = "Adds, lists and removes faults on a running plsim.",
        subcommands = {FaultCommand.Add.class, FaultCommand.Update.class, FaultCommand.ListFaults.class,
                FaultCommand.Remove.class})
final class FaultCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The {@code key=value} arguments of a command, in order; a bad one is a usage error naming it. */
    static Map<String, String> keyValues(CommandSpec spec, List<String> fields) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String kv : fields) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "expected key=value, found " + kv);
            }
            map.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return map;
    }

    static void print(PrintWriter out, JsonNode f) {
        out.println(f.path("description").asText() + (f.hasNonNull("name") ? "  (name " + f.path("name").asText() + ")" : ""));
        if (f.hasNonNull("roundTrip")) {
            out.println("  " + f.path("roundTrip").asText());
        }
        JsonNode applies = f.path("appliesTo");
        applies.path("interfaces").forEach(i -> out.println("  interface " + i.path("ip").asText() + " of "
                + i.path("endpoint").asText() + " (" + i.path("zoneId").asText() + ")"));
        applies.path("nodes").forEach(n -> out.println("  node " + n.path("ip").asText() + " of "
                + n.path("loadBalancer").asText() + " (" + n.path("zoneId").asText() + ")"));
        applies.path("targets").forEach(t -> out.println("  target " + t.path("address").asText() + " of "
                + t.path("loadBalancer").asText() + " (" + t.path("zoneId").asText() + ")"));
        f.path("healthChecks").forEach(h -> out.println("  " + h.path("note").asText()));
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Puts a fault in force and prints exactly what it applies to.",
                "Fields are key=value: the kind's parameters (milliseconds, KB/s, bytes, counts), stream=upstream|"
                        + "downstream|both, toxicity=0..1, and the scope az=<AZ ID>, endpoint=<vpce-id>,"
                        + " interface=<ip>, node=<ip>, target=<host:port>.",
                "Kinds: latency latency= [jitter=]; bandwidth rate=; slow-close delay=; timeout [timeout=];"
                        + " reset-peer [timeout=]; slicer averageSize= [sizeVariation=] [delay=us]; limit-data bytes=;"
                        + " refuse-first-n count=; az-outage az=; node-down node=; target-down, target-blackhole,"
                        + " target-unhealthy target= or az=.",
                "Example: plsim fault add latency latency=100 jitter=20 az=use1-az1 stream=downstream"})
    static final class Add extends RunningWorldCommand {

        @Parameters(index = "0", paramLabel = "KIND", description = "The fault kind, e.g. latency, az-outage.")
        String kind;

        @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "The fault's fields.")
        List<String> fields = List.of();

        @Override
        int exchange(PrintWriter out) throws RunningInstance.Failure {
            Map<String, String> map = new LinkedHashMap<>();
            map.put("fault", kind);
            map.putAll(keyValues(spec, fields));
            try {
                Map<String, String> checked = new LinkedHashMap<>(map);
                checked.remove("name");
                Fault.parse(checked);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            ObjectNode body = JSON.createObjectNode();
            map.forEach(body::put);
            RunningInstance.Answer a = instance.admin("POST", "/admin/faults", body.toString());
            if (a.status() != 201) {
                return refused(a.error(), Plsim.EXIT_BAD_INPUT);
            }
            print(out, a.json());
            return 0;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Changes a fault in force in place, as Toxiproxy updates a toxic: the fields given change,"
                    + " the others stay; new connections, open ones and health checks follow at once.",
                "Example: plsim fault add latency latency=100 name=slow-a az=use1-az1; plsim fault update slow-a latency=300"})
    static final class Update extends RunningWorldCommand {

        @Parameters(index = "0", paramLabel = "ID|NAME", description = "The fault: its ID (fault-N) or its name.")
        String fault;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE", description = "The fields to change.")
        List<String> fields = List.of();

        @Override
        int exchange(PrintWriter out) throws RunningInstance.Failure {
            ObjectNode body = JSON.createObjectNode();
            keyValues(spec, fields).forEach(body::put);
            RunningInstance.Answer a = instance.admin("PATCH", "/admin/faults/"
                    + java.net.URLEncoder.encode(fault, java.nio.charset.StandardCharsets.UTF_8), body.toString());
            if (a.status() != 200) {
                return refused(a.error(), a.status() == 404 ? 1 : Plsim.EXIT_BAD_INPUT);
            }
            print(out, a.json());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the faults in force.")
    static final class ListFaults extends RunningWorldCommand {

        @Override
        int exchange(PrintWriter out) throws RunningInstance.Failure {
            RunningInstance.Answer a = instance.admin("GET", "/admin/faults", null);
            if (a.json().isEmpty()) {
                out.println("no fault in force");
            }
            a.json().forEach(f -> print(out, f));
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Ends faults by ID (fault-N).")
    static final class Remove extends RunningWorldCommand {

        @Parameters(arity = "1..*", paramLabel = "ID", description = "The faults to end.")
        List<String> ids;

        @Override
        int exchange(PrintWriter out) throws RunningInstance.Failure {
            int failed = 0;
            for (String id : ids) {
                RunningInstance.Answer a = instance.admin("DELETE", "/admin/faults/" + id, null);
                if (a.status() == 200) {
                    out.println("removed " + a.json().path("description").asText());
                } else {
                    failed++;
                    report(a.error());
                }
            }
            return failed == 0 ? 0 : Plsim.EXIT_BAD_INPUT;
        }
    }
}
