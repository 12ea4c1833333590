package io.plsim.dataplane;

import io.plsim.core.control.EndpointState;
import io.plsim.core.model.LoadBalancer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-connection decisions of the hot path, built from plain values so that they can be measured
 * from outside the engine's package (the JMH benchmarks in {@code bench}) while the classes that make
 * them stay package-private. Each call runs the engine's own code, not a copy of it, so what is
 * measured is what a connection runs; nothing built here takes part in a running data plane.
 */
public final class HotPaths {

    private HotPaths() {
    }

    /** The admission check of one endpoint in {@code state}: {@link EndpointGate#isOpen()}. */
    public static Gate gate(String endpointId, EndpointState state) {
        return new Gate(new EndpointGate(endpointId, state));
    }

    /** The flow hash a node picks a target with ({@link FlowHash#of}), over a TCP 5-tuple and a sequence. */
    public static int flowHash(int srcIp, int srcPort, int dstIp, int dstPort, int sequence) {
        return FlowHash.of(srcIp, srcPort, dstIp, dstPort, sequence);
    }

    /**
     * The target pick of a node in zone {@code zoneId} ({@link TargetSelector#select}) over
     * {@code targets}, of which the node sees {@code healthy} healthy.
     */
    public static Selection selection(String zoneId, List<LoadBalancer.Target> targets,
                                      List<LoadBalancer.Target> healthy) {
        List<TargetRuntime> all = new ArrayList<>();
        List<TargetRuntime> seenHealthy = new ArrayList<>();
        for (LoadBalancer.Target t : targets) {
            TargetRuntime r = new TargetRuntime(t, new InetSocketAddress(t.host(), t.port()), 1);
            all.add(r);
            if (healthy.contains(t)) {
                seenHealthy.add(r);
            }
        }
        TargetSelector selector = new TargetSelector(zoneId);
        selector.update(all, seenHealthy);
        return new Selection(selector);
    }

    /** One endpoint's gate, asked only whether it is open. */
    public static final class Gate {
        private final EndpointGate gate;

        private Gate(EndpointGate gate) {
            this.gate = gate;
        }

        public boolean isOpen() {
            return gate.isOpen();
        }
    }

    /** One node's target selector over a fixed health snapshot. */
    public static final class Selection {
        private final TargetSelector selector;

        private Selection(TargetSelector selector) {
            this.selector = selector;
        }

        /** The target a flow of that hash goes to, or null when the node refuses it. */
        public LoadBalancer.Target select(int flowHash, boolean crossZone) {
            TargetRuntime t = selector.select(flowHash, crossZone);
            return t == null ? null : t.spec;
        }
    }
}
