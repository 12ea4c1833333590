package io.plsim.core.control;

import java.util.List;

/**
 * ModifyVpcEndpointServiceConfiguration. Null or empty fields change nothing.
 */
public record ModifyServiceRequest(String serviceId, Boolean acceptanceRequired,
                                   List<String> addNetworkLoadBalancerArns, List<String> removeNetworkLoadBalancerArns,
                                   String privateDnsName, boolean removePrivateDnsName,
                                   List<String> addSupportedIpAddressTypes, List<String> removeSupportedIpAddressTypes) {

    public ModifyServiceRequest {
        addNetworkLoadBalancerArns = copy(addNetworkLoadBalancerArns);
        removeNetworkLoadBalancerArns = copy(removeNetworkLoadBalancerArns);
        addSupportedIpAddressTypes = copy(addSupportedIpAddressTypes);
        removeSupportedIpAddressTypes = copy(removeSupportedIpAddressTypes);
    }

    private static List<String> copy(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    public static ModifyServiceRequest acceptance(String serviceId, boolean required) {
        return new ModifyServiceRequest(serviceId, required, null, null, null, false, null, null);
    }

    public static ModifyServiceRequest loadBalancers(String serviceId, List<String> add, List<String> remove) {
        return new ModifyServiceRequest(serviceId, null, add, remove, null, false, null, null);
    }
}
