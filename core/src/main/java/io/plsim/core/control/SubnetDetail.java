package io.plsim.core.control;

import io.plsim.core.model.Subnet;

/**
 * A subnet as DescribeSubnets shows it at one moment.
 *
 * @param availableIpAddressCount the addresses still free: the CIDR less the five AWS keeps and
 *                                those endpoint network interfaces and load balancer nodes hold
 */
public record SubnetDetail(Subnet subnet, long availableIpAddressCount) {
}
