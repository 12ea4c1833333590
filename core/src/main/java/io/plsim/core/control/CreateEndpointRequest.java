package io.plsim.core.control;

import java.util.List;
import java.util.Map;

/**
 * CreateVpcEndpoint for an interface endpoint.
 *
 * @param endpointType      null or {@code Interface}
 * @param privateDnsEnabled null or false: endpoint services have no private DNS names
 * @param ipAddressType     null or {@code ipv4}: endpoint services carry IPv4 only
 */
public record CreateEndpointRequest(String vpcId, String serviceName, List<String> subnetIds, String endpointType,
                                    Boolean privateDnsEnabled, String ipAddressType, Map<String, String> tags) {

    public CreateEndpointRequest {
        subnetIds = subnetIds == null ? List.of() : List.copyOf(subnetIds);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static CreateEndpointRequest of(String vpcId, String serviceName, String... subnetIds) {
        return new CreateEndpointRequest(vpcId, serviceName, List.of(subnetIds), null, null, null, null);
    }
}
