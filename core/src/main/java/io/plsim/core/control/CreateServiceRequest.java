package io.plsim.core.control;

import java.util.List;

/**
 * CreateVpcEndpointServiceConfiguration. Only {@code networkLoadBalancerArns} is needed; the other
 * fields exist so that a request asking for what endpoint services here cannot do (private DNS,
 * IPv6, Gateway Load Balancers) is refused with a reason instead of silently ignored.
 *
 * @param acceptanceRequired null for the default, true
 */
public record CreateServiceRequest(List<String> networkLoadBalancerArns, Boolean acceptanceRequired,
                                   String privateDnsName, List<String> supportedIpAddressTypes,
                                   List<String> gatewayLoadBalancerArns) {

    public CreateServiceRequest {
        networkLoadBalancerArns = networkLoadBalancerArns == null ? List.of() : List.copyOf(networkLoadBalancerArns);
        supportedIpAddressTypes = supportedIpAddressTypes == null ? List.of() : List.copyOf(supportedIpAddressTypes);
        gatewayLoadBalancerArns = gatewayLoadBalancerArns == null ? List.of() : List.copyOf(gatewayLoadBalancerArns);
    }

    public static CreateServiceRequest of(Boolean acceptanceRequired, String... nlbArns) {
        return new CreateServiceRequest(List.of(nlbArns), acceptanceRequired, null, null, null);
    }
}
