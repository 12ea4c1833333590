package io.plsim.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code plsim accept} and {@code plsim reject}: the provider's decision on endpoint connections. */
abstract class DecideCommand extends RunningWorldCommand {

    @Parameters(arity = "1..*", paramLabel = "VPCE_ID", description = "The endpoints (vpce-...) to decide on.")
    List<String> endpointIds;

    private static final Pattern UNSUCCESSFUL = Pattern.compile(
            "<item><error><code>([^<]*)</code><message>([^<]*)</message></error><resourceId>([^<]*)</resourceId></item>");

    abstract String action();

    @Override
    int exchange(PrintWriter out) throws RunningInstance.Failure {
        String verb = action().startsWith("Accept") ? "accept" : "reject";
        JsonNode world = instance.world();
        String region = instance.region(world);
        Map<String, List<String>> byService = new LinkedHashMap<>();
        for (String id : endpointIds) {
            JsonNode e = find(world, id);
            if (e == null) {
                return refused("no endpoint " + id + " in the running world", Plsim.EXIT_BAD_INPUT);
            }
            byService.computeIfAbsent(e.path("serviceId").asText(), k -> new java.util.ArrayList<>()).add(id);
        }
        int failed = 0;
        for (Map.Entry<String, List<String>> s : byService.entrySet()) {
            String key = instance.accessKeyId != null ? instance.accessKeyId : owner(world, s.getKey());
            Map<String, String> p = new LinkedHashMap<>();
            p.put("Action", action());
            p.put("Version", "2016-11-15");
            p.put("ServiceId", s.getKey());
            for (int i = 0; i < s.getValue().size(); i++) {
                p.put("VpcEndpointId." + (i + 1), s.getValue().get(i));
            }
            String xml = instance.call(key, region, p);
            Matcher m = UNSUCCESSFUL.matcher(xml);
            java.util.Set<String> bad = new java.util.HashSet<>();
            while (m.find()) {
                report(m.group(3) + ": " + m.group(1) + ": " + m.group(2));
                bad.add(m.group(3));
                failed++;
            }
            s.getValue().stream().filter(id -> !bad.contains(id))
                    .forEach(id -> out.println(id + " " + (verb.equals("accept") ? "accepted" : "rejected")));
        }
        return failed == 0 ? 0 : 1;
    }

    private static JsonNode find(JsonNode world, String id) {
        for (JsonNode e : world.path("endpoints")) {
            if (e.path("vpcEndpointId").asText().equals(id)) {
                return e;
            }
        }
        return null;
    }

    private static String owner(JsonNode world, String serviceId) {
        for (JsonNode s : world.path("services")) {
            if (s.path("serviceId").asText().equals(serviceId)) {
                return s.path("owner").asText();
            }
        }
        return serviceId;
    }

    @Command(name = "accept", mixinStandardHelpOptions = true,
            description = "Accepts endpoint connection requests on a running plsim, as the service owner"
                    + " (accept-vpc-endpoint-connections).")
    static final class Accept extends DecideCommand {
        @Override
        String action() {
            return "AcceptVpcEndpointConnections";
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Rejects endpoint connections on a running plsim, as the service owner; open connections"
                    + " through them are reset (reject-vpc-endpoint-connections).")
    static final class Reject extends DecideCommand {
        @Override
        String action() {
            return "RejectVpcEndpointConnections";
        }
    }
}
