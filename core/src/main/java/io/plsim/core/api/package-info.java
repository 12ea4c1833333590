/**
 * The AWS Query APIs as functions: a request's parameters in, an XML response out, each action mapped onto
 * the control plane (EC2) or the load balancers (ELBv2) with the error codes AWS gives. No I/O; the HTTP
 * server is the application's. The entry point is {@link io.plsim.core.api.QueryApi}.
 *
 * <p>{@code Ec2Api} and {@code Elbv2Api} each hold an action table and their dialect of errors, run by one
 * {@code QueryDispatcher}; the actions live in one class per family ({@code ServiceConfigurationActions},
 * {@code PermissionActions}, {@code ConnectionActions}, {@code NotificationActions}, {@code EndpointActions},
 * {@code NetworkReadActions}, {@code LoadBalancingActions}), the EC2 shapes they share in {@code Ec2Shapes}.
 */
package io.plsim.core.api;
