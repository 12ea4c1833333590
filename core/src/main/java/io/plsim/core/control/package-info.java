/**
 * The control plane: every rule of the AWS PrivateLink user guide (service configurations,
 * permissions, endpoints, connection acceptance, notifications, tags), as synchronous operations
 * under one lock, with listeners told of every change before the call returns. The entry point is
 * {@link io.plsim.core.control.ControlPlane}; paging and the checks that need only the request live
 * beside it in {@code Paging} and {@code RequestChecks}.
 */
package io.plsim.core.control;
