package io.plsim.core.model;

/**
 * A subnet of a VPC, in one Availability Zone.
 *
 * @param zoneName the zone as its owner account names it
 * @param zoneId   the zone ID that name maps to in the owner account
 */
public record Subnet(String id, String vpcId, String accountId, String zoneName, String zoneId, Cidr cidr) {
}
