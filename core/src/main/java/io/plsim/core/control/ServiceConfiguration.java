package io.plsim.core.control;

import java.time.Instant;
import java.util.List;

/**
 * An endpoint service configuration as its owner sees it.
 *
 * @param availabilityZones the owner's names of the zones where the associated load balancers
 *                          have nodes
 * @param zoneIds           the same zones, by zone ID, in the same order
 */
public record ServiceConfiguration(String serviceId, String serviceName, String ownerId, ServiceState state,
                                   boolean acceptanceRequired, List<String> networkLoadBalancerArns,
                                   List<String> availabilityZones, List<String> zoneIds,
                                   List<String> baseEndpointDnsNames, Instant created) {

    public static final String SERVICE_TYPE = "Interface";

    public ServiceConfiguration {
        networkLoadBalancerArns = List.copyOf(networkLoadBalancerArns);
        availabilityZones = List.copyOf(availabilityZones);
        zoneIds = List.copyOf(zoneIds);
        baseEndpointDnsNames = List.copyOf(baseEndpointDnsNames);
    }
}
