package io.plsim.dataplane;

import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Fault;
import io.plsim.core.model.LoadBalancer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a fault's scope names in a running world: the interfaces, nodes and targets it applies to and,
 * for a fault that health checks must notice, how soon they will, so that whoever adds a fault (the
 * admin API, an embedding test) is told exactly what it reaches. A scope that names what the world
 * lacks is refused before (see {@link DataPlane#scopeProblems}). A reading of one moment.
 *
 * @param healthChecks empty for a connection fault, which acts on connections and not on health
 */
public record FaultReach(List<Interface> interfaces, List<Node> nodes, List<Target> targets,
                         List<HealthChecks> healthChecks) {

    public FaultReach {
        interfaces = List.copyOf(interfaces);
        nodes = List.copyOf(nodes);
        targets = List.copyOf(targets);
        healthChecks = List.copyOf(healthChecks);
    }

    /** An endpoint network interface the fault applies to. */
    public record Interface(String endpoint, String ip, String zoneId) {
    }

    /** An NLB node the fault applies to. */
    public record Node(String loadBalancer, String ip, String zoneId) {
    }

    /** A target the fault applies to, as {@code host:port}. */
    public record Target(String loadBalancer, String address, String zoneId) {
    }

    /**
     * The health checks of a load balancer the fault touches: every {@code intervalSeconds}, unhealthy
     * after {@code unhealthyThreshold} failures, so failover after about {@code failoverAfterSeconds},
     * and a sentence that says so, so that AWS's 30 s defaults do not make an experiment look as if the
     * fault did nothing.
     */
    public record HealthChecks(String loadBalancer, double intervalSeconds, int unhealthyThreshold,
                               double failoverAfterSeconds, String note) {
    }

    static FaultReach of(DataPlane dp, Fault f) {
        Fault.Scope s = f.scope();
        boolean targetFault = switch (f.kind()) {
            case TARGET_DOWN, TARGET_BLACKHOLE, TARGET_UNHEALTHY -> true;
            default -> false;
        };
        List<Interface> interfaces = new ArrayList<>();
        if (!targetFault) {
            // An interface with the node it forwards to, so that a node-down fault lists the
            // interfaces of its node, as the data plane holds them silent.
            for (VpcEndpoint e : dp.world().controlPlane().endpoints()) {
                for (EndpointInterface i : e.interfaces()) {
                    String node = nodeIp(dp, i);
                    // An interface without a node does not listen: no fault applies to it.
                    if (node != null && s.matches(Fault.Location.ofInterface(i.zoneId(), e.vpcEndpointId(),
                            i.privateIp(), node))) {
                        interfaces.add(new Interface(e.vpcEndpointId(), i.privateIp(), i.zoneId()));
                    }
                }
            }
        }
        List<Node> nodes = new ArrayList<>();
        if (f.kind() == Fault.Kind.NODE_DOWN || f.kind() == Fault.Kind.AZ_OUTAGE || s.node() != null) {
            for (LoadBalancer lb : dp.world().topology().loadBalancers().values()) {
                for (LoadBalancer.NlbNodeSpec n : lb.nodes()) {
                    if (s.matches(Fault.Location.ofNode(n.zoneId(), n.ipText()))) {
                        nodes.add(new Node(lb.name(), n.ipText(), n.zoneId()));
                    }
                }
            }
        }
        List<Target> targets = new ArrayList<>();
        if (targetFault || f.kind() == Fault.Kind.AZ_OUTAGE || s.target() != null) {
            for (TargetView t : dp.targets()) {
                if (s.matches(Fault.Location.ofTarget(t.zoneId(), t.address()))) {
                    targets.add(new Target(t.loadBalancer(), t.address(), t.zoneId()));
                }
            }
        }
        List<HealthChecks> checks = f.kind().isConnectionFault() ? List.of() : healthChecks(dp, nodes, targets);
        return new FaultReach(interfaces, nodes, targets, checks);
    }

    /** The IP of the NLB node an interface forwards to, or null. */
    private static String nodeIp(DataPlane dp, EndpointInterface i) {
        return dp.world().topology().loadBalancers().values().stream()
                .filter(lb -> lb.arn().equals(i.loadBalancerArn()))
                .flatMap(lb -> lb.nodes().stream())
                .filter(n -> n.zoneId().equals(i.zoneId()))
                .map(LoadBalancer.NlbNodeSpec::ipText)
                .findFirst().orElse(null);
    }

    /** The checks of each network load balancer whose nodes or targets the fault reaches, in the world's order. */
    private static List<HealthChecks> healthChecks(DataPlane dp, List<Node> nodes, List<Target> targets) {
        Set<String> names = new LinkedHashSet<>();
        nodes.forEach(n -> names.add(n.loadBalancer()));
        targets.forEach(t -> names.add(t.loadBalancer()));
        List<HealthChecks> out = new ArrayList<>();
        for (LoadBalancer lb : dp.world().topology().loadBalancers().values()) {
            if (!names.contains(lb.name()) || !lb.isNetwork()) {
                continue;
            }
            LoadBalancer.HealthCheck hc = dp.world().loadBalancing().settings(lb.arn()).targetGroups().healthCheck();
            double every = hc.intervalMillis() / 1000.0;
            double failover = every * hc.unhealthyThreshold();
            out.add(new HealthChecks(lb.name(), every, hc.unhealthyThreshold(), failover,
                    String.format(Locale.ROOT, "health checks of %s every %s s, %d failed in a row to unhealthy:"
                            + " failover expected after about %s s", lb.name(), trim(every), hc.unhealthyThreshold(),
                            trim(failover))));
        }
        return out;
    }

    private static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }
}
