package io.plsim.app.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.plsim.app.api.HttpRoutes;
import io.plsim.app.api.AdminRoutes;
import io.plsim.app.dns.EndpointDnsNames;
import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Account;
import io.plsim.core.model.Fault;
import io.plsim.core.model.Principal;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.FaultView;
import io.plsim.dataplane.InterfaceStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The console: a page, served from the jar, that walks the user guide's console steps over the same
 * EC2 and ELBv2 Query API the CLI uses (the page signs its requests with the chosen identity's
 * access key ID, as the SDKs do), and watches the data plane live.
 *
 * <p>Besides the page's own files it answers two JSON routes that the Query API has no action for:
 * {@code /console/api/session} (who the page can act as, the fault kinds it can add) and
 * {@code /console/api/live} (the data plane's counters now; the page takes rates from two of them).
 * Faults are added and removed through {@code /admin/faults}, as {@code plsim fault} does.
 */
public final class ConsoleRoutes implements HttpRoutes {

    /** Where the console is served. */
    public static final String PATH = "/console/";

    // Nothing but this origin: the page works with no network beyond the simulator, and a page that
    // could load a script from elsewhere could act as any identity of the world.
    private static final Map<String, String> PAGE_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The page's ES modules, loaded by the browser from {@code console.js} on (no build step): each is
     * served from this origin, which the policy's {@code script-src 'self'} allows for module scripts.
     */
    static final List<String> MODULES = List.of("console.js", "session.js", "dom.js", "query.js",
            "router.js", "services.js", "notifications.js", "endpoints.js", "live.js", "balancers.js", "faults.js");

    private final DataPlane dp;
    private final Map<String, Reply> assets = new TreeMap<>();

    public ConsoleRoutes(DataPlane dp) {
        this.dp = dp;
        asset("index.html", "text/html; charset=utf-8");
        MODULES.forEach(m -> asset(m, "text/javascript; charset=utf-8"));
        asset("console.css", "text/css; charset=utf-8");
        assets.put("", assets.get("index.html"));
    }

    private void asset(String name, String contentType) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is not in the jar");
            }
            assets.put(name, new Reply(200, contentType, new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    PAGE_HEADERS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's " + name, e);
        }
    }

    @Override
    public Reply get(String path, String query) {
        if (path.equals("/console")) {
            return new Reply(308, "text/plain; charset=utf-8", "the console is at " + PATH + "\n", Map.of("Location", PATH));
        }
        if (!path.startsWith(PATH)) {
            return null;
        }
        String rest = path.substring(PATH.length());
        return switch (rest) {
            case "api/session" -> json(session());
            case "api/live" -> json(live());
            default -> assets.get(rest);
        };
    }

    private static Reply json(ObjectNode n) {
        return new Reply(200, "application/json", n.toString(), Map.of("Cache-Control", "no-store"));
    }

    /** The identities the page can act as, with the access key ID each signs with; and the faults it can add. */
    ObjectNode session() {
        var topology = dp.world().topology();
        ObjectNode root = JSON.createObjectNode();
        root.put("region", topology.region());
        root.put("source", dp.world().source());
        ArrayNode ids = root.putArray("identities");
        // Each principal once: the root signs with its account ID, which always stands for it, so that a
        // key the sim-config lists for the root does not show it a second time.
        for (Account a : topology.accounts().values()) {
            Principal accountRoot = Principal.root(a.id());
            identity(ids, a, a.id(), accountRoot);
            Set<String> shown = new HashSet<>(Set.of(accountRoot.arn()));
            new TreeMap<>(a.accessKeys()).forEach((key, p) -> {
                if (shown.add(p.arn())) {
                    identity(ids, a, key, p);
                }
            });
        }
        ArrayNode topics = root.putArray("topics");
        dp.world().topics().forEach(t -> topics.add(t.arn()));
        ArrayNode kinds = root.putArray("faultKinds");
        for (Fault.Kind k : Fault.Kind.values()) {
            ObjectNode n = kinds.addObject();
            n.put("kind", k.wire());
            n.put("connectionFault", k.isConnectionFault());
            k.scopeKeys().forEach(n.putArray("scopes")::add);
            ArrayNode params = n.putArray("params");
            for (String p : k.params()) {
                params.addObject().put("name", p).put("unit", k.unit(p)).put("max", k.max(p))
                        .put("required", k.required().contains(p));
            }
        }
        return root;
    }

    private static void identity(ArrayNode ids, Account a, String key, Principal p) {
        ObjectNode n = ids.addObject();
        n.put("accountId", a.id());
        if (a.name() != null) {
            n.put("accountName", a.name());
        }
        n.put("principal", p.arn());
        n.put("accessKeyId", key);
        ObjectNode zones = n.putObject("zones");
        new TreeMap<>(a.zones()).forEach(zones::put);
    }

    /**
     * The data plane now: counters (never rates, which the page takes from two snapshots, so that any
     * number of pages can watch without the server keeping anything per page), health, faults, DNS.
     */
    ObjectNode live() {
        ObjectNode root = JSON.createObjectNode();
        root.put("atMillis", System.currentTimeMillis());
        ArrayNode ifaces = root.putArray("interfaces");
        Map<String, Map<String, List<String>>> listening = dp.listenerAddresses();
        for (InterfaceStats i : dp.interfaceStats()) {
            ObjectNode n = ifaces.addObject();
            n.put("endpointId", i.endpointId());
            n.put("serviceId", i.serviceId());
            n.put("zoneName", i.zoneName());
            n.put("zoneId", i.zoneId());
            n.put("ip", i.ip());
            n.put("admitted", i.admitted());
            n.put("open", i.open());
            n.put("bytesUp", i.bytesUp());
            n.put("bytesDown", i.bytesDown());
            ObjectNode denied = n.putObject("denied");
            new TreeMap<>(i.denied()).forEach(denied::put);
            listening.getOrDefault(i.endpointId(), Map.of()).getOrDefault(i.ip(), List.of())
                    .forEach(n.putArray("listeners")::add);
        }
        // Per zone, what its interfaces counted, those of deleted endpoints included: these never drop.
        ObjectNode zones = root.putObject("zoneTotals");
        dp.zoneTotals().forEach((zoneId, t) -> {
            ObjectNode z = zones.putObject(zoneId);
            z.put("admitted", t.admitted());
            ObjectNode denied = z.putObject("denied");
            t.denied().forEach(denied::put);
        });
        root.set("loadBalancers", AdminRoutes.loadBalancers(dp));
        root.set("crossZone", AdminRoutes.crossZone(dp));
        ArrayNode faults = root.putArray("faults");
        for (FaultView f : dp.faults()) {
            ObjectNode n = faults.addObject();
            n.put("id", f.id());
            if (f.name() != null) {
                n.put("name", f.name());
            }
            n.put("fault", f.fault().kind().wire());
            n.put("description", f.fault().describe());
            // The fields as the admin API takes them, which the page says in plain words.
            ObjectNode params = n.putObject("params");
            f.fault().params().forEach(params::put);
            if (f.fault().kind().isConnectionFault()) {
                n.put("stream", f.fault().stream().wire());
                n.put("toxicity", f.fault().toxicity());
            }
            f.fault().roundTripNote().ifPresent(note -> n.put("roundTrip", note));
            ObjectNode scope = n.putObject("scope");
            f.fault().scope().fields().forEach(scope::put);
            n.put("since", f.since().toString());
            n.put("hits", f.hits());
        }
        ArrayNode endpoints = root.putArray("endpoints");
        ArrayNode dns = root.putArray("dns");
        for (VpcEndpoint e : EndpointDnsNames.live(dp.world().controlPlane())) {
            ObjectNode en = endpoints.addObject();
            en.put("endpointId", e.vpcEndpointId());
            en.put("serviceId", e.serviceId());
            en.put("owner", e.ownerId());
            en.put("state", e.state().wire());
            ArrayNode serving = en.putArray("servingZoneIds");
            dp.servingZones(e).forEach(serving::add);
            for (DnsEntry d : e.dnsEntries()) {
                ObjectNode n = dns.addObject();
                n.put("endpointId", e.vpcEndpointId());
                n.put("name", d.dnsName());
                n.put("zoneName", d.zoneName());
                ArrayNode answer = n.putArray("answer");
                dp.dnsAnswer(e, d).forEach(answer::add);
            }
        }
        root.put("dnsChanges", dp.dnsChanges());
        return root;
    }
}
