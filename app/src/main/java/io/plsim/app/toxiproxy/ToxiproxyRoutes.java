package io.plsim.app.toxiproxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.plsim.app.api.FaultName;
import io.plsim.app.api.HttpRoutes;
import io.plsim.core.config.World;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Fault;
import io.plsim.core.model.LoadBalancer;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.FaultView;
import io.plsim.dataplane.InterfaceListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Toxiproxy's HTTP API ({@code /proxies}, {@code /proxies/{proxy}/toxics}, {@code /reset},
 * {@code /version}) over the world's faults, so that a suite written for Toxiproxy, or its clients,
 * drive plsim unchanged for what both have.
 *
 * <p>The proxies are the world's, not made through the API: one per endpoint (named as in the
 * sim-config, else by its ID; listening at its regional DNS name) and one per endpoint network
 * interface ({@code <endpoint>-<zone>}, listening at its IP), each at the load balancer's first
 * listener port. A toxic is a connection fault scoped to its proxy's endpoint or interface (every
 * listener port of it), named {@code <proxy>/<toxic>} among the world's faults, with Toxiproxy's
 * types, attribute names, units, streams and toxicity (see {@link ToxicKind}). A disabled proxy
 * resets every connection at once, open ones included. What Toxiproxy has and plsim cannot map (a
 * proxy made, moved or deleted, a toxic type plsim has no fault for) is refused with Toxiproxy's
 * own error shape, {@code {"error": ..., "status": ...}} (with {@code "title"} too, as before 2.2).
 */
public final class ToxiproxyRoutes implements HttpRoutes {

    /** What {@code GET /version} answers: the Toxiproxy API version followed, and that it is plsim's. */
    public static final String VERSION = "2.5.0-plsim";
    /** The default port, Toxiproxy's. */
    public static final int DEFAULT_PORT = 8474;
    private static final String DISABLED = "(disabled)";

    private final DataPlane dp;
    private final World world;
    // A key given twice is refused, not read as its last value.
    private final ObjectMapper mapper = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    public ToxiproxyRoutes(DataPlane dp) {
        this.dp = dp;
        this.world = dp.world();
    }

    /** One proxy: a name, where it listens, what it forwards to, and the faults' scope it stands for. */
    record ProxyView(String name, String listen, String upstream, Fault.Scope scope) {
    }

    // ---------------------------------------------------------------- the proxies

    List<ProxyView> proxies() {
        Map<String, String> names = new LinkedHashMap<>();
        world.endpointIds().forEach((name, id) -> names.put(id, name));
        List<ProxyView> out = new ArrayList<>();
        for (VpcEndpoint e : world.controlPlane().endpoints()) {
            List<InterfaceListener> ls = dp.listeners(e.vpcEndpointId());
            if (ls.isEmpty()) {
                continue;
            }
            int port = ls.stream().mapToInt(InterfaceListener::port).min().orElseThrow();
            String base = names.getOrDefault(e.vpcEndpointId(), e.vpcEndpointId());
            String regional = e.dnsEntries().stream().filter(d -> d.zoneName() == null).map(d -> d.dnsName())
                    .findFirst().orElse(e.vpcEndpointId());
            out.add(new ProxyView(base, regional + ":" + port, e.serviceName() + ":" + port,
                    new Fault.Scope(null, e.vpcEndpointId(), null, null, null)));
            for (EndpointInterface i : e.interfaces()) {
                if (ls.stream().noneMatch(l -> l.ip().equals(i.privateIp()))) {
                    continue;
                }
                out.add(new ProxyView(base + "-" + i.zoneName(), i.privateIp() + ":" + port,
                        nodeOf(i).map(n -> n + ":" + port).orElse(e.serviceName() + ":" + port),
                        new Fault.Scope(null, null, i.privateIp(), null, null)));
            }
        }
        return out;
    }

    private Optional<String> nodeOf(EndpointInterface i) {
        LoadBalancer lb = world.topology().loadBalancers().get(i.loadBalancerArn());
        return lb == null ? Optional.empty() : lb.nodes().stream().filter(n -> n.zoneId().equals(i.zoneId()))
                .map(LoadBalancer.NlbNodeSpec::ipText).findFirst();
    }

    private Optional<ProxyView> proxy(String name) {
        return proxies().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private List<FaultView> toxicsOf(ProxyView p) {
        return dp.faults().stream().filter(f -> f.name() != null && f.name().startsWith(p.name() + "/")
                && !f.name().equals(p.name() + "/" + DISABLED)).toList();
    }

    private boolean enabled(ProxyView p) {
        return dp.faults().stream().noneMatch(f -> (p.name() + "/" + DISABLED).equals(f.name()));
    }

    private ObjectNode proxyJson(ProxyView p) {
        ObjectNode o = mapper.createObjectNode();
        o.put("name", p.name());
        o.put("listen", p.listen());
        o.put("upstream", p.upstream());
        o.put("enabled", enabled(p));
        ArrayNode toxics = o.putArray("toxics");
        toxicsOf(p).forEach(f -> toxics.add(toxicJson(p, f)));
        return o;
    }

    private ObjectNode toxicJson(ProxyView p, FaultView f) {
        Fault fault = f.fault();
        ToxicKind kind = ToxicKind.of(fault.kind()).orElseThrow();
        ObjectNode o = mapper.createObjectNode();
        o.put("name", f.name().substring(p.name().length() + 1));
        o.put("type", kind.wire);
        o.put("stream", fault.stream() == Fault.Stream.UPSTREAM ? "upstream" : "downstream");
        o.put("toxicity", fault.toxicity());
        ObjectNode attributes = o.putObject("attributes");
        kind.attributes.forEach((wire, param) -> attributes.put(wire, fault.params().getOrDefault(param, 0L)));
        return o;
    }

    // ---------------------------------------------------------------- routes

    @Override
    public Reply get(String path, String query) {
        String[] parts = parts(path);
        if (path.equals("/version")) {
            return new Reply(200, "text/plain; charset=utf-8", VERSION);
        }
        if (path.equals("/proxies")) {
            ObjectNode all = mapper.createObjectNode();
            proxies().forEach(p -> all.set(p.name(), proxyJson(p)));
            return json(200, all);
        }
        if (parts.length >= 2 && parts[0].equals("proxies")) {
            Optional<ProxyView> p = proxy(parts[1]);
            if (p.isEmpty()) {
                return error(404, "proxy not found");
            }
            if (parts.length == 2) {
                return json(200, proxyJson(p.get()));
            }
            if (parts.length == 3 && parts[2].equals("toxics")) {
                ArrayNode list = mapper.createArrayNode();
                toxicsOf(p.get()).forEach(f -> list.add(toxicJson(p.get(), f)));
                return json(200, list);
            }
            if (parts.length == 4 && parts[2].equals("toxics")) {
                return toxic(p.get(), parts[3]).map(f -> json(200, toxicJson(p.get(), f)))
                        .orElseGet(() -> error(404, "toxic not found"));
            }
        }
        return null;
    }

    @Override
    public Reply post(String path, String query, String body) {
        String[] parts = parts(path);
        if (path.equals("/reset")) {
            List<ProxyView> all = proxies();
            dp.faults().stream().filter(f -> f.name() != null && all.stream()
                    .anyMatch(p -> f.name().startsWith(p.name() + "/"))).forEach(f -> dp.removeFault(f.id()));
            return new Reply(204, "application/json", "");
        }
        JsonNode in;
        try {
            in = body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return error(400, "bad request body: not JSON (" + e.getOriginalMessage() + ")");
        }
        if (path.equals("/proxies") || path.equals("/populate")) {
            return create(in, path.equals("/populate"));
        }
        if (parts.length >= 2 && parts[0].equals("proxies")) {
            Optional<ProxyView> p = proxy(parts[1]);
            if (p.isEmpty()) {
                return error(404, "proxy not found");
            }
            if (parts.length == 2) {
                return updateProxy(p.get(), in);
            }
            if (parts.length == 3 && parts[2].equals("toxics")) {
                return createToxic(p.get(), in);
            }
            if (parts.length == 4 && parts[2].equals("toxics")) {
                return updateToxic(p.get(), parts[3], in);
            }
        }
        return null;
    }

    @Override
    public Reply delete(String path, String query) {
        String[] parts = parts(path);
        if (parts.length >= 2 && parts[0].equals("proxies")) {
            Optional<ProxyView> p = proxy(parts[1]);
            if (p.isEmpty()) {
                return error(404, "proxy not found");
            }
            if (parts.length == 2) {
                return error(400, "bad request body: plsim's proxies are the world's endpoints and interfaces and"
                        + " cannot be deleted; disable one with {\"enabled\": false}");
            }
            if (parts.length == 4 && parts[2].equals("toxics")) {
                Optional<FaultView> f = toxic(p.get(), parts[3]);
                if (f.isEmpty()) {
                    return error(404, "toxic not found");
                }
                dp.removeFault(f.get().id());
                return new Reply(204, "application/json", "");
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- proxies

    private Reply create(JsonNode in, boolean populate) {
        List<JsonNode> asked = new ArrayList<>();
        if (populate && in.isArray()) {
            in.forEach(asked::add);
        } else if (!populate && in.isObject()) {
            asked.add(in);
        } else {
            return error(400, "bad request body: expected " + (populate ? "an array of proxies" : "a proxy object"));
        }
        ArrayNode found = mapper.createArrayNode();
        for (JsonNode a : asked) {
            String name = a.path("name").asText("");
            if (name.isEmpty()) {
                return error(400, "missing required field: name");
            }
            Optional<ProxyView> p = proxy(name);
            if (p.isEmpty()) {
                return error(400, "bad request body: plsim cannot create proxy " + name + ": its proxies are the"
                        + " world's endpoints and their interfaces (" + String.join(", ",
                        proxies().stream().map(ProxyView::name).toList()) + ")");
            }
            if (!populate) {
                return error(409, "proxy already exists");
            }
            found.add(proxyJson(p.get()));
        }
        ObjectNode out = mapper.createObjectNode();
        out.set("proxies", found);
        return json(201, out);
    }

    private Reply updateProxy(ProxyView p, JsonNode in) {
        for (String moved : List.of("listen", "upstream")) {
            if (in.has(moved) && !in.get(moved).asText().equals(moved.equals("listen") ? p.listen() : p.upstream())) {
                return error(400, "bad request body: plsim cannot change a proxy's " + moved + "; it is where the"
                        + " world's endpoint listens and forwards");
            }
        }
        if (in.has("enabled")) {
            if (!in.get("enabled").isBoolean()) {
                return error(400, "bad request body: enabled must be true or false");
            }
            boolean on = in.get("enabled").asBoolean();
            String name = p.name() + "/" + DISABLED;
            if (on) {
                dp.removeFault(name);
            } else if (enabled(p)) {
                try {
                    dp.addFault(new Fault(Fault.Kind.RESET_PEER, Fault.Stream.BOTH, 1.0, p.scope(),
                            Map.of("timeout", 0L)), name);
                } catch (IllegalArgumentException e) {
                    return refusedByTheWorld(e);
                }
            }
        }
        return json(200, proxyJson(p));
    }

    // ---------------------------------------------------------------- toxics

    private Optional<FaultView> toxic(ProxyView p, String name) {
        return toxicsOf(p).stream().filter(f -> f.name().equals(p.name() + "/" + name)).findFirst();
    }

    private Reply createToxic(ProxyView p, JsonNode in) {
        if (!in.isObject()) {
            return error(400, "bad request body: expected a toxic object");
        }
        String type = in.path("type").asText("");
        Optional<ToxicKind> kind = ToxicKind.ofWire(type);
        if (kind.isEmpty()) {
            return error(400, "invalid toxic type" + (type.isEmpty() ? "" : ": " + type + " (plsim maps "
                    + ToxicKind.names() + ")"));
        }
        String streamText = in.path("stream").asText("downstream");
        Optional<Fault.Stream> stream = stream(streamText);
        if (stream.isEmpty()) {
            return error(400, "stream was invalid, can be either upstream or downstream");
        }
        String name = in.path("name").asText(type + "_" + streamText);
        if (!FaultName.isWord(name)) {
            return error(400, "bad request body: a toxic's name is " + FaultName.RULE + ", found "
                    + mapper.getNodeFactory().textNode(name));
        }
        if (toxic(p, name).isPresent()) {
            return error(409, "toxic already exists");
        }
        Map<String, Long> params = new LinkedHashMap<>();
        kind.get().attributes.values().forEach(param -> params.put(param, 0L));
        Reply bad = readAttributes(kind.get(), in.path("attributes"), params);
        if (bad != null) {
            return bad;
        }
        double toxicity = in.has("toxicity") ? in.get("toxicity").asDouble(1.0) : 1.0;
        return put(p, kind.get(), stream.get(), toxicity, params, name, null);
    }

    private Reply updateToxic(ProxyView p, String name, JsonNode in) {
        Optional<FaultView> f = toxic(p, name);
        if (f.isEmpty()) {
            return error(404, "toxic not found");
        }
        Fault old = f.get().fault();
        ToxicKind kind = ToxicKind.of(old.kind()).orElseThrow();
        Map<String, Long> params = new LinkedHashMap<>(old.params());
        kind.attributes.values().forEach(param -> params.putIfAbsent(param, 0L));
        Reply bad = readAttributes(kind, in.path("attributes"), params);
        if (bad != null) {
            return bad;
        }
        Fault.Stream stream = old.stream();
        if (in.has("stream")) {
            Optional<Fault.Stream> s = stream(in.get("stream").asText());
            if (s.isEmpty()) {
                return error(400, "stream was invalid, can be either upstream or downstream");
            }
            stream = s.get();
        }
        double toxicity = in.has("toxicity") ? in.get("toxicity").asDouble(old.toxicity()) : old.toxicity();
        return put(p, kind, stream, toxicity, params, name, f.get().id());
    }

    /** Reads Toxiproxy's attributes into plsim's parameters; an answer when one is wrong, else null. */
    private Reply readAttributes(ToxicKind kind, JsonNode attributes, Map<String, Long> params) {
        if (attributes.isMissingNode() || attributes.isNull()) {
            return null;
        }
        if (!attributes.isObject()) {
            return error(400, "bad request body: attributes must be an object");
        }
        for (Map.Entry<String, String> a : kind.attributes.entrySet()) {
            JsonNode v = attributes.get(a.getKey());
            if (v == null) {
                continue;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                return error(400, "bad request body: attribute " + a.getKey() + " must be a whole number, found " + v);
            }
            params.put(a.getValue(), v.asLong());
        }
        return null;
    }

    private Reply put(ProxyView p, ToxicKind kind, Fault.Stream stream, double toxicity, Map<String, Long> params,
                      String name, String replacing) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("fault", kind.fault.wire());
        fields.put("stream", stream.wire());
        fields.put("toxicity", String.valueOf(toxicity));
        params.forEach((k, v) -> fields.put(k, String.valueOf(v)));
        Fault.Scope s = p.scope();
        if (s.endpointId() != null) {
            fields.put("endpoint", s.endpointId());
        }
        if (s.interfaceIp() != null) {
            fields.put("interface", s.interfaceIp());
        }
        Fault fault;
        try {
            fault = Fault.parse(fields);
        } catch (IllegalArgumentException e) {
            return error(400, "bad request body: " + e.getMessage());
        }
        FaultView f;
        try {
            f = replacing == null ? dp.addFault(fault, p.name() + "/" + name)
                    : dp.updateFault(replacing, fault).orElseThrow();
        } catch (IllegalArgumentException e) {
            return refusedByTheWorld(e);
        }
        return json(200, toxicJson(p, f));
    }

    /**
     * A fault the world would not take (its limit of faults in force reached, or the proxy's endpoint
     * gone since): {@code 409}, as the admin API answers it, in Toxiproxy's shape.
     */
    private Reply refusedByTheWorld(IllegalArgumentException e) {
        return error(409, e.getMessage());
    }

    private static Optional<Fault.Stream> stream(String text) {
        return switch (text) {
            case "upstream" -> Optional.of(Fault.Stream.UPSTREAM);
            case "downstream" -> Optional.of(Fault.Stream.DOWNSTREAM);
            default -> Optional.empty();
        };
    }

    // ---------------------------------------------------------------- answers

    private static String[] parts(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    private Reply json(int status, JsonNode body) {
        return Reply.json(status, body.toString());
    }

    /** Refusals in Toxiproxy's error shape too, which its clients parse whatever the status. */
    @Override
    public Reply refusal(int status, String reason) {
        return error(status, reason.strip());
    }

    private Reply error(int status, String title) {
        // Toxiproxy 2.2 and later say "error"; earlier ones, and the clients written for them, "title".
        ObjectNode o = mapper.createObjectNode();
        o.put("error", title);
        o.put("status", status);
        o.put("title", title);
        return Reply.json(status, o.toString());
    }
}
