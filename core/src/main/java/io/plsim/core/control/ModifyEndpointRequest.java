package io.plsim.core.control;

import java.util.List;

/**
 * ModifyVpcEndpoint for an interface endpoint. Lists may be empty; null leaves a setting as it is.
 *
 * @param resetPolicy       true to restore the full-access policy (the only one an endpoint service's
 *                          endpoint has)
 * @param policyDocument    refused when set: endpoint services do not support endpoint policies
 * @param privateDnsEnabled null or false, as on create
 * @param ipAddressType     null or {@code ipv4}, as on create
 */
public record ModifyEndpointRequest(String vpcEndpointId, List<String> addSubnetIds, List<String> removeSubnetIds,
                                    List<String> addSecurityGroupIds, List<String> removeSecurityGroupIds,
                                    boolean resetPolicy, String policyDocument, Boolean privateDnsEnabled,
                                    String ipAddressType) {

    public ModifyEndpointRequest {
        addSubnetIds = List.copyOf(addSubnetIds);
        removeSubnetIds = List.copyOf(removeSubnetIds);
        addSecurityGroupIds = List.copyOf(addSecurityGroupIds);
        removeSecurityGroupIds = List.copyOf(removeSecurityGroupIds);
    }

    public static ModifyEndpointRequest subnets(String vpcEndpointId, List<String> add, List<String> remove) {
        return new ModifyEndpointRequest(vpcEndpointId, add, remove, List.of(), List.of(), false, null, null, null);
    }

    public static ModifyEndpointRequest groups(String vpcEndpointId, List<String> add, List<String> remove) {
        return new ModifyEndpointRequest(vpcEndpointId, List.of(), List.of(), add, remove, false, null, null, null);
    }
}
