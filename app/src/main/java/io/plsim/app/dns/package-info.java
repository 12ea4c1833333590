/**
 * The endpoints' DNS: a UDP and TCP server that answers their regional and zonal names with the
 * data plane's DNS failover. The entry point is {@link io.plsim.app.dns.DnsServer}.
 */
package io.plsim.app.dns;
