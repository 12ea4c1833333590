package io.plsim.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "endpoints", mixinStandardHelpOptions = true,
        description = "Lists the endpoints of a running plsim with their states, interfaces and listeners.")
final class EndpointsCommand extends RunningWorldCommand {

    @Override
    int exchange(PrintWriter out) throws RunningInstance.Failure {
        JsonNode world = instance.world();
        Table t = new Table("Interface endpoints of " + world.path("source").asText(), "endpoint id", "state",
                "service id", "owner", "zone", "listeners");
        for (JsonNode e : world.path("endpoints")) {
            boolean first = true;
            for (JsonNode i : e.path("interfaces")) {
                StringBuilder listeners = new StringBuilder();
                i.path("listeners").forEach(l -> listeners.append(listeners.length() == 0 ? "" : " ").append(l.asText()));
                t.row(first ? e.path("vpcEndpointId").asText() : "", first ? e.path("state").asText() : "",
                        first ? e.path("serviceId").asText() : "", first ? e.path("owner").asText() : "",
                        i.path("zoneName").asText(), listeners.length() == 0 ? "-" : listeners.toString());
                first = false;
            }
            if (first) {
                t.row(e.path("vpcEndpointId").asText(), e.path("state").asText(), e.path("serviceId").asText(),
                        e.path("owner").asText(), "-", "-");
            }
        }
        t.print(out);
        return 0;
    }
}
