package io.plsim.dataplane;

import io.netty.channel.EventLoopGroup;
import io.plsim.core.elb.LoadBalancerSettings;
import io.plsim.core.elb.LoadBalancing;
import io.plsim.core.elb.LoadBalancingListener;
import io.plsim.core.elb.TargetHealthSource;
import io.plsim.core.model.LoadBalancer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the running load balancers and ELBv2 in step, both ways: every change the API makes
 * (settings, targets registered, targets deregistered) is applied to the load balancer it names, and
 * the API's target health is answered from what the nodes see.
 *
 * <p>A deregistered target drains until its delay ends. Registered again meanwhile, it stays the same
 * {@link TargetRuntime} under a new generation, so the end of the earlier drain sees that and leaves
 * it alone. Once {@link #stop stopped} it follows no registration, so a closing data plane starts
 * checking nothing.
 */
final class LoadBalancerFollower implements LoadBalancingListener {

    private final LoadBalancing loadBalancing;
    private final Map<String, LoadBalancerRuntime> loadBalancers;
    private final EventLog events;
    private final EventLoopGroup drainTimers;
    private volatile boolean stopped;

    /**
     * @param loadBalancers the running load balancers by ARN, filled before {@link #follow} and
     *                      never changed after
     * @param drainTimers   where the end of a drain is scheduled
     */
    LoadBalancerFollower(LoadBalancing loadBalancing, Map<String, LoadBalancerRuntime> loadBalancers, EventLog events,
                         EventLoopGroup drainTimers) {
        this.loadBalancing = loadBalancing;
        this.loadBalancers = loadBalancers;
        this.events = events;
        this.drainTimers = drainTimers;
    }

    /** From now on ELBv2 asks it for target health and tells it of every change. */
    void follow() {
        loadBalancing.healthFrom(this::targetHealth);
        loadBalancing.addListener(this);
    }

    /** Follows no more changes. */
    void stop() {
        stopped = true;
        loadBalancing.removeListener(this);
    }

    @Override
    public void settingsChanged(LoadBalancerSettings now) {
        LoadBalancerRuntime lb = loadBalancers.get(now.loadBalancerArn());
        if (lb != null) {
            lb.settings(now);
            events.record("load-balancer", "loadBalancer", lb.spec.name(), "crossZone",
                    String.valueOf(now.flowsCrossZones()), "proxyProtocol", String.valueOf(lb.proxyProtocol()));
        }
    }

    @Override
    public void targetsRegistered(String loadBalancerArn, List<LoadBalancer.Target> targets) {
        LoadBalancerRuntime lb = loadBalancers.get(loadBalancerArn);
        if (lb == null || stopped) {
            return;
        }
        for (LoadBalancer.Target t : targets) {
            TargetRuntime again = lb.targets().stream().filter(r -> r.is(t.host(), t.port())).findFirst()
                    .orElse(null);
            TargetRuntime r = again != null ? again
                    : new TargetRuntime(t, new InetSocketAddress(t.host(), t.port()), lb.spec.nodes().size());
            r.generation++;
            r.draining = false;
            if (again == null) {
                lb.add(r);
            }
            events.record("target-registered", "loadBalancer", lb.spec.name(), "target", r.label(),
                    "zone", t.zoneName());
            lb.nodesByZoneId.values().forEach(n -> n.startChecking(r));
        }
        lb.nodesByZoneId.values().forEach(NlbNode::refresh);
    }

    @Override
    public void targetsDeregistered(String loadBalancerArn, List<LoadBalancer.Target> targets) {
        LoadBalancerRuntime lb = loadBalancers.get(loadBalancerArn);
        if (lb == null || stopped) {
            return;
        }
        var group = lb.settings().targetGroups();
        for (LoadBalancer.Target t : targets) {
            lb.targets().stream().filter(r -> r.is(t.host(), t.port()) && !r.draining).findFirst()
                    .ifPresent(r -> drain(lb, r, group.deregistrationDelaySeconds()));
        }
        lb.nodesByZoneId.values().forEach(NlbNode::refresh);
    }

    /**
     * A deregistered target drains: no new flows, no more checks; its open flows go on until the
     * deregistration delay ends, when they are reset if the target group says so, and it leaves.
     */
    private void drain(LoadBalancerRuntime lb, TargetRuntime r, int delaySeconds) {
        r.draining = true;
        int generation = r.generation;
        events.record("target-draining", "loadBalancer", lb.spec.name(), "target", r.label(), "delaySeconds",
                String.valueOf(delaySeconds));
        drainTimers.next().schedule(() -> {
            if (!r.draining || r.generation != generation) {
                return; // registered again meanwhile
            }
            if (lb.settings().targetGroups().terminateOnDeregistration()) {
                lb.nodesByZoneId.values().forEach(n -> n.resetFlows(r));
            }
            lb.remove(r);
            events.record("target-deregistered", "loadBalancer", lb.spec.name(), "target", r.label());
        }, delaySeconds, TimeUnit.SECONDS);
    }

    /** The ELBv2 view of a load balancer's targets: one state per target, from what every node sees. */
    private List<TargetHealthSource.TargetStatus> targetHealth(String loadBalancerArn) {
        LoadBalancerRuntime lb = loadBalancers.get(loadBalancerArn);
        if (lb == null) {
            return List.of();
        }
        var hc = lb.settings().targetGroups().healthCheck();
        List<TargetHealthSource.TargetStatus> out = new ArrayList<>();
        for (TargetRuntime t : lb.targets()) {
            TargetHealthSource.State state;
            String reason;
            if (t.draining) {
                state = TargetHealthSource.State.DRAINING;
                reason = "Target.DeregistrationInProgress";
            } else {
                List<TargetHealth> seen = lb.nodesByZoneId.values().stream().map(n -> n.health(t)).toList();
                if (seen.contains(TargetHealth.UNHEALTHY)) {
                    state = TargetHealthSource.State.UNHEALTHY;
                    reason = "Target.FailedHealthChecks";
                } else if (!seen.isEmpty() && seen.stream().allMatch(h -> h == TargetHealth.HEALTHY)) {
                    state = TargetHealthSource.State.HEALTHY;
                    reason = null;
                } else {
                    state = TargetHealthSource.State.INITIAL;
                    reason = "Elb.InitialHealthChecking";
                }
            }
            out.add(new TargetHealthSource.TargetStatus(t.spec.zoneName(), t.address.getAddress().getHostAddress(),
                    t.address.getPort(), t.healthCheckPort(hc), state, reason));
        }
        return out;
    }
}
