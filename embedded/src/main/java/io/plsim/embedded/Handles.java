package io.plsim.embedded;

import io.plsim.core.config.World;
import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.TargetView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The handles a test holds ({@link Endpoint}, {@link Service}, {@link LoadBalancer}), each a snapshot made
 * from the engine's objects of one moment, found by the names the sim-config gives or by AWS's IDs; a
 * name that finds nothing is refused naming what there is.
 */
final class Handles {

    private Handles() {
    }

    /** Every endpoint of the world, in creation order. */
    static List<Endpoint> endpoints(World w, DataPlane dp) {
        List<Endpoint> out = new ArrayList<>();
        for (VpcEndpoint e : w.controlPlane().endpoints()) {
            out.add(endpoint(dp, e));
        }
        return out;
    }

    static Endpoint endpoint(World w, DataPlane dp, String idOrName) {
        String id = w.endpointIds().getOrDefault(idOrName, idOrName);
        List<VpcEndpoint> all = w.controlPlane().endpoints();
        return all.stream().filter(e -> e.vpcEndpointId().equals(id)).findFirst()
                .map(e -> endpoint(dp, e))
                .orElseThrow(() -> new IllegalArgumentException("no endpoint " + idOrName + "; the world has "
                        + all.stream().map(VpcEndpoint::vpcEndpointId).toList()
                        + " (names " + w.endpointIds().keySet() + ")"));
    }

    private static Endpoint endpoint(DataPlane dp, VpcEndpoint e) {
        String regional = null;
        Map<String, String> zonal = new LinkedHashMap<>();
        for (DnsEntry d : e.dnsEntries()) {
            if (d.zoneName() == null) {
                regional = d.dnsName();
            } else {
                zonal.put(d.zoneName(), d.dnsName());
            }
        }
        List<Endpoint.Interface> interfaces = new ArrayList<>();
        List<InterfaceListener> listening = dp.listeners(e.vpcEndpointId());
        for (EndpointInterface i : e.interfaces()) {
            List<Integer> ports = listening.stream().filter(l -> l.ip().equals(i.privateIp()))
                    .map(InterfaceListener::port).toList();
            interfaces.add(new Endpoint.Interface(i.networkInterfaceId(), i.zoneName(), i.zoneId(), i.privateIp(), ports));
        }
        return new Endpoint(e.vpcEndpointId(), e.serviceId(), e.ownerId(), Endpoint.State.of(e.state()), regional,
                zonal, interfaces);
    }

    static Service service(World w, String nameOrId) {
        String id = w.serviceIds().getOrDefault(nameOrId, nameOrId);
        String name = w.serviceIds().entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        return w.controlPlane().services().stream().filter(s -> s.serviceId().equals(id)).findFirst()
                .map(s -> new Service(s.serviceId(), name, s.serviceName(), s.ownerId(), s.acceptanceRequired(),
                        s.networkLoadBalancerArns()))
                .orElseThrow(() -> new IllegalArgumentException("no service " + nameOrId + "; the world has "
                        + w.serviceIds().keySet()));
    }

    static LoadBalancer loadBalancer(World w, DataPlane dp, String nameOrArn) {
        var lb = w.topology().loadBalancers().values().stream()
                .filter(l -> l.name().equals(nameOrArn) || l.arn().equals(nameOrArn)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no load balancer " + nameOrArn + "; the world has "
                        + w.topology().loadBalancers().values().stream()
                        .map(io.plsim.core.model.LoadBalancer::name).toList()));
        Map<String, String> nodes = new LinkedHashMap<>();
        lb.nodes().forEach(n -> nodes.put(n.zoneId(), n.ipText()));
        List<LoadBalancer.Target> targets = new ArrayList<>();
        for (TargetView t : dp.targets()) {
            if (t.loadBalancer().equals(lb.name()) || t.loadBalancer().equals(lb.arn())) {
                Map<String, String> health = new LinkedHashMap<>();
                t.healthByNodeZoneId().forEach((zone, th) -> health.put(zone, th.wire()));
                targets.add(new LoadBalancer.Target(t.address(), t.zoneId(), health));
            }
        }
        return new LoadBalancer(lb.name(), lb.arn(), lb.accountId(), lb.listenerPorts(), nodes, targets);
    }
}
