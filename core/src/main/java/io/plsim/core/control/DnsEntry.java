package io.plsim.core.control;

/**
 * A DNS name of an interface endpoint.
 *
 * @param zoneName null for the regional name, else the owner's zone name of a zonal name
 */
public record DnsEntry(String dnsName, String zoneName) {
}
