package io.plsim.core.control;

import java.time.Instant;
import java.util.List;

/** An interface endpoint as the owner of the service it connects to sees it. */
public record EndpointConnection(String serviceId, String vpcEndpointId, String vpcEndpointOwner,
                                 EndpointState vpcEndpointState, Instant created, List<DnsEntry> dnsEntries,
                                 List<String> networkLoadBalancerArns) {

    public EndpointConnection {
        dnsEntries = List.copyOf(dnsEntries);
        networkLoadBalancerArns = List.copyOf(networkLoadBalancerArns);
    }
}
