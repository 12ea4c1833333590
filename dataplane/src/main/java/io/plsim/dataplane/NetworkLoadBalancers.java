package io.plsim.dataplane;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.plsim.core.config.World;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.model.LoadBalancer;
import io.plsim.dataplane.builtin.BuiltinTargetServer;
import io.plsim.dataplane.fault.FaultTable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The world's network load balancers as the data plane runs them, by ARN in the world's order:
 * brought up once by {@link #start} (built-in targets listening, every target's address resolved,
 * one node per zone, health checks going) and stopped by {@link #stop}. They are all in place
 * before anything else reads them and none comes or goes after, so readers need no lock. Every
 * built-in target that started is closed by {@link #stop}, even when a later one failed to start.
 */
final class NetworkLoadBalancers {

    private final Map<String, LoadBalancerRuntime> byArn = new LinkedHashMap<>();
    private final Map<String, LoadBalancerRuntime> readOnly = Collections.unmodifiableMap(byArn);
    private final List<BuiltinTargetServer> builtins = new ArrayList<>();

    /** The load balancers by ARN; a view, empty until {@link #start}. */
    Map<String, LoadBalancerRuntime> byArn() {
        return readOnly;
    }

    Collection<LoadBalancerRuntime> all() {
        return readOnly.values();
    }

    /**
     * Brings up every network load balancer of the world and starts its nodes' health checks.
     *
     * @throws DataPlaneException naming the built-in target that could not start, and why
     */
    void start(World world, Transport transport, EventLoopGroup ioGroup, EventLog events, FaultTable faults)
            throws DataPlaneException {
        int nodeIndex = 0;
        for (LoadBalancer lb : world.topology().loadBalancers().values()) {
            if (!lb.isNetwork()) {
                continue;
            }
            LoadBalancerRuntime runtime = new LoadBalancerRuntime(lb, world.loadBalancing().settings(lb.arn()));
            for (LoadBalancer.Target t : lb.targets()) {
                InetSocketAddress address = new InetSocketAddress(t.host(), t.port());
                if (t.kind() != LoadBalancer.TargetKind.ADDRESS) {
                    try {
                        BuiltinTargetServer server = BuiltinTargetServer.start(t.kind(), address, ioGroup,
                                transport.serverChannel(),
                                FileDescriptors.process().acceptErrors("built-in target " + address));
                        builtins.add(server);
                        address = server.address();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new DataPlaneException("interrupted while starting built-in targets");
                    } catch (RuntimeException e) {
                        throw new DataPlaneException("cannot start built-in target " + t.kind().configName()
                                + " on " + t.address() + " of " + lb.name() + ": " + e.getMessage());
                    }
                }
                LoadBalancer.Target bound = t;
                if (t.kind() != LoadBalancer.TargetKind.ADDRESS) {
                    world.loadBalancing().targetBound(lb.arn(), t, address.getPort());
                    bound = new LoadBalancer.Target(t.zoneName(), t.zoneId(), t.kind(), t.host(), address.getPort());
                }
                runtime.add(new TargetRuntime(bound, address, lb.nodes().size()));
            }
            int index = 0;
            for (LoadBalancer.NlbNodeSpec n : lb.nodes()) {
                runtime.nodesByZoneId.put(n.zoneId(), new NlbNode(runtime, n, index++,
                        (int) world.simulation().seed() * 31 + nodeIndex++, events, faults));
            }
            byArn.put(lb.arn(), runtime);
        }
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : ioGroup) {
            loops.add((EventLoop) e);
        }
        for (LoadBalancerRuntime lb : byArn.values()) {
            for (NlbNode node : lb.nodesByZoneId.values()) {
                node.startHealthChecks(loops, transport);
            }
        }
    }

    /** The load balancer of that ARN or name. */
    LoadBalancerRuntime named(String arnOrName) {
        LoadBalancerRuntime lb = byArn.get(arnOrName);
        if (lb == null) {
            lb = byArn.values().stream().filter(l -> l.spec.name().equals(arnOrName)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no network load balancer " + arnOrName));
        }
        return lb;
    }

    /** The node an interface forwards to: its load balancer's in its zone, or null when there is none. */
    NlbNode nodeOf(EndpointInterface eni) {
        LoadBalancerRuntime lb = byArn.get(eni.loadBalancerArn());
        return lb == null ? null : lb.nodesByZoneId.get(eni.zoneId());
    }

    /** Stops every node's health checks, then closes the built-in targets. */
    void stop() {
        byArn.values().forEach(lb -> lb.nodesByZoneId.values().forEach(NlbNode::stop));
        builtins.forEach(BuiltinTargetServer::close);
    }
}
