package io.plsim.core.control;

import java.util.List;

/**
 * An endpoint service as a consumer sees it: its zones are named as the consumer's account names
 * them, which may differ from the owner's names for the same zones.
 *
 * @param privateDnsName the service's private DNS name, or null when it has none
 * @param privateDnsNameVerificationState how far its verification has got; null without a name
 */
public record ServiceDetail(String serviceName, String serviceId, String ownerId, List<String> availabilityZones,
                            List<String> zoneIds, List<String> baseEndpointDnsNames, boolean acceptanceRequired,
                            String privateDnsName, DnsNameState privateDnsNameVerificationState) {

    public ServiceDetail {
        availabilityZones = List.copyOf(availabilityZones);
        zoneIds = List.copyOf(zoneIds);
        baseEndpointDnsNames = List.copyOf(baseEndpointDnsNames);
    }
}
