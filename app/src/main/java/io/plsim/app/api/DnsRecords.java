package io.plsim.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.plsim.app.api.HttpRoutes.Reply;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.control.TxtRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The world's public DNS on the admin API, where a provider publishes the TXT record that verifies its
 * private DNS name: {@code GET /admin/dns/records} lists the records, {@code POST} with
 * {@code {"name": ..., "type": "TXT", "value": ...}} publishes one, {@code DELETE ?name=...&value=...}
 * removes one (every value of the name without {@code value}). Routed by {@link AdminRoutes}' table.
 */
final class DnsRecords {

    public static final String PATH = "/admin/dns/records";
    // A key given twice is refused, not read as its last value.
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> FIELDS = Set.of("name", "type", "value");

    private final ControlPlane cp;

    DnsRecords(ControlPlane cp) {
        this.cp = cp;
    }

    /** GET: every record published. */
    Reply list(RouteTable.Request request) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("records");
        cp.txtRecords().forEach(r -> records.add(json(r)));
        return Reply.json(root.toPrettyString());
    }

    /** POST: publishes the record the body names. */
    Reply publish(RouteTable.Request request) {
        JsonNode n;
        try {
            n = JSON.readTree(request.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return error(400, "not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            return error(400, "expected a JSON object like {\"name\":\"_abc.api.example.test\",\"type\":\"TXT\","
                    + "\"value\":\"vpce:...\"}");
        }
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                return error(400, f + ": unknown field; expected name, type, value");
            }
            if (!n.get(f).isTextual()) {
                return error(400, f + ": expected a string");
            }
        }
        String type = n.path("type").asText("TXT");
        if (!type.equals("TXT")) {
            return error(400, "type: expected TXT, the one type of record public DNS holds here, found " + type);
        }
        if (!n.has("name") || !n.has("value")) {
            return error(400, "name and value are required");
        }
        try {
            TxtRecord r = cp.publishTxtRecord(n.get("name").asText(), n.get("value").asText());
            return Reply.json(201, json(r).toPrettyString());
        } catch (ControlPlaneException e) {
            return error(400, e.getMessage());
        }
    }

    /** DELETE: removes the record (or every value of the name) the query names. */
    Reply remove(RouteTable.Request request) {
        Map<String, List<String>> params = new QueryStringDecoder(request.query(), false).parameters();
        List<String> names = params.getOrDefault("name", List.of());
        List<String> values = params.getOrDefault("value", List.of());
        if (names.size() != 1 || values.size() > 1) {
            return error(400, "expected ?name=NAME, and &value=VALUE for one value of it");
        }
        try {
            boolean removed = cp.removeTxtRecord(names.get(0), values.isEmpty() ? null : values.get(0));
            return removed ? Reply.json(JSON.createObjectNode().put("removed", true).toPrettyString())
                    : error(404, "no such TXT record: " + names.get(0) + (values.isEmpty() ? "" : " " + values.get(0)));
        } catch (ControlPlaneException e) {
            return error(400, e.getMessage());
        }
    }

    private static ObjectNode json(TxtRecord r) {
        return JSON.createObjectNode().put("name", r.name()).put("type", "TXT").put("value", r.value());
    }

    private static Reply error(int status, String message) {
        return Reply.json(status, JSON.createObjectNode().put("error", message).toPrettyString());
    }
}
