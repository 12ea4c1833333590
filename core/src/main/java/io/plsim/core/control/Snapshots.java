package io.plsim.core.control;

import io.plsim.core.control.Endpoints.Endpoint;
import io.plsim.core.control.ServiceConfigurations.Service;
import io.plsim.core.model.Account;
import io.plsim.core.model.SecurityGroup;
import io.plsim.core.model.Topology;
import java.util.List;
import java.util.Map;

/**
 * The immutable views the control plane answers with and publishes, made from its mutable records,
 * so that nothing a caller or listener holds changes afterwards.
 *
 * <p>Invariant: called only under {@link ControlPlane}'s lock, as it reads records that change.
 */
final class Snapshots {

    private final Topology topology;

    Snapshots(Topology topology) {
        this.topology = topology;
    }

    ServiceConfiguration service(Service s) {
        Map<String, String> zones = s.offeredZones(topology);
        List<Map.Entry<String, String>> byName = zones.entrySet().stream()
                .sorted(Map.Entry.comparingByValue()).toList();
        return new ServiceConfiguration(s.id, s.name, s.owner, s.state, s.acceptanceRequired,
                List.copyOf(s.loadBalancers), byName.stream().map(Map.Entry::getValue).toList(),
                byName.stream().map(Map.Entry::getKey).toList(),
                List.of(s.id + "." + topology.region() + ".vpce.amazonaws.com"), s.created, s.privateDnsName,
                s.privateDnsName == null ? null : new PrivateDnsNameConfiguration(s.dnsNameState,
                        PrivateDnsNameConfiguration.TYPE, s.verificationName, s.verificationValue));
    }

    /** A service as {@code viewer} sees it: its zones named as that account names them. */
    ServiceDetail detail(Service s, Account viewer) {
        ServiceConfiguration c = service(s);
        List<Map.Entry<String, String>> byName = c.zoneIds().stream()
                .map(z -> Map.entry(viewer.zoneName(z).orElse(z), z)).sorted(Map.Entry.comparingByKey()).toList();
        return new ServiceDetail(s.name, s.id, s.owner, byName.stream().map(Map.Entry::getKey).toList(),
                byName.stream().map(Map.Entry::getValue).toList(), c.baseEndpointDnsNames(), s.acceptanceRequired,
                s.privateDnsName, s.dnsNameState, false);
    }

    VpcEndpoint endpoint(Endpoint e) {
        return new VpcEndpoint(e.id, e.owner, e.requester, e.vpcId, e.serviceId, e.serviceName, e.state,
                e.interfaces, e.state == EndpointState.DELETED ? List.of() : e.dns, e.tags, groups(e), e.created,
                e.privateDnsEnabled);
    }

    /** An endpoint as its service's owner sees it. */
    EndpointConnection connection(Endpoint e) {
        List<String> lbs = e.interfaces.stream().map(EndpointInterface::loadBalancerArn).distinct().sorted().toList();
        return new EndpointConnection(e.serviceId, e.id, e.owner, e.state, e.created,
                e.state == EndpointState.DELETED ? List.of() : e.dns, lbs);
    }

    List<SecurityGroup> groups(Endpoint e) {
        return e.groups.stream().map(id -> topology.securityGroups().get(id)).toList();
    }
}
