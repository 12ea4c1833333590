package io.plsim.core.control;

import io.plsim.core.model.Cidr;
import io.plsim.core.model.Ipv4;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Topology;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The addresses of the world's subnets that are taken: the load balancer nodes' from the start, and
 * each endpoint network interface's while it exists.
 *
 * <p>Invariant: an address is held at most once, and never one of the five AWS keeps in every
 * subnet (the first four and the last). Called only under {@link ControlPlane}'s lock.
 */
final class AddressPool {

    /** AWS keeps the first four and the last address of every subnet for itself. */
    private static final int RESERVED_AT_START = 4;

    private final Set<Integer> used = new HashSet<>();

    AddressPool(Topology topology) {
        for (LoadBalancer lb : topology.loadBalancers().values()) {
            lb.nodes().forEach(n -> used.add(n.ip()));
        }
    }

    /** The addresses of {@code subnet} still free. */
    long available(Subnet subnet) {
        long taken = used.stream().filter(ip -> subnet.cidr().contains(ip)).count();
        return subnet.cidr().size() - RESERVED_AT_START - 1 - taken;
    }

    /**
     * Refuses a request whose subnets cannot each give one more address, before it draws any ID: a
     * refused request must leave the seeded IDs as they were, so that replaying the accepted ones
     * (a state) gives the same IDs.
     */
    void checkFree(Collection<Subnet> subnets) {
        for (Subnet subnet : subnets) {
            if (available(subnet) < 1) {
                throw exhausted(subnet);
            }
        }
    }

    /** Takes the lowest free address of {@code subnet}. */
    int allocate(Subnet subnet) {
        Cidr cidr = subnet.cidr();
        for (long off = RESERVED_AT_START; off < cidr.size() - 1; off++) {
            int ip = cidr.address(off);
            if (used.add(ip)) {
                return ip;
            }
        }
        throw exhausted(subnet);
    }

    /** Gives back an address that {@link #allocate} handed out, written as a dotted quad. */
    void release(String ip) {
        used.remove(Ipv4.parse(ip).orElseThrow());
    }

    private static ControlPlaneException exhausted(Subnet subnet) {
        return new ControlPlaneException("InsufficientFreeAddressesInSubnet", "Subnet " + subnet.id() + " ("
                + subnet.cidr() + ") has no free address for an endpoint network interface");
    }
}
