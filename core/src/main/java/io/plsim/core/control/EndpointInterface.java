package io.plsim.core.control;

/**
 * The network interface an interface endpoint has in one subnet, and the load balancer node it
 * forwards to.
 *
 * @param zoneName        the zone as the endpoint owner names it
 * @param zoneId          the zone ID, the same in every account
 * @param loadBalancerArn the one load balancer of the service this interface is bound to in its
 *                        zone, chosen when the endpoint was created and kept for its life
 */
public record EndpointInterface(String networkInterfaceId, String subnetId, String zoneName, String zoneId,
                                String privateIp, String loadBalancerArn) {
}
