package io.plsim.dataplane;

import io.netty.channel.Channel;
import io.plsim.core.model.Simulation;
import io.plsim.dataplane.fault.Refusal;
import java.net.InetSocketAddress;

/**
 * Whether a new connection on an endpoint network interface is let in, and to which target: the
 * endpoint's state, the faults in force at the interface, the node's choice of target, and
 * whether that target can be reached, in the order NLB meets them.
 */
final class Admission {

    private Admission() {
    }

    /** What becomes of a new connection. */
    sealed interface Decision permits Admit, Deny {
    }

    /**
     * Let in, towards {@code target}; with the addresses its Proxy Protocol header carries.
     *
     * @param clientIp   the consumer's IPv4 address
     * @param clientPort the consumer's port
     * @param localPort  the listener port the consumer connected to
     */
    record Admit(TargetRuntime target, int clientIp, int clientPort, int localPort) implements Decision {
    }

    /**
     * Not let in.
     *
     * @param reason the denial reason the counters record
     * @param silent true to hold the connection silent until the client gives up, false to reset it
     * @param target the target the node chose before refusing, or null when it chose none
     */
    record Deny(String reason, boolean silent, TargetRuntime target) implements Decision {
        Deny(String reason, boolean silent) {
            this(reason, silent, null);
        }
    }

    /** Decides a connection the interface has just accepted; registers it with the endpoint's gate if it passes. */
    static Decision decide(EndpointInterfaceRuntime iface, Channel ch) {
        if (!iface.gate().admit(ch)) {
            return new Deny(InterfaceCounters.DENIED_ENDPOINT + iface.gate().state().wire(),
                    iface.admission() == Simulation.Denial.BLACKHOLE);
        }
        if (!iface.faults().isEmpty()) {
            Refusal refusal = iface.faults().admission(iface.location());
            if (refusal != null) {
                return new Deny(refusal.reason(), refusal.silent());
            }
        }
        InetSocketAddress client = (InetSocketAddress) ch.remoteAddress();
        int clientIp = Addresses.ipv4(client.getAddress());
        int localPort = ((InetSocketAddress) ch.localAddress()).getPort();
        NlbNode node = iface.node();
        TargetRuntime target = node.select(FlowHash.of(clientIp, client.getPort(), iface.ip(), localPort,
                node.nextSequence()));
        if (target == null) {
            return new Deny(InterfaceCounters.DENIED_NO_TARGET, false);
        }
        if (!iface.faults().isEmpty() && iface.faults().unreachable(target.location)) {
            // The target is down or its zone is out: the node's connect is refused.
            return new Deny(InterfaceCounters.DENIED_TARGET_UNREACHABLE, false, target);
        }
        return new Admit(target, clientIp, client.getPort(), localPort);
    }

    /**
     * Whether the target was lost while the node was connecting to it, after the reset pass: it
     * turned unhealthy (unless every target is down and the node fails open, as it chose to) or a
     * fault made it unreachable.
     */
    static boolean targetLost(EndpointInterfaceRuntime iface, TargetRuntime target) {
        NlbNode node = iface.node();
        return (node.health(target) == TargetHealth.UNHEALTHY && node.selector.hasHealthyTarget(node.lb.crossZone()))
                || (!iface.faults().isEmpty() && iface.faults().unreachable(target.location));
    }
}
