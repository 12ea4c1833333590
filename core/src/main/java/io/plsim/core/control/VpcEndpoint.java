package io.plsim.core.control;

import io.plsim.core.model.Principal;
import io.plsim.core.model.SecurityGroup;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An interface endpoint as it stands at one moment.
 *
 * @param requester  the principal that created it
 * @param interfaces one per subnet, empty once deleted
 * @param groups     the security groups every one of its network interfaces carries
 * @param tags       in the order they were first set
 * @param privateDnsEnabled whether the endpoint's VPC resolves its service's private DNS name to the
 *                   endpoint's interfaces
 */
public record VpcEndpoint(String vpcEndpointId, String ownerId, Principal requester, String vpcId, String serviceId,
                          String serviceName, EndpointState state, List<EndpointInterface> interfaces,
                          List<DnsEntry> dnsEntries, Map<String, String> tags, List<SecurityGroup> groups,
                          Instant created, boolean privateDnsEnabled) {

    public static final String ENDPOINT_TYPE = "Interface";
    /**
     * The policy of an endpoint whose service does not take endpoint policies, as AWS shows it:
     * full access, which ResetPolicy restores and which no PolicyDocument can change here.
     */
    public static final String FULL_ACCESS_POLICY = "{\n  \"Statement\": [\n    {\n      \"Action\": \"*\", \n"
            + "      \"Effect\": \"Allow\", \n      \"Principal\": \"*\", \n      \"Resource\": \"*\"\n    }\n  ]\n}";

    public VpcEndpoint {
        interfaces = List.copyOf(interfaces);
        dnsEntries = List.copyOf(dnsEntries);
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        groups = List.copyOf(groups);
    }

    /** An endpoint without private DNS, as every endpoint was before a service could have a private DNS name. */
    public VpcEndpoint(String vpcEndpointId, String ownerId, Principal requester, String vpcId, String serviceId,
                       String serviceName, EndpointState state, List<EndpointInterface> interfaces,
                       List<DnsEntry> dnsEntries, Map<String, String> tags, List<SecurityGroup> groups,
                       Instant created) {
        this(vpcEndpointId, ownerId, requester, vpcId, serviceId, serviceName, state, interfaces, dnsEntries, tags,
                groups, created, false);
    }

    /** The regional DNS name: the first of its DNS entries, the one without a zone. */
    public java.util.Optional<String> regionalDnsName() {
        return dnsEntries.stream().filter(d -> d.zoneName() == null).map(DnsEntry::dnsName).findFirst();
    }

    public List<String> subnetIds() {
        return interfaces.stream().map(EndpointInterface::subnetId).toList();
    }

    public List<String> networkInterfaceIds() {
        return interfaces.stream().map(EndpointInterface::networkInterfaceId).toList();
    }
}
