package io.plsim.app.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Which endpoint network interface each address is, as a running plsim's {@code /admin/world} says: so
 * that {@code plsim load} can break its results down by zone (name and AZ ID) and interface, not only by
 * address; and what it counted across zones, so that the report can say what the run's cross-zone bytes
 * cost. Best effort: a plsim that cannot be asked leaves the addresses unnamed and the cost unsaid.
 */
final class InterfaceDirectory {

    /** One endpoint network interface. */
    record Interface(String endpointId, String networkInterfaceId, String zoneName, String zoneId) {
        String label() {
            return zoneName + " (" + zoneId + ") " + networkInterfaceId;
        }
    }

    /**
     * What a running plsim counted between endpoint interfaces and targets in other zones, summed over its
     * endpoints and load balancers, with the price per GB it estimates them at.
     */
    record CrossZone(long bytesToTarget, long bytesToConsumer, double pricePerGb) {
        long bytes() {
            return bytesToTarget + bytesToConsumer;
        }

        double cost() {
            return io.plsim.dataplane.CrossZoneTraffic.cost(bytes(), pricePerGb);
        }

        /**
         * What was counted since {@code before}: the part of a run. Never below 0: an endpoint deleted
         * meanwhile takes its counters with it.
         */
        CrossZone since(CrossZone before) {
            return new CrossZone(Math.max(0, bytesToTarget - before.bytesToTarget),
                    Math.max(0, bytesToConsumer - before.bytesToConsumer), pricePerGb);
        }
    }

    private InterfaceDirectory() {
    }

    /** The cross-zone counters of the plsim whose API is {@code api}; empty when it cannot be asked. */
    static java.util.Optional<CrossZone> crossZone(URI api, Duration timeout) {
        return world(api, timeout).map(w -> w.path("crossZone")).filter(c -> c.has("pricePerGb")).map(c -> {
            long toTarget = 0;
            long toConsumer = 0;
            for (JsonNode p : c.path("pairs")) {
                toTarget += p.path("bytesToTarget").asLong();
                toConsumer += p.path("bytesToConsumer").asLong();
            }
            return new CrossZone(toTarget, toConsumer, c.path("pricePerGb").asDouble());
        });
    }

    /**
     * The interfaces of every endpoint of the plsim whose API is {@code api}, by private IP; empty when it
     * does not answer within {@code timeout} or answers something else.
     */
    static Map<String, Interface> fetch(URI api, Duration timeout) {
        Map<String, Interface> out = new HashMap<>();
        world(api, timeout).ifPresent(w -> {
            for (JsonNode e : w.path("endpoints")) {
                for (JsonNode i : e.path("interfaces")) {
                    out.put(i.path("privateIp").asText(), new Interface(e.path("vpcEndpointId").asText(),
                            i.path("networkInterfaceId").asText(), i.path("zoneName").asText(),
                            i.path("zoneId").asText()));
                }
            }
        });
        return out;
    }

    /** What {@code /admin/world} answers; empty when it does not answer within {@code timeout}, or not 200. */
    private static java.util.Optional<JsonNode> world(URI api, Duration timeout) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("/admin/world")).timeout(timeout)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new ObjectMapper().readTree(r.body()));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }
}
