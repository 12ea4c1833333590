package io.plsim.core.control;

import java.util.List;

/**
 * An endpoint service as a consumer sees it: its zones are named as the consumer's account names
 * them, which may differ from the owner's names for the same zones.
 *
 * @param privateDnsName the service's private DNS name, or null when it has none
 * @param privateDnsNameVerificationState how far its verification has got; null without a name
 * @param awsService one of AWS's own services ({@code com.amazonaws.<region>.s3}, owner {@code amazon}),
 *                   listed when the sim-config asks for them; plsim does not simulate what is behind it
 */
public record ServiceDetail(String serviceName, String serviceId, String ownerId, List<String> availabilityZones,
                            List<String> zoneIds, List<String> baseEndpointDnsNames, boolean acceptanceRequired,
                            String privateDnsName, DnsNameState privateDnsNameVerificationState,
                            boolean awsService) {

    public ServiceDetail {
        availabilityZones = List.copyOf(availabilityZones);
        zoneIds = List.copyOf(zoneIds);
        baseEndpointDnsNames = List.copyOf(baseEndpointDnsNames);
    }
}
