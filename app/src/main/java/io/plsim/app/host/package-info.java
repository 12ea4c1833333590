/**
 * A world running with everything around its engine: the data plane, the EC2 and ELBv2 API with the
 * admin routes and metrics, the endpoint DNS server and the notifications, started in order and
 * closed in the reverse. The entry point is {@link io.plsim.app.host.WorldHost}, which
 * {@code plsim run} and embedding both start; it can also serve the Toxiproxy-compatible API.
 */
package io.plsim.app.host;
