package io.plsim.core.control;

import io.plsim.core.model.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An interface endpoint as it stands at one moment.
 *
 * @param requester  the principal that created it
 * @param interfaces one per subnet, empty once deleted
 */
public record VpcEndpoint(String vpcEndpointId, String ownerId, Principal requester, String vpcId, String serviceId,
                          String serviceName, EndpointState state, List<EndpointInterface> interfaces,
                          List<DnsEntry> dnsEntries, Map<String, String> tags, Instant created) {

    public static final String ENDPOINT_TYPE = "Interface";

    public VpcEndpoint {
        interfaces = List.copyOf(interfaces);
        dnsEntries = List.copyOf(dnsEntries);
        tags = Map.copyOf(tags);
    }

    public List<String> subnetIds() {
        return interfaces.stream().map(EndpointInterface::subnetId).toList();
    }

    public List<String> networkInterfaceIds() {
        return interfaces.stream().map(EndpointInterface::networkInterfaceId).toList();
    }
}
