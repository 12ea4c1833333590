package io.plsim.core.elb;

import static io.plsim.core.elb.AttributeValues.bool;
import static io.plsim.core.elb.AttributeValues.crossZoneSetting;
import static io.plsim.core.elb.AttributeValues.fixed;
import static io.plsim.core.elb.AttributeValues.integer;
import static io.plsim.core.elb.AttributeValues.placement;
import static io.plsim.core.elb.AttributeValues.range;
import static io.plsim.core.elb.AttributeValues.refuseFixed;

import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.elb.TargetHealthSource.State;
import io.plsim.core.elb.TargetHealthSource.TargetStatus;
import io.plsim.core.model.Ipv4;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.LoadBalancer.ProxyProtocol.HeaderPlacement;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Topology;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The load balancers of a world as ELBv2 shows and changes them: their listeners and target groups, the
 * attributes the data plane models, the health check, and the registered targets. This is the entry point
 * of {@code io.plsim.core.elb}; the ELBv2 Query API is a thin layer over it.
 *
 * <p>Every load balancer is visible to its own account only, as in AWS: any other caller is told it does not
 * exist. A change is checked whole before any of it applies (a request with one bad attribute changes
 * nothing), then told to every {@link LoadBalancingListener} once. Attributes that AWS has and the data plane
 * does not model are shown with AWS's default and refused if asked to change, never stored and ignored.
 *
 * <p>The target groups of one load balancer share their targets and settings: a sim-config gives a load
 * balancer one set of targets for all its listeners, and a change to one of its groups is a change to all.
 */
public final class LoadBalancing {

    /** The attributes of a load balancer that are shown with a fixed value and refused if asked to change. */
    private static final Map<String, String> FIXED_LB_ATTRIBUTES = fixed(
            "deletion_protection.enabled", "false",
            "access_logs.s3.enabled", "false",
            "access_logs.s3.bucket", "",
            "access_logs.s3.prefix", "",
            "dns_record.client_routing_policy", "any_availability_zone");
    private static final Map<String, String> FIXED_TG_ATTRIBUTES = fixed(
            "preserve_client_ip.enabled", "false",
            "stickiness.enabled", "false",
            "stickiness.type", "source_ip",
            "target_health_state.unhealthy.draining_interval_seconds", "0",
            "target_group_health.dns_failover.minimum_healthy_targets.count", "1",
            "target_group_health.dns_failover.minimum_healthy_targets.percentage", "off",
            "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1",
            "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off");
    static final String LB_CROSS_ZONE = "load_balancing.cross_zone.enabled";
    static final String DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds";
    static final String TERMINATE_ON_DEREGISTRATION = "deregistration_delay.connection_termination.enabled";
    static final String PROXY_PROTOCOL = "proxy_protocol_v2.enabled";
    static final String HEADER_PLACEMENT = "proxy_protocol_v2.client_to_server.header_placement";
    static final String TG_CROSS_ZONE = "load_balancing.cross_zone.enabled";
    static final String TERMINATE_ON_UNHEALTHY = "target_health_state.unhealthy.connection_termination.enabled";
    static final String LISTENER_IDLE_TIMEOUT = "tcp.idle_timeout.seconds";

    private final Topology topology;
    private final Map<String, Balancer> byArn = new LinkedHashMap<>();
    private final List<LoadBalancingListener> listeners = new CopyOnWriteArrayList<>();
    private final ResourceTags tags = new ResourceTags();
    private volatile TargetHealthSource health = this::initialHealth;

    /** One load balancer's state; guarded by itself. */
    private static final class Balancer {
        final LoadBalancer lb;
        final List<Listener> listeners = new ArrayList<>();
        final List<TargetGroup> groups = new ArrayList<>();
        final List<LoadBalancer.Target> registered;
        LoadBalancerSettings settings;

        Balancer(LoadBalancer lb) {
            this.lb = lb;
            this.registered = new ArrayList<>(lb.targets());
            this.settings = new LoadBalancerSettings(lb.arn(), lb.crossZone(), TargetGroupSettings.of(lb));
        }
    }

    public LoadBalancing(Topology topology) {
        this.topology = Objects.requireNonNull(topology, "topology");
        for (LoadBalancer lb : topology.loadBalancers().values()) {
            Balancer b = new Balancer(lb);
            String vpc = vpcOf(lb).orElse(null);
            String[] arnParts = lb.arn().split(":", 6);
            String prefix = "arn:aws:elasticloadbalancing:" + arnParts[3] + ":" + arnParts[4] + ":";
            String lbPath = arnParts[5].substring("loadbalancer/".length());
            for (int port : lb.listenerPorts()) {
                String name = groupName(lb.name(), port);
                TargetGroup g = new TargetGroup(prefix + "targetgroup/" + name + "/" + hex16(lb.arn() + "/tg/" + port),
                        name, lb.arn(), port, vpc);
                b.groups.add(g);
                b.listeners.add(new Listener(prefix + "listener/" + lbPath + "/" + hex16(lb.arn() + "/listener/"
                        + port), lb.arn(), port, g.arn()));
            }
            byArn.put(lb.arn(), b);
        }
    }

    /** The data plane's view of target health; until one is given, every target is {@code initial}. */
    public void healthFrom(TargetHealthSource source) {
        this.health = Objects.requireNonNull(source, "source");
    }

    public void addListener(LoadBalancingListener l) {
        listeners.add(l);
    }

    public void removeListener(LoadBalancingListener l) {
        listeners.remove(l);
    }

    /** What the data plane follows of a load balancer. */
    public LoadBalancerSettings settings(String loadBalancerArn) {
        Balancer b = byArn.get(loadBalancerArn);
        if (b == null) {
            throw new IllegalArgumentException("no load balancer " + loadBalancerArn);
        }
        synchronized (b) {
            return b.settings;
        }
    }

    /** The targets registered now, in registration order (built-in ones at the address they bound). */
    public List<LoadBalancer.Target> registered(String loadBalancerArn) {
        Balancer b = balancer(loadBalancerArn);
        synchronized (b) {
            return List.copyOf(b.registered);
        }
    }

    /**
     * A built-in target of the sim-config is listening: from now on it is known by the address it bound, as
     * {@code DescribeTargetHealth} shows it and {@code DeregisterTargets} names it.
     */
    public void targetBound(String loadBalancerArn, LoadBalancer.Target declared, int port) {
        Balancer b = balancer(loadBalancerArn);
        synchronized (b) {
            int i = b.registered.indexOf(declared);
            if (i >= 0) {
                b.registered.set(i, new LoadBalancer.Target(declared.zoneName(), declared.zoneId(), declared.kind(),
                        declared.host(), port));
            }
        }
    }

    // ---------------------------------------------------------------- reads

    /** {@code DescribeLoadBalancers}: the caller's, all or those named; a missing one is an error. */
    public List<LoadBalancer> describeLoadBalancers(Caller c, List<String> arns, List<String> names) {
        if (!arns.isEmpty() && !names.isEmpty()) {
            throw validation("LoadBalancerArns and Names cannot be used together");
        }
        List<LoadBalancer> own = own(c);
        if (!arns.isEmpty()) {
            arns.forEach(ArnKind.LOAD_BALANCER::check);
            return pick(own, arns, LoadBalancer::arn, "LoadBalancerNotFound", "One or more load balancers not found");
        }
        if (!names.isEmpty()) {
            return pick(own, names, LoadBalancer::name, "LoadBalancerNotFound", "One or more load balancers not found");
        }
        return own;
    }

    /** {@code DescribeListeners}: of one load balancer, or the listeners named. */
    public List<Listener> describeListeners(Caller c, String loadBalancerArn, List<String> listenerArns) {
        if ((loadBalancerArn == null) == listenerArns.isEmpty()) {
            throw validation("You must specify either listener ARNs or a load balancer ARN");
        }
        List<Listener> all = new ArrayList<>();
        if (loadBalancerArn != null) {
            all.addAll(visible(c, loadBalancerArn).listeners);
            return all;
        }
        listenerArns.forEach(ArnKind.LISTENER::check);
        own(c).forEach(lb -> all.addAll(byArn.get(lb.arn()).listeners));
        return pick(all, listenerArns, Listener::arn, "ListenerNotFound", "One or more listeners not found");
    }

    /** {@code DescribeTargetGroups}: all the caller's, a load balancer's, or those named by ARN or name. */
    public List<TargetGroup> describeTargetGroups(Caller c, String loadBalancerArn, List<String> arns,
            List<String> names) {
        int given = (loadBalancerArn != null ? 1 : 0) + (arns.isEmpty() ? 0 : 1) + (names.isEmpty() ? 0 : 1);
        if (given > 1) {
            throw validation("Only one of LoadBalancerArn, TargetGroupArns and Names can be given");
        }
        if (loadBalancerArn != null) {
            return List.copyOf(visible(c, loadBalancerArn).groups);
        }
        List<TargetGroup> all = new ArrayList<>();
        own(c).forEach(lb -> all.addAll(byArn.get(lb.arn()).groups));
        if (!arns.isEmpty()) {
            arns.forEach(ArnKind.TARGET_GROUP::check);
            return pick(all, arns, TargetGroup::arn, "TargetGroupNotFound", "One or more target groups not found");
        }
        if (!names.isEmpty()) {
            return pick(all, names, TargetGroup::name, "TargetGroupNotFound", "One or more target groups not found");
        }
        return all;
    }

    /** The settings of a target group's load balancer, for the API to show its health check. */
    public LoadBalancerSettings settingsOf(Caller c, TargetGroup g) {
        visible(c, g.loadBalancerArn());
        return settings(g.loadBalancerArn());
    }

    /** A target named in {@code DescribeTargetHealth}, {@code RegisterTargets} or {@code DeregisterTargets}. */
    public record TargetRef(String id, Integer port, String availabilityZone) {
    }

    /** One entry of {@code DescribeTargetHealth}: the target, the port checked, its state and why. */
    public record TargetHealthDescription(String id, int port, String availabilityZone, String healthCheckPort,
            State state, String reason, String description) {
    }

    /**
     * {@code DescribeTargetHealth}: every target the group has, registered or draining, or the targets named,
     * a target it does not have being {@code unused} ({@code Target.NotRegistered}).
     */
    public List<TargetHealthDescription> describeTargetHealth(Caller c, String targetGroupArn, List<TargetRef> named) {
        TargetGroup g = group(c, targetGroupArn);
        List<TargetStatus> running = health.targets(g.loadBalancerArn());
        List<TargetHealthDescription> out = new ArrayList<>();
        if (named.isEmpty()) {
            running.forEach(t -> out.add(describe(t)));
            return out;
        }
        for (TargetRef r : named) {
            int port = r.port() == null ? g.port() : r.port();
            Optional<TargetStatus> t = running.stream().filter(s -> s.ip().equals(r.id()) && s.port() == port)
                    .findFirst();
            out.add(t.map(LoadBalancing::describe).orElse(new TargetHealthDescription(r.id(), port,
                    r.availabilityZone(), null, State.UNUSED, "Target.NotRegistered",
                    "Target is not registered to the target group")));
        }
        return out;
    }

    private static TargetHealthDescription describe(TargetStatus t) {
        String description = switch (t.state()) {
            case INITIAL -> "Initial health checks in progress";
            case HEALTHY -> null;
            case UNHEALTHY -> "Health checks failed";
            case DRAINING -> "Target deregistration is in progress";
            case UNUSED -> "Target is not registered to the target group";
        };
        return new TargetHealthDescription(t.ip(), t.port(), t.zoneName(), String.valueOf(t.healthCheckPort()),
                t.state(), t.reason(), description);
    }

    /** One entry of {@code DescribeTags}: a resource and its tags, in the order their keys were first set. */
    public record TagDescription(String resourceArn, Map<String, String> tags) {
    }

    /** {@code DescribeTags}: of the caller's load balancers, target groups and listeners, each named by ARN. */
    public List<TagDescription> describeTags(Caller c, List<String> resourceArns) {
        return tags.describe(taggable(c, resourceArns));
    }

    /** {@code AddTags}: every tag on every resource named, or, when one check fails, on none. */
    public void addTags(Caller c, List<String> resourceArns, Map<String, String> added) {
        tags.add(taggable(c, resourceArns), added);
    }

    /** {@code RemoveTags}: the keys from every resource named. */
    public void removeTags(Caller c, List<String> resourceArns, List<String> keys) {
        tags.remove(taggable(c, resourceArns), keys);
    }

    /**
     * {@code DescribeListenerAttributes}: a TCP listener's one attribute, the idle timeout of its flows,
     * which the sim-config sets per load balancer.
     */
    public Map<String, String> listenerAttributes(Caller c, String listenerArn) {
        Listener l = listener(c, listenerArn);
        return Map.of(LISTENER_IDLE_TIMEOUT, String.valueOf(byArn.get(l.loadBalancerArn()).lb.idleTimeoutSeconds()));
    }

    /** {@code DescribeLoadBalancerAttributes}: the modelled attribute, then AWS's fixed defaults. */
    public Map<String, String> loadBalancerAttributes(Caller c, String loadBalancerArn) {
        Balancer b = visible(c, loadBalancerArn);
        synchronized (b) {
            return lbAttributes(b.settings);
        }
    }

    /** {@code DescribeTargetGroupAttributes}: the modelled attributes, then AWS's fixed defaults. */
    public Map<String, String> targetGroupAttributes(Caller c, String targetGroupArn) {
        TargetGroup g = group(c, targetGroupArn);
        return tgAttributes(settings(g.loadBalancerArn()).targetGroups());
    }

    // ---------------------------------------------------------------- changes

    /** {@code ModifyLoadBalancerAttributes}: checks every pair, then applies them all; answers all attributes. */
    public Map<String, String> modifyLoadBalancerAttributes(Caller c, String loadBalancerArn,
            Map<String, String> attributes) {
        Balancer b = visible(c, loadBalancerArn);
        if (attributes.isEmpty()) {
            throw validation("Attributes must contain at least one attribute");
        }
        LoadBalancerSettings now;
        synchronized (b) {
            LoadBalancerSettings s = b.settings;
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                String key = a.getKey();
                String value = a.getValue();
                if (key.equals(LB_CROSS_ZONE)) {
                    s = new LoadBalancerSettings(s.loadBalancerArn(), bool(key, value), s.targetGroups());
                } else {
                    refuseFixed(FIXED_LB_ATTRIBUTES, key, value, "load balancer");
                }
            }
            b.settings = s;
            now = s;
        }
        listeners.forEach(l -> l.settingsChanged(now));
        return lbAttributes(now);
    }

    /** {@code ModifyTargetGroupAttributes}: checks every pair, then applies them all; answers all attributes. */
    public Map<String, String> modifyTargetGroupAttributes(Caller c, String targetGroupArn,
            Map<String, String> attributes) {
        TargetGroup g = group(c, targetGroupArn);
        if (attributes.isEmpty()) {
            throw validation("Attributes must contain at least one attribute");
        }
        Balancer b = byArn.get(g.loadBalancerArn());
        LoadBalancerSettings now;
        synchronized (b) {
            TargetGroupSettings t = b.settings.targetGroups();
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                String key = a.getKey();
                String value = a.getValue();
                t = switch (key) {
                    case DEREGISTRATION_DELAY -> t.withDeregistrationDelay(integer(key, value, 0, 3600));
                    case TERMINATE_ON_DEREGISTRATION -> t.withTerminateOnDeregistration(bool(key, value));
                    case PROXY_PROTOCOL -> t.withProxyProtocol(bool(key, value));
                    case HEADER_PLACEMENT -> t.withPlacement(placement(value));
                    case TG_CROSS_ZONE -> t.withCrossZone(crossZoneSetting(value));
                    case TERMINATE_ON_UNHEALTHY -> t.withTerminateOnUnhealthy(bool(key, value));
                    default -> {
                        refuseFixed(FIXED_TG_ATTRIBUTES, key, value, "target group");
                        yield t;
                    }
                };
            }
            b.settings = new LoadBalancerSettings(b.lb.arn(), b.settings.crossZone(), t);
            now = b.settings;
        }
        listeners.forEach(l -> l.settingsChanged(now));
        return tgAttributes(now.targetGroups());
    }

    /**
     * What {@code ModifyTargetGroup} may change: the TCP health check. Null fields stay as they are.
     *
     * @param port "traffic-port" or a port number, as text
     */
    public record HealthCheckChange(String protocol, String port, Boolean enabled, Integer intervalSeconds,
            Integer timeoutSeconds, Integer healthyThreshold, Integer unhealthyThreshold, String path,
            String matcher) {
    }

    /** {@code ModifyTargetGroup}: the health check, checked as AWS checks an NLB's TCP one. */
    public TargetGroup modifyTargetGroup(Caller c, String targetGroupArn, HealthCheckChange h) {
        TargetGroup g = group(c, targetGroupArn);
        if (h.protocol() != null && !h.protocol().equals("TCP")) {
            throw new ControlPlaneException("InvalidConfigurationRequest", "Health check protocol " + h.protocol()
                    + " is not modelled by plsim: its nodes check targets by TCP connect only");
        }
        if (h.path() != null || h.matcher() != null) {
            throw new ControlPlaneException("InvalidConfigurationRequest",
                    "A TCP health check has no path or matcher (HealthCheckPath, Matcher)");
        }
        if (Boolean.FALSE.equals(h.enabled())) {
            throw new ControlPlaneException("InvalidConfigurationRequest",
                    "Health checks cannot be disabled for a target group of type ip behind a Network Load Balancer");
        }
        Balancer b = byArn.get(g.loadBalancerArn());
        LoadBalancerSettings now;
        synchronized (b) {
            LoadBalancer.HealthCheck hc = b.settings.targetGroups().healthCheck();
            long interval = h.intervalSeconds() == null ? hc.intervalMillis()
                    : 1000L * range("HealthCheckIntervalSeconds", h.intervalSeconds(), 5, 300);
            long timeout = h.timeoutSeconds() == null ? hc.timeoutMillis()
                    : 1000L * range("HealthCheckTimeoutSeconds", h.timeoutSeconds(), 2, 120);
            if (timeout > interval) {
                throw validation("Health check timeout (" + timeout / 1000.0 + " s) must be smaller than the interval ("
                        + interval / 1000.0 + " s)");
            }
            int healthy = h.healthyThreshold() == null ? hc.healthyThreshold()
                    : range("HealthyThresholdCount", h.healthyThreshold(), 2, 10);
            int unhealthy = h.unhealthyThreshold() == null ? hc.unhealthyThreshold()
                    : range("UnhealthyThresholdCount", h.unhealthyThreshold(), 2, 10);
            int port = hc.port();
            if (h.port() != null) {
                port = h.port().equals("traffic-port") ? 0 : integer("HealthCheckPort", h.port(), 1, 65535);
            }
            TargetGroupSettings t = b.settings.targetGroups().withHealthCheck(
                    new LoadBalancer.HealthCheck(interval, timeout, healthy, unhealthy, port));
            b.settings = new LoadBalancerSettings(b.lb.arn(), b.settings.crossZone(), t);
            now = b.settings;
        }
        listeners.forEach(l -> l.settingsChanged(now));
        return g;
    }

    /**
     * {@code RegisterTargets}: IP targets on loopback, each in a zone where the load balancer has a node (its
     * {@code AvailabilityZone}, or the zone of the subnet holding its address). One already registered is left
     * as it is; one draining is registered again.
     */
    public void registerTargets(Caller c, String targetGroupArn, List<TargetRef> targets) {
        TargetGroup g = group(c, targetGroupArn);
        Balancer b = byArn.get(g.loadBalancerArn());
        if (targets.isEmpty()) {
            throw validation("Targets must contain at least one target");
        }
        List<LoadBalancer.Target> added = new ArrayList<>();
        synchronized (b) {
            List<LoadBalancer.Target> checked = new ArrayList<>();
            for (TargetRef r : targets) {
                checked.add(target(b, g, r));
            }
            for (LoadBalancer.Target t : checked) {
                if (b.registered.stream().noneMatch(x -> x.host().equals(t.host()) && x.port() == t.port())
                        && added.stream().noneMatch(x -> x.equals(t))) {
                    b.registered.add(t);
                    added.add(t);
                }
            }
        }
        if (!added.isEmpty()) {
            listeners.forEach(l -> l.targetsRegistered(b.lb.arn(), List.copyOf(added)));
        }
    }

    /** {@code DeregisterTargets}: each must be registered; they drain for the deregistration delay. */
    public void deregisterTargets(Caller c, String targetGroupArn, List<TargetRef> targets) {
        TargetGroup g = group(c, targetGroupArn);
        Balancer b = byArn.get(g.loadBalancerArn());
        if (targets.isEmpty()) {
            throw validation("Targets must contain at least one target");
        }
        List<LoadBalancer.Target> removed = new ArrayList<>();
        synchronized (b) {
            List<String> missing = new ArrayList<>();
            for (TargetRef r : targets) {
                int port = r.port() == null ? g.port() : r.port();
                Optional<LoadBalancer.Target> t = b.registered.stream()
                        .filter(x -> x.host().equals(r.id()) && x.port() == port).findFirst();
                if (t.isEmpty()) {
                    missing.add(r.id() + ":" + port);
                } else if (!removed.contains(t.get())) {
                    removed.add(t.get());
                }
            }
            if (!missing.isEmpty()) {
                throw new ControlPlaneException("InvalidTarget", "The following targets are not registered in"
                        + " target group '" + g.name() + "': " + String.join(", ", missing));
            }
            b.registered.removeAll(removed);
        }
        listeners.forEach(l -> l.targetsDeregistered(b.lb.arn(), List.copyOf(removed)));
    }

    private LoadBalancer.Target target(Balancer b, TargetGroup g, TargetRef r) {
        Optional<Integer> ip = r.id() == null ? Optional.empty() : Ipv4.parse(r.id());
        if (ip.isEmpty()) {
            throw new ControlPlaneException("InvalidTarget", "The target " + r.id() + " is not an IPv4 address;"
                    + " plsim's target groups are of type ip");
        }
        if ((ip.get() >>> 24) != 127) {
            throw new ControlPlaneException("InvalidTarget", "The target " + r.id()
                    + " is not on loopback (127.0.0.0/8): plsim only sends to this machine");
        }
        int port = r.port() == null ? g.port() : range("Port", r.port(), 1, 65535);
        String zoneName = r.availabilityZone();
        if (zoneName == null) {
            zoneName = topology.subnets().values().stream()
                    .filter(s -> s.accountId().equals(b.lb.accountId()) && s.cidr().contains(ip.get()))
                    .map(Subnet::zoneName).findFirst()
                    .orElseThrow(() -> validation("AvailabilityZone is required for target " + r.id()
                            + ", which is in no subnet of the load balancer's account"));
        }
        if (zoneName.equals("all")) {
            throw new ControlPlaneException("InvalidConfigurationRequest", "AvailabilityZone all is not modelled by"
                    + " plsim: register each target in one zone");
        }
        String wanted = zoneName;
        LoadBalancer.NlbNodeSpec node = b.lb.nodes().stream().filter(n -> n.zoneName().equals(wanted)).findFirst()
                .orElseThrow(() -> new ControlPlaneException("InvalidTarget", "The load balancer " + b.lb.name()
                        + " has no node in " + wanted + "; its zones: " + String.join(", ",
                        b.lb.nodes().stream().map(LoadBalancer.NlbNodeSpec::zoneName).toList())));
        return new LoadBalancer.Target(node.zoneName(), node.zoneId(), LoadBalancer.TargetKind.ADDRESS,
                Ipv4.format(ip.get()), port);
    }

    // ---------------------------------------------------------------- helpers

    private List<TargetStatus> initialHealth(String loadBalancerArn) {
        Balancer b = balancer(loadBalancerArn);
        LoadBalancer.HealthCheck hc;
        List<LoadBalancer.Target> targets;
        synchronized (b) {
            hc = b.settings.targetGroups().healthCheck();
            targets = List.copyOf(b.registered);
        }
        return targets.stream().map(t -> new TargetStatus(t.zoneName(), t.host(), t.port(),
                hc.port() == 0 ? t.port() : hc.port(), State.INITIAL, "Elb.InitialHealthChecking")).toList();
    }

    private static Map<String, String> lbAttributes(LoadBalancerSettings s) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(LB_CROSS_ZONE, String.valueOf(s.crossZone()));
        out.putAll(FIXED_LB_ATTRIBUTES);
        return out;
    }

    /**
     * plsim's own attributes: the health check interval and timeout as simulated, in milliseconds, where
     * DescribeTargetGroups shows them clamped into ELBv2's ranges.
     */
    public static final String PLSIM_INTERVAL_MS = "plsim.health_check.interval_ms";
    public static final String PLSIM_TIMEOUT_MS = "plsim.health_check.timeout_ms";

    private static Map<String, String> tgAttributes(TargetGroupSettings t) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(DEREGISTRATION_DELAY, String.valueOf(t.deregistrationDelaySeconds()));
        out.put(TERMINATE_ON_DEREGISTRATION, String.valueOf(t.terminateOnDeregistration()));
        out.put(PROXY_PROTOCOL, String.valueOf(t.proxyProtocol()));
        out.put(HEADER_PLACEMENT, t.placement() == HeaderPlacement.ON_FIRST_ACK ? "on_first_ack"
                : "on_first_ack_with_payload");
        out.put(TG_CROSS_ZONE, t.crossZone().wire());
        out.put(TERMINATE_ON_UNHEALTHY, String.valueOf(t.terminateOnUnhealthy()));
        out.putAll(FIXED_TG_ATTRIBUTES);
        // The checks as simulated, which may be faster than ELBv2's ranges allow; read-only.
        out.put(PLSIM_INTERVAL_MS, String.valueOf(t.healthCheck().intervalMillis()));
        out.put(PLSIM_TIMEOUT_MS, String.valueOf(t.healthCheck().timeoutMillis()));
        return out;
    }

    private List<LoadBalancer> own(Caller c) {
        return byArn.values().stream().map(b -> b.lb).filter(lb -> lb.accountId().equals(c.accountId())).toList();
    }

    /** The ARNs a tag action names, each checked to be of the caller's load balancer, target group or listener. */
    private List<String> taggable(Caller c, List<String> resourceArns) {
        if (resourceArns.isEmpty()) {
            throw validation("ResourceArns must contain at least one ARN");
        }
        for (String arn : resourceArns) {
            if (arn.contains(":targetgroup/")) {
                group(c, arn);
            } else if (arn.contains(":listener/")) {
                listener(c, arn);
            } else {
                visible(c, arn);
            }
        }
        return resourceArns;
    }

    private Listener listener(Caller c, String listenerArn) {
        ArnKind.LISTENER.check(listenerArn);
        for (LoadBalancer lb : own(c)) {
            for (Listener l : byArn.get(lb.arn()).listeners) {
                if (l.arn().equals(listenerArn)) {
                    return l;
                }
            }
        }
        throw new ControlPlaneException("ListenerNotFound", "Listener '" + listenerArn + "' not found");
    }

    private Balancer visible(Caller c, String loadBalancerArn) {
        Balancer b = byArn.get(ArnKind.LOAD_BALANCER.check(loadBalancerArn));
        if (b == null || !b.lb.accountId().equals(c.accountId())) {
            throw new ControlPlaneException("LoadBalancerNotFound", "Load balancer '" + loadBalancerArn
                    + "' not found");
        }
        return b;
    }

    private Balancer balancer(String loadBalancerArn) {
        Balancer b = byArn.get(loadBalancerArn);
        if (b == null) {
            throw new IllegalArgumentException("no load balancer " + loadBalancerArn);
        }
        return b;
    }

    private TargetGroup group(Caller c, String targetGroupArn) {
        if (targetGroupArn == null) {
            throw validation("TargetGroupArn is required");
        }
        ArnKind.TARGET_GROUP.check(targetGroupArn);
        for (Balancer b : byArn.values()) {
            if (b.lb.accountId().equals(c.accountId())) {
                for (TargetGroup g : b.groups) {
                    if (g.arn().equals(targetGroupArn)) {
                        return g;
                    }
                }
            }
        }
        throw new ControlPlaneException("TargetGroupNotFound", "Target group '" + targetGroupArn + "' not found");
    }

    private static <T> List<T> pick(List<T> all, List<String> keys, java.util.function.Function<T, String> key,
            String code, String message) {
        List<T> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String k : keys) {
            Optional<T> hit = all.stream().filter(t -> key.apply(t).equals(k)).findFirst();
            if (hit.isEmpty()) {
                missing.add(k);
            } else if (!out.contains(hit.get())) {
                out.add(hit.get());
            }
        }
        if (!missing.isEmpty()) {
            throw new ControlPlaneException(code, message + ": " + String.join(", ", missing));
        }
        return out;
    }

    /** The VPC whose subnet holds a load balancer's first node, where ELBv2 says the load balancer is. */
    public Optional<String> vpcOf(LoadBalancer lb) {
        return lb.nodes().isEmpty() ? Optional.empty() : subnetOf(lb.nodes().get(0).ip()).map(Subnet::vpcId);
    }

    /** The subnet of the world that holds an address, if one does. */
    public Optional<Subnet> subnetOf(int ip) {
        return topology.subnets().values().stream().filter(s -> s.cidr().contains(ip)).findFirst();
    }

    private static String groupName(String lbName, int port) {
        String suffix = "-" + port;
        return (lbName.length() + suffix.length() > 32 ? lbName.substring(0, 32 - suffix.length()) : lbName) + suffix;
    }

    private static String hex16(String seed) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ControlPlaneException validation(String message) {
        return new ControlPlaneException("ValidationError", message);
    }


    /** Sets a load balancer's cross-zone attribute for what steers it without an API caller (scenarios, the demo). */
    public void crossZone(String loadBalancerArn, boolean on) {
        Balancer b = balancer(loadBalancerArn);
        LoadBalancerSettings now;
        synchronized (b) {
            b.settings = new LoadBalancerSettings(b.lb.arn(), on, b.settings.targetGroups());
            now = b.settings;
        }
        listeners.forEach(l -> l.settingsChanged(now));
    }
}
