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
 * address. Best effort: a plsim that cannot be asked leaves the addresses unnamed.
 */
final class InterfaceDirectory {

    /** One endpoint network interface. */
    record Interface(String endpointId, String networkInterfaceId, String zoneName, String zoneId) {
        String label() {
            return zoneName + " (" + zoneId + ") " + networkInterfaceId;
        }
    }

    private InterfaceDirectory() {
    }

    /**
     * The interfaces of every endpoint of the plsim whose API is {@code api}, by private IP; empty when it
     * does not answer within {@code timeout} or answers something else.
     */
    static Map<String, Interface> fetch(URI api, Duration timeout) {
        Map<String, Interface> out = new HashMap<>();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("/admin/world")).timeout(timeout)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return out;
            }
            for (JsonNode e : new ObjectMapper().readTree(r.body()).path("endpoints")) {
                for (JsonNode i : e.path("interfaces")) {
                    out.put(i.path("privateIp").asText(), new Interface(e.path("vpcEndpointId").asText(),
                            i.path("networkInterfaceId").asText(), i.path("zoneName").asText(),
                            i.path("zoneId").asText()));
                }
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }
}
