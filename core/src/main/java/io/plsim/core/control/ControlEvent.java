package io.plsim.core.control;

import java.time.Instant;

/**
 * A change of the control plane's state, delivered synchronously to every
 * {@link ControlPlaneListener}, in the order the changes happened.
 */
public sealed interface ControlEvent {

    /** A service configuration was created or modified. */
    record ServiceChanged(ServiceConfiguration service) implements ControlEvent {
    }

    /** A service configuration was deleted; {@code service} is its last state. */
    record ServiceDeleted(ServiceConfiguration service) implements ControlEvent {
    }

    /** The allowed principals of a service changed; {@code allowed} is the new list. */
    record PermissionsChanged(String serviceId, java.util.List<AllowedPrincipal> allowed) implements ControlEvent {
    }

    /** A connection notification was created or modified. */
    record NotificationChanged(ConnectionNotification notification) implements ControlEvent {
    }

    /** A connection notification was deleted; {@code notification} is its last state. */
    record NotificationDeleted(ConnectionNotification notification) implements ControlEvent {
    }

    /** Tags were added to or deleted from an endpoint; {@code endpoint} carries all its tags. */
    record EndpointTagged(VpcEndpoint endpoint) implements ControlEvent {
    }

    /**
     * An endpoint was created ({@code previous} null) or changed state. A data plane gates
     * admission on {@code endpoint.state()}.
     */
    record EndpointChanged(VpcEndpoint endpoint, EndpointState previous) implements ControlEvent {
        public boolean created() {
            return previous == null;
        }
    }

    /**
     * ModifyVpcEndpoint changed an endpoint: {@code added} interfaces start listening, {@code removed}
     * ones stop and reset their open connections; a change of security groups only has neither.
     */
    record EndpointModified(VpcEndpoint endpoint, java.util.List<EndpointInterface> added,
                            java.util.List<EndpointInterface> removed) implements ControlEvent {
    }

    /** A connection notification fired: one per matching notification and event. */
    record Notified(ConnectionNotification notification, ConnectionEvent event, VpcEndpoint endpoint,
                    Instant at) implements ControlEvent {
    }
}
