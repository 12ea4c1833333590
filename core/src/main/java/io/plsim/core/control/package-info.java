/**
 * The control plane: every rule of the AWS PrivateLink user guide (service configurations,
 * permissions, endpoints, connection acceptance, notifications, tags), as synchronous operations
 * under one lock, with listeners told of every change before the call returns. The entry point is
 * {@link io.plsim.core.control.ControlPlane}, which takes the lock, checks the caller and hands each
 * operation to its family, one class each ({@code ServiceConfigurations}, {@code ServicePermissions},
 * {@code Endpoints}, {@code EndpointTags}, {@code Connections}, {@code ConnectionNotifications},
 * {@code NetworkReads}), over the records they share in {@code Resources}; paging, filters and the
 * checks that need only the request live beside them in {@code Paging}, {@code FilterTable} and
 * {@code RequestChecks}.
 */
package io.plsim.core.control;
