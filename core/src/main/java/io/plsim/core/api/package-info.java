/**
 * The AWS Query APIs as functions: a request's parameters in, an XML response out, each action mapped onto
 * the control plane (EC2) or the load balancers (ELBv2) with the error codes AWS gives. No I/O; the HTTP
 * server is the application's. The entry point is {@link io.plsim.core.api.QueryApi}.
 */
package io.plsim.core.api;
