package io.plsim.core.config;

import io.plsim.core.model.Account;
import io.plsim.core.model.Ipv4;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.LoadBalancer.ProxyProtocol.HeaderPlacement;
import io.plsim.core.model.LoadBalancer.ProxyProtocol.Layout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the {@code loadBalancers} section of a sim-config: each load balancer with its nodes,
 * listeners, targets, PROXY protocol, health check and idle timeout.
 *
 * <p>Services refer to load balancers by name, so the reader keeps every name the file declares,
 * even that of a load balancer with problems of its own (a service naming it is then not reported
 * as well), and the ARN of each one read. Node addresses are unique across all load balancers,
 * since every one is bound on this machine's loopback.
 */
final class LoadBalancerReader {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,31}");
    private static final Pattern HEX16 = Pattern.compile("[0-9a-f]{16}");

    private final String region;
    private final Function<Node, Optional<Account>> accountRef;
    private final Map<String, LoadBalancer> loadBalancers = new LinkedHashMap<>();
    private final Map<String, String> arnsByName = new HashMap<>();
    private final Set<String> declared = new HashSet<>();
    private final Map<Integer, String> nodeAddresses = new HashMap<>();

    /**
     * @param region     the region of the file, part of every ARN
     * @param accountRef resolves a reference to a declared account, recording a problem when there is none
     */
    LoadBalancerReader(String region, Function<Node, Optional<Account>> accountRef) {
        this.region = region;
        this.accountRef = accountRef;
    }

    /** The load balancers kept, by ARN, in the order of the file. */
    Map<String, LoadBalancer> loadBalancers() {
        return Collections.unmodifiableMap(loadBalancers);
    }

    /** The ARN of a load balancer kept; null for any other name. */
    String arnOf(String name) {
        return arnsByName.get(name);
    }

    /** Whether the file declares a load balancer of this name, with problems or without. */
    boolean isDeclared(String name) {
        return declared.contains(name);
    }

    /**
     * Reads one item of the section. It is kept once its name and account are usable, whatever else
     * is wrong with it, so that services naming it are checked too; the file fails anyway then.
     */
    void read(Node node) {
        Set<String> keys = Set.of("name", "account", "id", "type", "nodes", "listeners", "targets", "crossZone",
                "proxyProtocol", "healthCheck", "idleTimeoutSeconds");
        node.object(keys, Set.of("name", "account", "nodes")).ifPresent(f -> {
            Optional<String> name = node.get("name").text();
            if (name.isPresent() && !NAME.matcher(name.get()).matches()) {
                node.get("name").problem("a load balancer name is 1-32 letters, digits and hyphens: " + name.get());
                name = Optional.empty();
            }
            if (name.isPresent() && !declared.add(name.get())) {
                node.get("name").problem("load balancer " + name.get() + " is declared twice");
                name = Optional.empty();
            }
            Optional<Account> account = accountRef.apply(node.get("account"));
            String type = "network";
            if (f.containsKey("type")) {
                type = f.get("type").text().orElse("network");
                if (!Set.of("network", "application", "gateway").contains(type)) {
                    f.get("type").problem("expected network, application or gateway, found " + type);
                }
            }
            String lbId = null;
            if (f.containsKey("id")) {
                lbId = f.get("id").text().orElse(null);
                if (lbId != null && !HEX16.matcher(lbId).matches()) {
                    f.get("id").problem("a load balancer ID is 16 lowercase hex digits: " + lbId);
                }
            }
            if (name.isEmpty() || account.isEmpty()) {
                return;
            }
            if (lbId == null) {
                lbId = derivedId(account.get().id() + "/" + name.get());
            }
            String prefix = switch (type) {
                case "application" -> "app";
                case "gateway" -> "gwy";
                default -> "net";
            };
            String arn = "arn:aws:elasticloadbalancing:" + region + ":" + account.get().id() + ":loadbalancer/"
                    + prefix + "/" + name.get() + "/" + lbId;
            // zone IDs of every node declared, even one refused for its IP, so that its targets are not
            // also reported as being in a zone without a node
            Set<String> nodeZoneIds = new HashSet<>();
            List<LoadBalancer.NlbNodeSpec> nodes = readNodes(node.get("nodes"), account.get(), nodeZoneIds);
            List<Integer> listeners = readListeners(node.get("listeners"));
            List<LoadBalancer.Target> targets = readTargets(node.get("targets"), account.get(), nodeZoneIds);
            boolean crossZone = f.containsKey("crossZone") && f.get("crossZone").bool().orElse(false);
            LoadBalancer.ProxyProtocol pp = readProxyProtocol(node.get("proxyProtocol"));
            LoadBalancer.HealthCheck hc = readHealthCheck(node.get("healthCheck"));
            int idle = node.get("idleTimeoutSeconds").integer(1, 6000)
                    .orElse(LoadBalancer.DEFAULT_IDLE_TIMEOUT_SECONDS);
            arnsByName.put(name.get(), arn);
            loadBalancers.put(arn, new LoadBalancer(arn, name.get(), account.get().id(), type, nodes, listeners,
                    targets, crossZone, pp, hc, idle));
        });
    }

    private static String derivedId(String seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private List<LoadBalancer.NlbNodeSpec> readNodes(Node node, Account account, Set<String> zoneIds) {
        List<LoadBalancer.NlbNodeSpec> nodes = new ArrayList<>();
        List<Node> items = node.list();
        if (items.isEmpty() && node.isList()) {
            node.problem("a load balancer needs a node in at least one zone");
        }
        for (Node item : items) {
            item.object(Set.of("zone", "ip"), Set.of("zone", "ip")).ifPresent(f -> {
                Optional<String> zone = item.get("zone").text();
                Optional<String> zoneId = zone.flatMap(z -> {
                    Optional<String> zid = account.zoneId(z);
                    if (zid.isEmpty()) {
                        item.get("zone").problem("account " + account.id() + " has no zone named " + z);
                    }
                    return zid;
                });
                Optional<Integer> ip = item.get("ip").loopback("an IPv4 address", Ipv4::parse,
                        Ipv4.LOOPBACK::contains);
                if (zoneId.isPresent() && !zoneIds.add(zoneId.get())) {
                    item.get("zone").problem("this load balancer already has a node in " + zone.get());
                    return;
                }
                if (ip.isPresent() && nodeAddresses.containsKey(ip.get())) {
                    item.get("ip").problem(Ipv4.format(ip.get()) + " is already the address of "
                            + nodeAddresses.get(ip.get()));
                    return;
                }
                if (zoneId.isPresent() && ip.isPresent()) {
                    nodeAddresses.put(ip.get(), "a node at " + item.path());
                    nodes.add(new LoadBalancer.NlbNodeSpec(zone.get(), zoneId.get(), ip.get()));
                }
            });
        }
        return nodes;
    }

    private List<Integer> readListeners(Node node) {
        List<Integer> ports = new ArrayList<>();
        for (Node item : node.list()) {
            Node portNode = item;
            if (item.isMapping()) {
                Optional<Map<String, Node>> f = item.object(Set.of("port", "protocol"), Set.of("port"));
                if (f.isEmpty()) {
                    continue;
                }
                item.get("protocol").text().ifPresent(proto -> {
                    if (!proto.toUpperCase(Locale.ROOT).equals("TCP")) {
                        item.get("protocol").problem("only TCP listeners are supported: an endpoint service"
                                + " carries IPv4 over TCP only; found " + proto);
                    }
                });
                portNode = item.get("port");
            }
            Node at = portNode;
            portNode.integer(1, 65535).ifPresent(port -> {
                if (ports.contains(port)) {
                    at.problem("listener port " + port + " is declared twice");
                } else {
                    ports.add(port);
                }
            });
        }
        return ports;
    }

    private List<LoadBalancer.Target> readTargets(Node node, Account account, Set<String> nodeZoneIds) {
        List<LoadBalancer.Target> targets = new ArrayList<>();
        for (Node item : node.list()) {
            item.object(Set.of("zone", "address", "builtin"), Set.of("zone")).ifPresent(f -> {
                Optional<String> zone = item.get("zone").text();
                Optional<String> zoneId = zone.flatMap(z -> {
                    Optional<String> zid = account.zoneId(z);
                    if (zid.isEmpty()) {
                        item.get("zone").problem("account " + account.id() + " has no zone named " + z);
                    } else if (!nodeZoneIds.contains(zid.get())) {
                        item.get("zone").problem("the load balancer has no node in " + z
                                + ", so a target there would never get traffic; add a node or move the target");
                        return Optional.empty();
                    }
                    return zid;
                });
                LoadBalancer.TargetKind kind = LoadBalancer.TargetKind.ADDRESS;
                if (f.containsKey("builtin")) {
                    Optional<String> b = item.get("builtin").text();
                    Optional<LoadBalancer.TargetKind> k = b.flatMap(LoadBalancer.TargetKind::ofConfigName)
                            .filter(x -> x != LoadBalancer.TargetKind.ADDRESS);
                    if (b.isPresent() && k.isEmpty()) {
                        item.get("builtin").problem("expected echo or pp2-inspect, found " + b.get());
                        return;
                    }
                    kind = k.orElse(kind);
                } else if (!f.containsKey("address")) {
                    item.problem("a target needs an address (host:port) or a builtin (echo, pp2-inspect)");
                    return;
                }
                String host = "127.0.0.1";
                int port = 0;
                if (f.containsKey("address")) {
                    Optional<String> address = item.get("address").text();
                    if (address.isEmpty()) {
                        return;
                    }
                    int colon = address.get().lastIndexOf(':');
                    String h = colon < 0 ? "" : address.get().substring(0, colon);
                    String p = colon < 0 ? "" : address.get().substring(colon + 1);
                    Optional<Integer> ip = h.equals("localhost") ? Optional.of(0x7f000001) : Ipv4.parse(h);
                    int min = kind == LoadBalancer.TargetKind.ADDRESS ? 1 : 0;
                    if (ip.isEmpty() || !p.matches("\\d{1,5}") || Integer.parseInt(p) < min
                            || Integer.parseInt(p) > 65535) {
                        item.get("address").problem("not host:port (an IPv4 address and a port from " + min
                                + " to 65535): " + address.get());
                        return;
                    }
                    if (!Ipv4.LOOPBACK.contains(ip.get())) {
                        item.get("address").problem(address.get()
                                + " is outside 127.0.0.0/8; targets of a simulation stay on loopback");
                        return;
                    }
                    host = Ipv4.format(ip.get());
                    port = Integer.parseInt(p);
                }
                if (zoneId.isPresent()) {
                    targets.add(new LoadBalancer.Target(zone.get(), zoneId.get(), kind, host, port));
                }
            });
        }
        return targets;
    }

    private LoadBalancer.ProxyProtocol readProxyProtocol(Node node) {
        if (node.isMissing()) {
            return LoadBalancer.ProxyProtocol.OFF;
        }
        if (node.isBoolean()) {
            return node.bool().orElse(false) ? LoadBalancer.ProxyProtocol.AWS : LoadBalancer.ProxyProtocol.OFF;
        }
        return node.object(Set.of("v2", "crc32c", "layout", "headerPlacement"), Set.of("v2")).map(f -> {
            Optional<Layout> chosen = choice(node.get("layout"), Layout.values(), Layout::configName);
            Layout layout = chosen.orElse(Layout.AWS);
            HeaderPlacement placement = choice(node.get("headerPlacement"), HeaderPlacement.values(),
                    HeaderPlacement::configName).orElse(HeaderPlacement.ON_FIRST_ACK_WITH_PAYLOAD);
            Optional<Boolean> crc = node.get("crc32c").bool();
            boolean layoutKnown = chosen.isPresent() || node.get("layout").isMissing();
            if (layoutKnown && layout == Layout.AWS && crc.isPresent() && !crc.get()) {
                node.get("crc32c").problem("the aws layout always carries the CRC32C TLV, as NLB does;"
                        + " for headers without it, add layout: minimal");
            }
            boolean v2 = node.get("v2").bool().orElse(false);
            return new LoadBalancer.ProxyProtocol(v2, layout == Layout.AWS || crc.orElse(false), layout, placement);
        }).orElse(LoadBalancer.ProxyProtocol.OFF);
    }

    /** One of a fixed set of words, with a problem naming them all when it is something else. */
    private static <E> Optional<E> choice(Node node, E[] values, Function<E, String> word) {
        return node.text().flatMap(text -> {
            for (E v : values) {
                if (word.apply(v).equals(text)) {
                    return Optional.of(v);
                }
            }
            List<String> words = new ArrayList<>();
            for (E v : values) {
                words.add(word.apply(v));
            }
            node.problem("unknown value \"" + text + "\"; expected one of: " + String.join(", ", words));
            return Optional.empty();
        });
    }

    private LoadBalancer.HealthCheck readHealthCheck(Node node) {
        LoadBalancer.HealthCheck d = LoadBalancer.HealthCheck.AWS_DEFAULT;
        return node.object(Set.of("intervalSeconds", "timeoutSeconds", "healthyThreshold", "unhealthyThreshold",
                "port"), Set.of()).map(f -> {
                    long interval = node.get("intervalSeconds").seconds(0.05, 300).orElse(d.intervalMillis());
                    long timeout = node.get("timeoutSeconds").seconds(0.05, 120).orElse(d.timeoutMillis());
                    if (timeout > interval) {
                        node.get("timeoutSeconds").problem("the timeout (" + timeout / 1000.0
                                + " s) may not be longer than the interval (" + interval / 1000.0 + " s)");
                    }
                    return new LoadBalancer.HealthCheck(interval, timeout,
                            node.get("healthyThreshold").integer(2, 10).orElse(d.healthyThreshold()),
                            node.get("unhealthyThreshold").integer(2, 10).orElse(d.unhealthyThreshold()),
                            node.get("port").integer(1, 65535).orElse(0));
                }).orElse(d);
    }
}
