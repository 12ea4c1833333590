/**
 * The engine: every endpoint network interface listens on its own loopback address, admits a
 * connection while its endpoint is available ({@code Admission}), hands it to the NLB node of its
 * zone ({@code NlbNode}, {@code TargetSelector}, health checks), and relays it to the target
 * ({@code FrontendHandler}, {@code BackendHandler}, {@code Flow}) behind a Proxy Protocol header.
 * The entry point is {@link io.plsim.dataplane.DataPlane}, which follows the control plane.
 */
package io.plsim.dataplane;
