/**
 * The world's DNS: a UDP and TCP server that answers the endpoints' regional and zonal names with the
 * data plane's DNS failover, public DNS's TXT records (where providers verify private DNS names), and,
 * at each VPC's resolver, the private DNS names of that VPC's endpoints ({@link
 * io.plsim.app.dns.PrivateHostedZones}). The entry point is {@link io.plsim.app.dns.DnsServer}.
 */
package io.plsim.app.dns;
