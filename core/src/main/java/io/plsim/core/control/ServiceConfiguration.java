package io.plsim.core.control;

import java.time.Instant;
import java.util.List;

/**
 * An endpoint service configuration as its owner sees it.
 *
 * @param availabilityZones the owner's names of the zones where the associated load balancers
 *                          have nodes
 * @param zoneIds           the same zones, by zone ID, in the same order
 * @param privateDnsName    the name consumers may reach the service by, or null when it has none
 * @param privateDnsNameConfiguration the record that proves the name is the provider's and how far
 *                          that proof has got; null when the service has no private DNS name
 */
public record ServiceConfiguration(String serviceId, String serviceName, String ownerId, ServiceState state,
                                   boolean acceptanceRequired, List<String> networkLoadBalancerArns,
                                   List<String> availabilityZones, List<String> zoneIds,
                                   List<String> baseEndpointDnsNames, Instant created, String privateDnsName,
                                   PrivateDnsNameConfiguration privateDnsNameConfiguration) {

    public static final String SERVICE_TYPE = "Interface";

    public ServiceConfiguration {
        networkLoadBalancerArns = List.copyOf(networkLoadBalancerArns);
        availabilityZones = List.copyOf(availabilityZones);
        zoneIds = List.copyOf(zoneIds);
        baseEndpointDnsNames = List.copyOf(baseEndpointDnsNames);
    }

    /** Whether consumers may enable private DNS for this service: it has a name, and the name is verified. */
    public boolean privateDnsVerified() {
        return privateDnsNameConfiguration != null
                && privateDnsNameConfiguration.state() == DnsNameState.VERIFIED;
    }
}
