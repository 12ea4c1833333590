package io.plsim.dataplane;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.plsim.core.model.Fault;
import io.plsim.core.model.LoadBalancer;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * A registered target of a load balancer as the data plane runs it: its resolved address (built-in
 * targets get theirs when they bind), its health as each node sees it, its open flows per node, and
 * how many flows it has received. A deregistered target drains: it gets no new flows and is no
 * longer checked, and its open flows go on until the deregistration delay ends.
 */
final class TargetRuntime {

    final LoadBalancer.Target spec;
    final InetSocketAddress address;
    final LongAdder flows = new LongAdder();
    /** How long the nodes' connects to it took. */
    final ConnectTimes connectTimes = new ConnectTimes();
    /** The same flows by the endpoint they came through. */
    final java.util.concurrent.ConcurrentHashMap<String, LongAdder> flowsByEndpoint =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** One more flow, through {@code endpointId}. */
    void countFlow(String endpointId) {
        flows.increment();
        flowsByEndpoint.computeIfAbsent(endpointId, e -> new LongAdder()).increment();
    }
    /** Where it is, as faults' scopes name it: its zone and {@code host:port}. */
    final Fault.Location location;
    /** Its health as each node of its load balancer sees it, by {@link NlbNode#index}; guarded by that node. */
    final TargetHealth[] health;
    /** The client-side channels of its open flows, by node index, to reset them when it goes. */
    final ChannelGroup[] open;
    /** Set when it is deregistered; it leaves its load balancer when the drain ends. */
    volatile boolean draining;
    /** Bumped by each registration, so that a drain begun before a re-registration ends nothing. */
    volatile int generation;

    TargetRuntime(LoadBalancer.Target spec, InetSocketAddress address, int nodes) {
        this.spec = spec;
        this.address = address;
        this.location = Fault.Location.ofTarget(spec.zoneId(), label());
        this.health = new TargetHealth[nodes];
        this.open = new ChannelGroup[nodes];
        for (int i = 0; i < nodes; i++) {
            health[i] = TargetHealth.INITIAL;
            open[i] = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        }
    }

    String zoneId() {
        return spec.zoneId();
    }

    /** The port its health checks go to: the check's own, or the traffic port. */
    int healthCheckPort(LoadBalancer.HealthCheck hc) {
        return hc.port() == 0 ? address.getPort() : hc.port();
    }

    boolean is(String host, int port) {
        return address.getAddress().getHostAddress().equals(host) && address.getPort() == port;
    }

    String label() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    @Override
    public String toString() {
        return label() + " (" + spec.zoneName() + ")";
    }
}
