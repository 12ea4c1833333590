package io.plsim.core.control;

import java.util.List;
import java.util.Map;

/**
 * CreateVpcEndpoint for an interface endpoint.
 *
 * @param endpointType      null or {@code Interface}
 * @param privateDnsEnabled null or false: endpoint services have no private DNS names
 * @param ipAddressType     null or {@code ipv4}: endpoint services carry IPv4 only
 * @param securityGroupIds  groups of the endpoint's VPC; empty for the VPC's default group
 */
public record CreateEndpointRequest(String vpcId, String serviceName, List<String> subnetIds, String endpointType,
                                    Boolean privateDnsEnabled, String ipAddressType, Map<String, String> tags,
                                    List<String> securityGroupIds) {

    public CreateEndpointRequest {
        subnetIds = subnetIds == null ? List.of() : List.copyOf(subnetIds);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
    }

    public CreateEndpointRequest(String vpcId, String serviceName, List<String> subnetIds, String endpointType,
                                 Boolean privateDnsEnabled, String ipAddressType, Map<String, String> tags) {
        this(vpcId, serviceName, subnetIds, endpointType, privateDnsEnabled, ipAddressType, tags, null);
    }

    public static CreateEndpointRequest of(String vpcId, String serviceName, String... subnetIds) {
        return new CreateEndpointRequest(vpcId, serviceName, List.of(subnetIds), null, null, null, null);
    }
}
