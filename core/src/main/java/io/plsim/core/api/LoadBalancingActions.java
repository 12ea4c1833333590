package io.plsim.core.api;

import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.elb.Listener;
import io.plsim.core.elb.LoadBalancerSettings;
import io.plsim.core.elb.LoadBalancing;
import io.plsim.core.elb.LoadBalancing.HealthCheckChange;
import io.plsim.core.elb.LoadBalancing.TargetRef;
import io.plsim.core.elb.TargetGroup;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Subnet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The ELBv2 actions plsim answers, on the load balancers of a world as {@link LoadBalancing} shows and
 * changes them: load balancers and listeners, target groups and their targets, the attributes of all three,
 * and the tags of each.
 *
 * <p>Invariant: every answer is in the service model's shapes (lists as {@code <Name><member>}), and a
 * duration the API counts in seconds is shown as whole seconds within ELBv2's range for it.
 */
final class LoadBalancingActions {

    /** Until a world has a reason to have several, every load balancer was created when the world started. */
    private final Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final LoadBalancing lbs;

    LoadBalancingActions(LoadBalancing lbs) {
        this.lbs = Objects.requireNonNull(lbs, "lbs");
    }

    // ---------------------------------------------------------------- load balancers and listeners

    String describeLoadBalancers(Caller c, QueryParams p, String rid) {
        Marked<LoadBalancer> found = Marked.page("load-balancers", lbs.describeLoadBalancers(c,
                p.list("LoadBalancerArns.member"), p.list("Names.member")), p);
        return Xml.elbResponse("DescribeLoadBalancers", rid, x -> x.members("LoadBalancers", found.items(), (y, lb) -> {
            String id = lb.arn().substring(lb.arn().lastIndexOf('/') + 1);
            y.text("LoadBalancerArn", lb.arn());
            y.text("DNSName", lb.name() + "-" + id + ".elb." + c.region() + ".amazonaws.com");
            if ("us-east-1".equals(c.region()) && lb.isNetwork()) {
                y.text("CanonicalHostedZoneId", "Z26RNL4JYFTOTI");
            }
            y.text("CreatedTime", created.toString());
            y.text("LoadBalancerName", lb.name());
            y.text("Scheme", "internal");
            y.text("VpcId", lbs.vpcOf(lb).orElse(null));
            y.start("State").text("Code", "active").end();
            y.text("Type", lb.type());
            y.members("AvailabilityZones", lb.nodes(), (z, n) -> {
                z.text("ZoneName", n.zoneName());
                z.text("SubnetId", lbs.subnetOf(n.ip()).map(Subnet::id).orElse(null));
                z.members("LoadBalancerAddresses", List.of(n), (a, node) -> a.text("PrivateIPv4Address", node.ipText()));
            });
            y.text("IpAddressType", "ipv4");
        }).text("NextMarker", found.nextMarker()));
    }

    String describeListeners(Caller c, QueryParams p, String rid) {
        Marked<Listener> found = Marked.page("listeners", lbs.describeListeners(c, p.string("LoadBalancerArn"),
                p.list("ListenerArns.member")), p);
        return Xml.elbResponse("DescribeListeners", rid, x -> x.members("Listeners", found.items(), (y, l) -> {
            y.text("ListenerArn", l.arn());
            y.text("LoadBalancerArn", l.loadBalancerArn());
            y.text("Port", l.port());
            y.text("Protocol", "TCP");
            y.members("DefaultActions", List.of(l), (a, listener) -> {
                a.text("Type", "forward");
                a.text("TargetGroupArn", listener.targetGroupArn());
                a.start("ForwardConfig");
                a.members("TargetGroups", List.of(listener), (t, ll) -> {
                    t.text("TargetGroupArn", ll.targetGroupArn());
                    t.text("Weight", 1);
                });
                a.start("TargetGroupStickinessConfig").text("Enabled", false).end();
                a.end();
            });
        }).text("NextMarker", found.nextMarker()));
    }

    // ---------------------------------------------------------------- target groups

    String describeTargetGroups(Caller c, QueryParams p, String rid) {
        Marked<TargetGroup> found = Marked.page("target-groups", lbs.describeTargetGroups(c,
                p.string("LoadBalancerArn"), p.list("TargetGroupArns.member"), p.list("Names.member")), p);
        return Xml.elbResponse("DescribeTargetGroups", rid, x -> x.members("TargetGroups", found.items(),
                (y, g) -> targetGroup(c, y, g)).text("NextMarker", found.nextMarker()));
    }

    private void targetGroup(Caller c, Xml y, TargetGroup g) {
        LoadBalancerSettings s = lbs.settingsOf(c, g);
        LoadBalancer.HealthCheck hc = s.targetGroups().healthCheck();
        y.text("TargetGroupArn", g.arn());
        y.text("TargetGroupName", g.name());
        y.text("Protocol", "TCP");
        y.text("Port", g.port());
        y.text("VpcId", g.vpcId());
        y.text("HealthCheckProtocol", "TCP");
        y.text("HealthCheckPort", hc.port() == 0 ? "traffic-port" : String.valueOf(hc.port()));
        y.text("HealthCheckEnabled", true);
        y.text("HealthCheckIntervalSeconds", seconds(hc.intervalMillis(), 5, 300));
        y.text("HealthCheckTimeoutSeconds", seconds(hc.timeoutMillis(), 2, 120));
        y.text("HealthyThresholdCount", hc.healthyThreshold());
        y.text("UnhealthyThresholdCount", hc.unhealthyThreshold());
        y.members("LoadBalancerArns", List.of(g.loadBalancerArn()), (z, arn) -> z.characters(arn));
        y.text("TargetType", "ip");
        y.text("IpAddressType", "ipv4");
    }

    /**
     * Whole seconds within ELBv2's range for the field, so that a client validating the answer takes it: a
     * sim-config's 0.1 s check shows as the range's least, and DescribeTargetGroupAttributes carries the
     * simulated value in {@code plsim.health_check.*_ms}.
     */
    private static long seconds(long millis, long least, long most) {
        return Math.min(most, Math.max(least, Math.round(millis / 1000.0)));
    }

    String describeTargetHealth(Caller c, QueryParams p, String rid) {
        List<LoadBalancing.TargetHealthDescription> found = lbs.describeTargetHealth(c,
                p.required("TargetGroupArn"), targets(p));
        return Xml.elbResponse("DescribeTargetHealth", rid, x -> x.members("TargetHealthDescriptions", found,
                (y, t) -> {
                    y.start("Target");
                    y.text("Id", t.id());
                    y.text("Port", t.port());
                    y.text("AvailabilityZone", t.availabilityZone());
                    y.end();
                    y.text("HealthCheckPort", t.healthCheckPort());
                    y.start("TargetHealth");
                    y.text("State", t.state().wire());
                    y.text("Reason", t.reason());
                    y.text("Description", t.description());
                    y.end();
                }));
    }

    String modifyTargetGroup(Caller c, QueryParams p, String rid) {
        TargetGroup g = lbs.modifyTargetGroup(c, p.required("TargetGroupArn"), new HealthCheckChange(
                p.string("HealthCheckProtocol"), p.string("HealthCheckPort"), p.bool("HealthCheckEnabled"),
                p.integer("HealthCheckIntervalSeconds"), p.integer("HealthCheckTimeoutSeconds"),
                p.integer("HealthyThresholdCount"), p.integer("UnhealthyThresholdCount"),
                p.string("HealthCheckPath"), p.string("Matcher.HttpCode")));
        return Xml.elbResponse("ModifyTargetGroup", rid,
                x -> x.members("TargetGroups", List.of(g), (y, tg) -> targetGroup(c, y, tg)));
    }

    String registerTargets(Caller c, QueryParams p, String rid) {
        lbs.registerTargets(c, p.required("TargetGroupArn"), targets(p));
        return Xml.elbResponse("RegisterTargets", rid, x -> { });
    }

    String deregisterTargets(Caller c, QueryParams p, String rid) {
        lbs.deregisterTargets(c, p.required("TargetGroupArn"), targets(p));
        return Xml.elbResponse("DeregisterTargets", rid, x -> { });
    }

    private static List<TargetRef> targets(QueryParams p) {
        List<TargetRef> out = new ArrayList<>();
        for (int i : p.structures("Targets.member")) {
            String prefix = "Targets.member." + i + ".";
            out.add(new TargetRef(p.required(prefix + "Id"), p.integer(prefix + "Port"),
                    p.string(prefix + "AvailabilityZone")));
        }
        return out;
    }

    // ---------------------------------------------------------------- tags

    String describeTags(Caller c, QueryParams p, String rid) {
        List<LoadBalancing.TagDescription> found = lbs.describeTags(c, p.list("ResourceArns.member"));
        return Xml.elbResponse("DescribeTags", rid, x -> x.members("TagDescriptions", found, (y, d) -> {
            y.text("ResourceArn", d.resourceArn());
            y.members("Tags", d.tags().entrySet(), (z, t) -> {
                z.text("Key", t.getKey());
                z.text("Value", t.getValue());
            });
        }));
    }

    String addTags(Caller c, QueryParams p, String rid) {
        Map<String, String> tags = keyValues(p, "Tags.member", key -> new ControlPlaneException("DuplicateTagKeys",
                "A tag key was specified more than once: " + key));
        lbs.addTags(c, p.list("ResourceArns.member"), tags);
        return Xml.elbResponse("AddTags", rid, x -> { });
    }

    String removeTags(Caller c, QueryParams p, String rid) {
        lbs.removeTags(c, p.list("ResourceArns.member"), p.list("TagKeys.member"));
        return Xml.elbResponse("RemoveTags", rid, x -> { });
    }

    // ---------------------------------------------------------------- attributes

    String describeListenerAttributes(Caller c, QueryParams p, String rid) {
        return attributes("DescribeListenerAttributes", rid, lbs.listenerAttributes(c, p.required("ListenerArn")));
    }

    String describeLoadBalancerAttributes(Caller c, QueryParams p, String rid) {
        return attributes("DescribeLoadBalancerAttributes", rid,
                lbs.loadBalancerAttributes(c, p.required("LoadBalancerArn")));
    }

    String modifyLoadBalancerAttributes(Caller c, QueryParams p, String rid) {
        return attributes("ModifyLoadBalancerAttributes", rid,
                lbs.modifyLoadBalancerAttributes(c, p.required("LoadBalancerArn"), asked(p)));
    }

    String describeTargetGroupAttributes(Caller c, QueryParams p, String rid) {
        return attributes("DescribeTargetGroupAttributes", rid,
                lbs.targetGroupAttributes(c, p.required("TargetGroupArn")));
    }

    String modifyTargetGroupAttributes(Caller c, QueryParams p, String rid) {
        return attributes("ModifyTargetGroupAttributes", rid,
                lbs.modifyTargetGroupAttributes(c, p.required("TargetGroupArn"), asked(p)));
    }

    /** {@code Attributes.member.N.Key} and {@code .Value}, in order; a key given twice is an error. */
    private static Map<String, String> asked(QueryParams p) {
        return keyValues(p, "Attributes.member", key -> new ControlPlaneException("ValidationError", "Attribute "
                + key + " is given more than once"));
    }

    /** {@code <list>.N.Key} and {@code .Value} (empty when absent), in order; a key given twice is refused. */
    private static Map<String, String> keyValues(QueryParams p, String list,
            Function<String, ControlPlaneException> twice) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i : p.structures(list)) {
            String prefix = list + "." + i + ".";
            String key = p.required(prefix + "Key");
            String value = p.string(prefix + "Value");
            if (out.put(key, value == null ? "" : value) != null) {
                throw twice.apply(key);
            }
        }
        return out;
    }

    /** The answer of an attributes action: every attribute of the resource after it, each a Key and a Value. */
    private static String attributes(String action, String requestId, Map<String, String> a) {
        return Xml.elbResponse(action, requestId, x -> x.members("Attributes", a.entrySet(), (y, e) -> {
            y.text("Key", e.getKey());
            y.text("Value", e.getValue());
        }));
    }
}
