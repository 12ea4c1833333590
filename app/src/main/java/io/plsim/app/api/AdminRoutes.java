package io.plsim.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.plsim.core.control.AllowedPrincipal;
import io.plsim.core.control.ConnectionNotification;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.ServiceConfiguration;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.LoadBalancer;
import io.plsim.dataplane.ConnectionStats;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.EventLog;
import io.plsim.dataplane.FaultReach;
import io.plsim.dataplane.FaultView;
import io.plsim.dataplane.TargetView;
import io.plsim.app.notify.Envelope;
import io.plsim.app.notify.NotificationHub;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The admin API of a running world, every route declared in one table ({@link RouteTable}): the world,
 * its events and notifications as JSON, the faults in force (listed, added, changed and removed as
 * Toxiproxy's toxics are), the world's public DNS records ({@link DnsRecords}), and {@code /metrics} in the
 * Prometheus text format. {@code GET /admin} lists the readable routes, from the same table.
 */
public final class AdminRoutes implements HttpRoutes {

    // A key given twice is refused, not read as its last value.
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final DataPlane dp;
    private final NotificationHub hub;
    private final RouteTable table;

    public AdminRoutes(DataPlane dp, NotificationHub hub) {
        this.dp = dp;
        this.hub = hub;
        DnsRecords dns = new DnsRecords(dp.world().controlPlane());
        this.table = RouteTable.builder()
                .get("/admin", r -> index())
                .get("/admin/", r -> index())
                .get("/admin/world", "/admin/world", r -> Reply.json(world().toPrettyString()))
                .get("/admin/events", "/admin/events?limit=N", r -> Reply.json(events(limit(params(r))).toPrettyString()))
                .get("/admin/notifications", "/admin/notifications?topic=ARN&limit=N", r -> Reply.json(
                        notifications(first(params(r), "topic"), notificationLimit(first(params(r), "limit")))
                                .toPrettyString()))
                .get("/admin/faults", "/admin/faults", r -> Reply.json(faultList().toPrettyString()))
                .post("/admin/faults", r -> addFault(r.body()))
                .patch("/admin/faults/{fault}", r -> updateFault(r.tail(), r.body()))
                .delete("/admin/faults/{fault}", r -> removeFault(r.tail()))
                .get(DnsRecords.PATH, DnsRecords.PATH, dns::list)
                .post(DnsRecords.PATH, dns::publish)
                .delete(DnsRecords.PATH, dns::remove)
                .get("/metrics", "/metrics", r -> Reply.text(Metrics.render(dp, hub)))
                .build();
    }

    @Override
    public Reply get(String path, String query) {
        return table.get(path, query);
    }

    @Override
    public Reply post(String path, String query, String body) {
        return table.post(path, query, body);
    }

    @Override
    public Reply patch(String path, String query, String body) {
        return table.patch(path, query, body);
    }

    @Override
    public Reply delete(String path, String query) {
        return table.delete(path, query);
    }

    private Reply index() {
        ObjectNode root = JSON.createObjectNode();
        table.listed().forEach(root.putArray("routes")::add);
        return Reply.json(root.toString());
    }

    private static Map<String, List<String>> params(RouteTable.Request r) {
        return new QueryStringDecoder(r.query(), false).parameters();
    }

    /** POST /admin/faults with a JSON object: {"fault":"latency","latency":100,"az":"use1-az1",...}. */
    private Reply addFault(String body) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        Reply bad = readFields(body, fields);
        if (bad != null) {
            return bad;
        }
        String name = fields.remove("name");
        if (name != null && !FaultName.isFaultName(name)) {
            return error(400, "name: " + FaultName.RULE + ", not starting like an ID (fault-N); found "
                    + name);
        }
        Checked checked = checked(fields);
        if (checked.error() != null) {
            return checked.error();
        }
        io.plsim.core.model.Fault fault = checked.fault();
        FaultView made;
        try {
            made = dp.addFault(fault, name);
        } catch (IllegalArgumentException e) {
            return error(409, e.getMessage());
        }
        FaultReach reach = dp.reach(made.fault());
        ObjectNode added = faultJson(made, reach);
        if (!fault.kind().isConnectionFault()) {
            healthChecks(added, reach);
        }
        return Reply.json(201, added.toPrettyString());
    }

    /**
     * PATCH /admin/faults/{id or name} with a JSON object of the fields to change, as Toxiproxy updates a
     * toxic: the others stay as they were; the kind cannot change.
     */
    private Reply updateFault(String key, String body) {
        FaultView now = dp.faults().stream().filter(f -> f.id().equals(key) || key.equals(f.name()))
                .findFirst().orElse(null);
        if (now == null) {
            return error(404, "no fault " + key + " is in force; GET /admin/faults lists them");
        }
        Map<String, String> changes = new java.util.LinkedHashMap<>();
        Reply bad = readFields(body, changes);
        if (bad != null) {
            return bad;
        }
        if (changes.containsKey("name")) {
            return error(400, "name: a fault keeps its name; remove it and add another to rename it");
        }
        String kind = changes.get("fault");
        if (kind != null && !kind.equals(now.fault().kind().wire())) {
            return error(400, "fault: " + now.id() + " is a " + now.fault().kind().wire()
                    + " fault and stays one; remove it and add a " + kind + " fault instead");
        }
        Map<String, String> fields = now.fault().fields();
        fields.putAll(changes);
        Checked checked = checked(fields);
        if (checked.error() != null) {
            return checked.error();
        }
        io.plsim.core.model.Fault fault = checked.fault();
        return dp.updateFault(now.id(), fault).map(f -> {
            FaultReach reach = dp.reach(f.fault());
            ObjectNode n = faultJson(f, reach).put("updated", true);
            if (!fault.kind().isConnectionFault()) {
                healthChecks(n, reach);
            }
            return Reply.json(n.toPrettyString());
        }).orElse(error(404, "no fault " + key + " is in force; GET /admin/faults lists them"));
    }

    /** A fault read from its fields and checked against the world, or the error that says what is wrong. */
    private record Checked(io.plsim.core.model.Fault fault, Reply error) {
    }

    private Checked checked(Map<String, String> fields) {
        io.plsim.core.model.Fault fault;
        try {
            fault = io.plsim.core.model.Fault.parse(fields);
        } catch (IllegalArgumentException e) {
            return new Checked(null, error(400, e.getMessage()));
        }
        List<String> problems = dp.scopeProblems(fault);
        return problems.isEmpty() ? new Checked(fault, null) : new Checked(null, error(400, String.join("; ", problems)));
    }

    /** A JSON object's fields into {@code into}; an error reply when the body is not one object of values. */
    private static Reply readFields(String body, Map<String, String> fields) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                return error(400, "expected a JSON object like {\"fault\":\"latency\",\"latency\":100,\"az\":\"use1-az1\"}");
            }
            var it = n.fields();
            while (it.hasNext()) {
                var f = it.next();
                if (!f.getValue().isValueNode()) {
                    return error(400, f.getKey() + ": expected a single value");
                }
                fields.put(f.getKey(), f.getValue().asText());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return error(400, "not JSON: " + e.getOriginalMessage());
        }
        return null;
    }

    /** How soon health checks will notice a fault that they must ({@link FaultReach.HealthChecks}). */
    private static void healthChecks(ObjectNode added, FaultReach reach) {
        ArrayNode checks = added.putArray("healthChecks");
        for (FaultReach.HealthChecks h : reach.healthChecks()) {
            checks.addObject().put("loadBalancer", h.loadBalancer()).put("intervalSeconds", h.intervalSeconds())
                    .put("unhealthyThreshold", h.unhealthyThreshold())
                    .put("failoverAfterSeconds", h.failoverAfterSeconds()).put("note", h.note());
        }
    }

    /** The interfaces, nodes and targets a fault applies to, as the admin API shows them. */
    private static ObjectNode appliesTo(FaultReach reach) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode interfaces = out.putArray("interfaces");
        reach.interfaces().forEach(i -> interfaces.addObject().put("endpoint", i.endpoint()).put("ip", i.ip())
                .put("zoneId", i.zoneId()));
        ArrayNode nodes = out.putArray("nodes");
        reach.nodes().forEach(n -> nodes.addObject().put("loadBalancer", n.loadBalancer()).put("ip", n.ip())
                .put("zoneId", n.zoneId()));
        ArrayNode targets = out.putArray("targets");
        reach.targets().forEach(t -> targets.addObject().put("loadBalancer", t.loadBalancer())
                .put("address", t.address()).put("zoneId", t.zoneId()));
        return out;
    }

    /** DELETE /admin/faults/{id or name}. */
    private Reply removeFault(String id) {
        return dp.removeFault(id).map(f -> Reply.json(faultJson(f).put("removed", true).toPrettyString()))
                .orElse(error(404, "no fault " + id + " is in force; GET /admin/faults lists them"));
    }

    private static Reply error(int status, String message) {
        return Reply.json(status, JSON.createObjectNode().put("error", message).toPrettyString());
    }

    private ArrayNode faultList() {
        ArrayNode out = JSON.createArrayNode();
        dp.faults().forEach(f -> out.add(faultJson(f)));
        return out;
    }

    private ObjectNode faultJson(FaultView a) {
        return faultJson(a, dp.reach(a.fault()));
    }

    private ObjectNode faultJson(FaultView a, FaultReach reach) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", a.id());
        if (a.name() != null) {
            n.put("name", a.name());
        }
        n.put("fault", a.fault().kind().wire());
        ObjectNode params = n.putObject("params");
        a.fault().params().forEach(params::put);
        if (a.fault().kind().isConnectionFault()) {
            n.put("stream", a.fault().stream().wire());
            n.put("toxicity", a.fault().toxicity());
        }
        n.put("since", a.since().toString());
        n.put("hits", a.hits());
        n.put("description", a.describe());
        a.fault().roundTripNote().ifPresent(note -> n.put("roundTrip", note));
        n.set("appliesTo", appliesTo(reach));
        return n;
    }

    private static int limit(Map<String, List<String>> params) {
        String v = first(params, "limit");
        if (v == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1 || n > EventLog.CAPACITY) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a number from 1 to " + EventLog.CAPACITY + ", found " + v);
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    ObjectNode world() {
        ControlPlane cp = dp.world().controlPlane();
        ObjectNode root = JSON.createObjectNode();
        root.put("source", dp.world().source());
        root.put("region", dp.world().topology().region());
        root.put("transport", dp.transport().name());
        ArrayNode services = root.putArray("services");
        for (ServiceConfiguration s : cp.services()) {
            ObjectNode n = services.addObject();
            n.put("serviceId", s.serviceId());
            n.put("serviceName", s.serviceName());
            n.put("owner", s.ownerId());
            n.put("state", s.state().wire());
            n.put("acceptanceRequired", s.acceptanceRequired());
            s.networkLoadBalancerArns().forEach(n.putArray("networkLoadBalancerArns")::add);
            s.availabilityZones().forEach(n.putArray("availabilityZones")::add);
            ArrayNode allowed = n.putArray("allowedPrincipals");
            for (AllowedPrincipal p : cp.permissions(s.serviceId())) {
                allowed.addObject().put("principalType", p.principalType()).put("principal", p.principal().arn());
            }
        }
        ArrayNode endpoints = root.putArray("endpoints");
        Map<String, Map<String, List<String>>> listening = dp.listenerAddresses();
        for (VpcEndpoint e : cp.endpoints()) {
            ObjectNode n = endpoints.addObject();
            n.put("vpcEndpointId", e.vpcEndpointId());
            n.put("owner", e.ownerId());
            n.put("serviceId", e.serviceId());
            n.put("vpcId", e.vpcId());
            n.put("state", e.state().wire());
            ArrayNode dns = n.putArray("dnsNames");
            e.dnsEntries().stream().map(DnsEntry::dnsName).forEach(dns::add);
            ArrayNode ifaces = n.putArray("interfaces");
            for (EndpointInterface i : e.interfaces()) {
                ObjectNode in = ifaces.addObject();
                in.put("networkInterfaceId", i.networkInterfaceId());
                in.put("subnetId", i.subnetId());
                in.put("zoneName", i.zoneName());
                in.put("zoneId", i.zoneId());
                in.put("privateIp", i.privateIp());
                in.put("loadBalancerArn", i.loadBalancerArn());
                listening.getOrDefault(e.vpcEndpointId(), Map.of()).getOrDefault(i.privateIp(), List.of())
                        .forEach(in.putArray("listeners")::add);
            }
        }
        root.set("loadBalancers", loadBalancers(dp));
        ArrayNode notes = root.putArray("connectionNotifications");
        for (ConnectionNotification c : cp.notifications()) {
            ObjectNode n = notes.addObject();
            n.put("connectionNotificationId", c.connectionNotificationId());
            n.put("serviceId", c.serviceId());
            n.put("vpcEndpointId", c.vpcEndpointId());
            n.put("topicArn", c.topicArn());
            c.events().stream().sorted().forEach(ev -> n.withArray("events").add(ev.wire()));
        }
        ConnectionStats s = dp.stats();
        ObjectNode stats = root.putObject("connections");
        stats.put("admitted", s.admitted());
        stats.put("open", s.openConnections());
        stats.put("idleTimeouts", s.idleTimeouts());
        ObjectNode denied = stats.putObject("denied");
        s.denied().forEach(denied::put);
        root.set("crossZone", crossZone(dp));
        return root;
    }

    /**
     * What flows carried between an interface and a target in another zone, by endpoint, load balancer and
     * zone pair, and its cost at the sim-config's price per GB, each way. Part of {@code /admin/world}, and
     * of what the console's live view reads.
     */
    public static ObjectNode crossZone(DataPlane dp) {
        ObjectNode out = JSON.createObjectNode();
        double price = dp.crossZonePricePerGb();
        out.put("pricePerGb", price);
        ArrayNode pairs = out.putArray("pairs");
        long total = 0;
        for (io.plsim.dataplane.CrossZoneTraffic t : dp.crossZoneTraffic()) {
            ObjectNode n = pairs.addObject();
            n.put("endpointId", t.endpointId());
            n.put("loadBalancer", t.loadBalancer());
            n.put("interfaceZoneId", t.interfaceZoneId());
            n.put("targetZoneId", t.targetZoneId());
            n.put("bytesToTarget", t.bytesToTarget());
            n.put("bytesToConsumer", t.bytesToConsumer());
            n.put("cost", t.cost(price));
            total += t.bytes();
        }
        out.put("bytes", total);
        out.put("cost", io.plsim.dataplane.CrossZoneTraffic.cost(total, price));
        return out;
    }

    /**
     * The load balancers as the data plane runs them: settings, nodes, and each target's flows and health
     * as each node sees it. Part of {@code /admin/world}, and of what the console's live view reads.
     */
    public static ArrayNode loadBalancers(DataPlane dp) {
        ArrayNode lbs = JSON.createArrayNode();
        // One reading of every target, grouped: a reading per load balancer grows with the square of the world.
        Map<String, List<TargetView>> targetsByLoadBalancer = dp.targets().stream()
                .collect(Collectors.groupingBy(TargetView::loadBalancer));
        for (LoadBalancer lb : dp.world().topology().loadBalancers().values()) {
            ObjectNode n = lbs.addObject();
            n.put("name", lb.name());
            n.put("arn", lb.arn());
            n.put("type", lb.type());
            n.put("crossZone", lb.isNetwork() && dp.crossZone(lb.arn()));
            var group = dp.world().loadBalancing().settings(lb.arn()).targetGroups();
            n.put("proxyProtocolV2", lb.isNetwork() && group.proxyProtocol());
            n.put("proxyProtocolLayout", lb.proxyProtocol().layout().configName());
            n.put("proxyProtocolHeaderPlacement", group.placement().configName());
            n.put("deregistrationDelaySeconds", group.deregistrationDelaySeconds());
            if (lb.isNetwork()) {
                LoadBalancer.HealthCheck hc = group.healthCheck();
                n.putObject("healthCheck").put("intervalSeconds", hc.intervalMillis() / 1000.0)
                        .put("timeoutSeconds", hc.timeoutMillis() / 1000.0)
                        .put("healthyThreshold", hc.healthyThreshold()).put("unhealthyThreshold", hc.unhealthyThreshold());
            }
            ArrayNode nodes = n.putArray("nodes");
            lb.nodes().forEach(node -> nodes.addObject().put("zoneName", node.zoneName()).put("zoneId", node.zoneId())
                    .put("ip", node.ipText()));
            ArrayNode targets = n.putArray("targets");
            targetsByLoadBalancer.getOrDefault(lb.name(), List.of()).forEach(t -> {
                ObjectNode tn = targets.addObject();
                tn.put("address", t.address());
                tn.put("kind", t.kind());
                tn.put("zoneName", t.zoneName());
                tn.put("zoneId", t.zoneId());
                tn.put("flows", t.flows());
                tn.put("draining", t.draining());
                ObjectNode health = tn.putObject("healthByNodeZoneId");
                t.healthByNodeZoneId().forEach((z, h) -> health.put(z, h.wire()));
            });
        }
        return lbs;
    }

    private ArrayNode events(int limit) {
        ArrayNode out = JSON.createArrayNode();
        for (EventLog.Event e : dp.events().recent(limit)) {
            ObjectNode n = out.addObject();
            n.put("time", e.at().toString());
            n.put("kind", e.kind());
            e.fields().forEach(n::put);
        }
        return out;
    }

    /** At most how many envelopes, the latest, {@code /admin/notifications} answers: all when not given. */
    private static int notificationLimit(String v) {
        if (v == null) {
            return Integer.MAX_VALUE;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a whole number from 1, found " + v);
        }
    }

    private ArrayNode notifications(String topic, int limit) {
        ArrayNode out = JSON.createArrayNode();
        List<Envelope> all = hub.log(topic);
        for (Envelope e : all.subList(Math.max(0, all.size() - limit), all.size())) {
            try {
                out.add(JSON.readTree(e.json()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new IllegalStateException("an envelope plsim wrote is not JSON", ex);
            }
        }
        return out;
    }
}
