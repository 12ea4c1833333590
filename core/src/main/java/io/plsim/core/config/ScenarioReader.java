package io.plsim.core.config;

import io.plsim.core.model.Account;
import io.plsim.core.model.Fault;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the {@code scenario} section of a sim-config: seed, duration, traffic, variants and the
 * timeline of faults.
 *
 * <p>A fault may name a zone ID or a load balancer node, so a reader is made once the topology part
 * of the file is read, and checks each step against it. Every problem is recorded on its node; what
 * {@link #read} answers is only used when the file as a whole has none.
 */
final class ScenarioReader {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");

    private final long defaultSeed;
    private final Set<String> zoneIds;
    private final Set<String> nodeIps;

    /**
     * @param defaultSeed   the seed of a scenario that names none: the simulation's
     * @param accounts      every account the file declares, whose zone IDs a fault may name
     * @param loadBalancers every load balancer the file declares, whose node IPs a fault may name
     */
    ScenarioReader(long defaultSeed, Collection<Account> accounts, Collection<LoadBalancer> loadBalancers) {
        this.defaultSeed = defaultSeed;
        this.zoneIds = accounts.stream().flatMap(a -> a.zones().values().stream()).collect(Collectors.toSet());
        this.nodeIps = loadBalancers.stream().flatMap(lb -> lb.nodes().stream())
                .map(LoadBalancer.NlbNodeSpec::ipText).collect(Collectors.toSet());
    }

    /** The scenario; empty when the section is missing or has no usable duration. */
    Optional<Scenario> read(Node node) {
        Map<String, Node> f = node.object(Set.of("seed", "duration", "traffic", "variants", "timeline"),
                Set.of("duration", "timeline")).orElse(null);
        if (f == null) {
            return Optional.empty();
        }
        long seed = node.get("seed").integer(0, Integer.MAX_VALUE).map(Integer::longValue).orElse(defaultSeed);
        Duration duration = duration(node.get("duration"), Duration.ofSeconds(1), Duration.ofHours(1)).orElse(null);
        Scenario.Traffic traffic = Scenario.Traffic.DEFAULT;
        Node t = node.get("traffic");
        if (t.object(Set.of("mode", "ratePerEndpoint", "timeoutMillis", "payloadBytes", "connectionsPerEndpoint"),
                Set.of()).isPresent()) {
            traffic = new Scenario.Traffic(
                    mode(t.get("mode")).orElse(traffic.mode()),
                    t.get("ratePerEndpoint").integer(1, 2000).orElse(traffic.ratePerEndpoint()),
                    t.get("timeoutMillis").integer(10, 60_000).map(Integer::longValue).orElse(traffic.timeoutMillis()),
                    t.get("payloadBytes").integer(1, 65_536).orElse(traffic.payloadBytes()),
                    t.get("connectionsPerEndpoint").integer(1, 64).orElse(traffic.connectionsPerEndpoint()));
        }
        List<Scenario.Variant> variants = new ArrayList<>();
        for (Node v : node.get("variants").list()) {
            v.object(Set.of("name", "crossZone", "traffic"), Set.of("name")).ifPresent(g -> v.get("name").text()
                    .ifPresent(name -> {
                        Boolean crossZone = v.get("crossZone").bool().orElse(null);
                        Scenario.Mode mode = mode(v.get("traffic")).orElse(null);
                        if (variants.stream().anyMatch(x -> x.name().equals(name))) {
                            v.get("name").problem("variant " + name + " is declared twice");
                        } else {
                            variants.add(new Scenario.Variant(name, crossZone, mode));
                        }
                    }));
        }
        if (variants.isEmpty()) {
            variants.add(new Scenario.Variant("as-configured", null));
        }
        List<Scenario.Step> steps = new ArrayList<>();
        // every step is read even without a duration, so that one run reports all of their problems
        for (Node s : node.get("timeline").list()) {
            readStep(s, duration).ifPresent(steps::add);
        }
        if (duration == null) {
            return Optional.empty();
        }
        return Optional.of(new Scenario(seed, duration, traffic, variants, steps));
    }

    private Optional<Scenario.Step> readStep(Node node, Duration total) {
        if (!node.isMapping()) {
            node.problem("expected a mapping like {at: 10s, for: 20s, fault: az-outage, az: use1-az1}");
            return Optional.empty();
        }
        Map<String, Node> entries = node.entries("a mapping");
        Duration at = null;
        Duration lasting = null;
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            switch (e.getKey()) {
                case "at" -> at = duration(e.getValue(), Duration.ZERO, Duration.ofHours(1)).orElse(null);
                case "for" -> lasting = duration(e.getValue(), Duration.ofMillis(1), Duration.ofHours(1)).orElse(null);
                default -> e.getValue().text().ifPresent(v -> fields.put(e.getKey(), v));
            }
        }
        if (!entries.containsKey("at")) {
            node.problem("missing required key 'at' (when the fault starts, like 10s)");
            return Optional.empty();
        }
        Fault fault;
        try {
            fault = Fault.parse(fields);
        } catch (IllegalArgumentException ex) {
            // Fault.parse names the offending field as "key: message"; the problem goes on that field
            String key = ex.getMessage().contains(":") ? ex.getMessage().substring(0, ex.getMessage().indexOf(':')) : "";
            Node at2 = entries.containsKey(key) ? entries.get(key) : node;
            at2.problem(ex.getMessage().substring(key.isEmpty() ? 0 : key.length() + 2));
            return Optional.empty();
        }
        Fault.Scope scope = fault.scope();
        if (scope.zoneId() != null && !zoneIds.contains(scope.zoneId())) {
            entries.get("az").problem("no account maps a zone name to the zone ID " + scope.zoneId());
        }
        if (scope.node() != null && !nodeIps.contains(scope.node())) {
            entries.get("node").problem("no load balancer node has the IP " + scope.node());
        }
        if (at == null) {
            return Optional.empty();
        }
        if (total != null && at.plus(lasting == null ? Duration.ZERO : lasting).compareTo(total) > 0) {
            node.problem("the step ends after the scenario's duration (" + total.toMillis() / 1000.0 + " s)");
            return Optional.empty();
        }
        return Optional.of(new Scenario.Step(at, lasting, fault));
    }

    /** A traffic mode: churn, rr or both. */
    private static Optional<Scenario.Mode> mode(Node node) {
        return node.text().flatMap(text -> {
            Optional<Scenario.Mode> m = Scenario.Mode.ofWire(text);
            if (m.isEmpty()) {
                node.problem("expected churn (a new connection per request), rr (requests on long-lived"
                        + " connections) or both, found " + text);
            }
            return m;
        });
    }

    /** A duration written as 10s, 500ms, 2m or a number of seconds. */
    private static Optional<Duration> duration(Node node, Duration min, Duration max) {
        return node.text().flatMap(text -> {
            Matcher m = DURATION.matcher(text.trim());
            if (!m.matches()) {
                node.problem("expected a duration like 10s, 500ms or 2m, found " + text);
                return Optional.empty();
            }
            double v = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            long millis = Math.round(switch (unit) {
                case "ms" -> v;
                case "m" -> v * 60_000;
                default -> v * 1000;
            });
            Duration d = Duration.ofMillis(millis);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                node.problem("must be from " + min.toMillis() + " ms to " + max.toMinutes() + " min, found " + text);
                return Optional.empty();
            }
            return Optional.of(d);
        });
    }
}
