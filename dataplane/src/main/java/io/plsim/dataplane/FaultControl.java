package io.plsim.dataplane;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.plsim.core.config.World;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Fault;
import io.plsim.dataplane.fault.FaultInForce;
import io.plsim.dataplane.fault.FaultTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Puts faults in force in a running data plane, changes them and ends them, over the fault table the
 * connections and health checks ask. A fault whose scope names what the world does not have is
 * refused before anything changes; each start, update and end is recorded in the event log; and a
 * fault put in force (or updated) reaches what is already open: a connection fault the open flows it
 * covers, a target that goes down the resets of its open flows. The operations are
 * {@link DataPlane}'s, which documents them.
 */
final class FaultControl {

    private final World world;
    private final FaultTable faults;
    private final EventLog events;
    private final Map<String, LoadBalancerRuntime> loadBalancers;

    /** @param loadBalancers the running load balancers by ARN, filled before any fault is added */
    FaultControl(World world, FaultTable faults, EventLog events, Map<String, LoadBalancerRuntime> loadBalancers) {
        this.world = world;
        this.faults = faults;
        this.events = events;
        this.loadBalancers = loadBalancers;
    }

    /** What the fault's scope names that this world does not have, each as {@code field: what}. */
    List<String> scopeProblems(Fault fault) {
        List<String> problems = new ArrayList<>();
        Fault.Scope s = fault.scope();
        var topology = world.topology();
        if (s.zoneId() != null) {
            Set<String> ids = new TreeSet<>();
            boolean aName = false;
            for (var a : topology.accounts().values()) {
                ids.addAll(a.zones().values());
                aName |= a.zones().containsKey(s.zoneId());
            }
            if (!ids.contains(s.zoneId())) {
                problems.add("az: no zone ID " + s.zoneId() + " in this world" + (aName ? " (" + s.zoneId()
                        + " is a zone name, which each account maps to a zone ID of its own)" : "")
                        + "; its zone IDs: " + String.join(", ", ids));
            }
        }
        List<VpcEndpoint> endpoints = world.controlPlane().endpoints();
        if (s.endpointId() != null && endpoints.stream().noneMatch(e -> e.vpcEndpointId().equals(s.endpointId()))) {
            problems.add("endpoint: no endpoint " + s.endpointId());
        }
        if (s.interfaceIp() != null && endpoints.stream().flatMap(e -> e.interfaces().stream())
                .noneMatch(i -> i.privateIp().equals(s.interfaceIp()))) {
            problems.add("interface: no endpoint network interface has the IP " + s.interfaceIp());
        }
        if (s.node() != null && topology.loadBalancers().values().stream().flatMap(lb -> lb.nodes().stream())
                .noneMatch(n -> n.ipText().equals(s.node()))) {
            problems.add("node: no NLB node has the IP " + s.node());
        }
        if (s.target() != null && loadBalancers.values().stream().flatMap(lb -> lb.targets().stream())
                .noneMatch(t -> t.label().equals(s.target()))) {
            problems.add("target: no target at " + s.target() + " (a target is named by the host:port it listens on)");
        }
        return problems;
    }

    /** Puts a fault in force, under {@code name} or none (null). */
    FaultView add(Fault fault, String name) {
        refuseWhatIsNowhere(fault);
        FaultInForce e = faults.add(fault, Instant.now(), name);
        events.record("fault-start", "id", e.id(), "fault", fault.describe());
        reachWhatIsOpen(e);
        return FaultView.of(e);
    }

    /** Changes a fault in force in place; empty when no fault has that ID or name. */
    Optional<FaultView> update(String idOrName, Fault fault) {
        refuseWhatIsNowhere(fault);
        FaultInForce e = faults.replace(idOrName, fault);
        if (e == null) {
            return Optional.empty();
        }
        events.record("fault-update", "id", e.id(), "fault", fault.describe());
        reachWhatIsOpen(e);
        return Optional.of(FaultView.of(e));
    }

    /** Ends a fault; empty when no fault has that ID or name. */
    Optional<FaultView> remove(String idOrName) {
        FaultInForce e = faults.remove(idOrName);
        if (e == null) {
            return Optional.empty();
        }
        events.record("fault-end", "id", e.id(), "fault", e.fault().describe());
        return Optional.of(FaultView.of(e));
    }

    /** The faults in force, in the order they were added. */
    List<FaultView> list() {
        return faults.list().stream().map(FaultView::of).toList();
    }

    private void refuseWhatIsNowhere(Fault fault) {
        List<String> problems = scopeProblems(fault);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private void reachWhatIsOpen(FaultInForce e) {
        resetWhatItTakesDown(e.fault());
        installOnOpenFlows(e);
    }

    /** Shows a connection fault to every open flow; each installs it if the fault covers it. */
    private void installOnOpenFlows(FaultInForce e) {
        if (!e.fault().kind().isConnectionFault()) {
            return;
        }
        for (LoadBalancerRuntime lb : loadBalancers.values()) {
            for (TargetRuntime t : lb.targets()) {
                for (ChannelGroup flows : t.open) {
                    for (Channel ch : flows) {
                        Flow.of(ch).ifPresent(f -> f.installLate(e));
                    }
                }
            }
        }
    }

    private void resetWhatItTakesDown(Fault fault) {
        // A target that stops accepting resets its flows at once. An AZ outage does not: its flows go
        // silent, and the other zones' nodes reset theirs when their health checks give up.
        if (fault.kind() == Fault.Kind.TARGET_DOWN) {
            for (LoadBalancerRuntime lb : loadBalancers.values()) {
                for (TargetRuntime t : lb.targets()) {
                    if (faults.unreachable(t.location)) {
                        lb.nodesByZoneId.values().forEach(n -> n.resetFlows(t));
                    }
                }
            }
        }
    }
}
