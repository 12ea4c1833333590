package io.plsim.dataplane;

import io.plsim.core.model.Fault;
import io.plsim.core.model.LoadBalancer;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * A registered target of a load balancer as the data plane runs it: its resolved address (built-in
 * targets get theirs when they bind) and how many flows it has received.
 */
final class TargetRuntime {

    final LoadBalancer.Target spec;
    /** This target's position in its load balancer's target list. */
    final int index;
    final InetSocketAddress address;
    final int healthCheckPort;
    final LongAdder flows = new LongAdder();
    /** Where it is, as faults' scopes name it: its zone and {@code host:port}. */
    final Fault.Location location;

    TargetRuntime(LoadBalancer.Target spec, int index, InetSocketAddress address, int healthCheckPort) {
        this.spec = spec;
        this.index = index;
        this.address = address;
        this.healthCheckPort = healthCheckPort == 0 ? address.getPort() : healthCheckPort;
        this.location = Fault.Location.ofTarget(spec.zoneId(), label());
    }

    String zoneId() {
        return spec.zoneId();
    }

    String label() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    @Override
    public String toString() {
        return label() + " (" + spec.zoneName() + ")";
    }
}
