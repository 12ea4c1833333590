/**
 * The EC2 Query API as functions: a request's parameters in, an XML response out, each action
 * mapped onto the control plane with the error codes AWS gives. No I/O; the HTTP server is the
 * application's. The entry point is {@link io.plsim.core.api.Ec2Api}.
 */
package io.plsim.core.api;
