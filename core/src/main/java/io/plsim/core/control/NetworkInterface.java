package io.plsim.core.control;

import io.plsim.core.model.SecurityGroup;
import java.util.List;
import java.util.Map;

/**
 * A network interface as DescribeNetworkInterfaces shows it: in plsim, always one that an interface
 * endpoint made in one of its subnets ({@code InterfaceType} {@code vpc_endpoint}), owned by the
 * endpoint's account and managed by the service ({@code RequesterManaged} true).
 *
 * @param zoneName the zone as the owner names it
 */
public record NetworkInterface(String networkInterfaceId, String vpcEndpointId, String ownerId, String vpcId,
                               String subnetId, String zoneName, String zoneId, String privateIp, String macAddress,
                               List<SecurityGroup> groups, Map<String, String> tags) {

    public static final String INTERFACE_TYPE = "vpc_endpoint";
    public static final String STATUS = "in-use";
    /** The AWS account that creates endpoint interfaces on a consumer's behalf, as EC2 shows it. */
    public static final String REQUESTER_ID = "727180483921";

    public NetworkInterface {
        groups = List.copyOf(groups);
        tags = Map.copyOf(tags);
    }

    /** How AWS describes an endpoint's interface. */
    public String description() {
        return "VPC Endpoint Interface " + vpcEndpointId;
    }

    /** The private DNS name EC2 gives the address, {@code ip-a-b-c-d.<region>.compute.internal}. */
    public String privateDnsName(String region) {
        String host = "ip-" + privateIp.replace('.', '-');
        return region.equals("us-east-1") ? host + ".ec2.internal" : host + "." + region + ".compute.internal";
    }
}
