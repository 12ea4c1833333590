package io.plsim.app.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Fault;
import io.plsim.core.model.LoadBalancer;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.TargetView;

/**
 * What a fault's scope names in a running world: so that adding a fault answers with exactly the
 * interfaces, nodes and targets it applies to. (A scope that names what the world lacks is refused
 * by the data plane itself, {@link DataPlane#scopeProblems}, for every way a fault is added.)
 */
final class FaultScope {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FaultScope() {
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

    /** The interfaces, nodes and targets the fault applies to. */
    static ObjectNode appliesTo(DataPlane dp, Fault f) {
        Fault.Scope s = f.scope();
        ObjectNode out = JSON.createObjectNode();
        boolean targetFault = switch (f.kind()) {
            case TARGET_DOWN, TARGET_BLACKHOLE, TARGET_UNHEALTHY -> true;
            default -> false;
        };
        ArrayNode ifaces = out.putArray("interfaces");
        if (!targetFault) {
            // An interface with the node it forwards to, so that a node-down fault lists the
            // interfaces of its node, as the data plane holds them silent.
            for (VpcEndpoint e : dp.world().controlPlane().endpoints()) {
                for (EndpointInterface i : e.interfaces()) {
                    String node = nodeIp(dp, i);
                    // An interface without a node does not listen: no fault applies to it.
                    if (node != null && s.matches(Fault.Location.ofInterface(i.zoneId(), e.vpcEndpointId(),
                            i.privateIp(), node))) {
                        ifaces.addObject().put("endpoint", e.vpcEndpointId()).put("ip", i.privateIp())
                                .put("zoneId", i.zoneId());
                    }
                }
            }
        }
        ArrayNode nodes = out.putArray("nodes");
        if (f.kind() == Fault.Kind.NODE_DOWN || f.kind() == Fault.Kind.AZ_OUTAGE || s.node() != null) {
            for (LoadBalancer lb : dp.world().topology().loadBalancers().values()) {
                for (LoadBalancer.NlbNodeSpec n : lb.nodes()) {
                    if (s.matches(Fault.Location.ofNode(n.zoneId(), n.ipText()))) {
                        nodes.addObject().put("loadBalancer", lb.name()).put("ip", n.ipText()).put("zoneId", n.zoneId());
                    }
                }
            }
        }
        ArrayNode targets = out.putArray("targets");
        if (targetFault || f.kind() == Fault.Kind.AZ_OUTAGE || s.target() != null) {
            for (TargetView t : dp.targets()) {
                if (s.matches(Fault.Location.ofTarget(t.zoneId(), t.address()))) {
                    targets.addObject().put("loadBalancer", t.loadBalancer()).put("address", t.address())
                            .put("zoneId", t.zoneId());
                }
            }
        }
        return out;
    }
}
