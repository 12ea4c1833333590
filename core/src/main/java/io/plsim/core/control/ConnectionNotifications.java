package io.plsim.core.control;

import static io.plsim.core.control.RequestChecks.checkNotificationTarget;
import static io.plsim.core.control.RequestChecks.checkTopic;
import static io.plsim.core.control.RequestChecks.parseEvents;
import static io.plsim.core.control.RequestChecks.requireNonEmpty;

import io.plsim.core.control.Endpoints.Endpoint;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Connection notifications as the owner of the service or endpoint they watch makes, describes,
 * changes and deletes them (the {@code VpcEndpointConnectionNotification} actions); they fire
 * through {@link Resources#notify}, as the connections they watch change.
 *
 * <p>Invariant: a notification watches a service that exists or an endpoint still remembered (a
 * deleted one until it is forgotten): it goes with the service when that is deleted and with the
 * endpoint when that is forgotten. Called only under {@link ControlPlane}'s lock, for a caller it
 * has checked.
 */
final class ConnectionNotifications {

    private static final FilterTable<Notification> FILTERS = new FilterTable<Notification>()
            .on("connection-notification-arn", n -> n.topicArn)
            .on("connection-notification-id", n -> n.id)
            .constant("connection-notification-state", ConnectionNotification.STATE)
            .constant("connection-notification-type", ConnectionNotification.TYPE)
            .on("service-id", n -> n.serviceId)
            .on("vpc-endpoint-id", n -> n.endpointId);

    private final Resources resources;

    ConnectionNotifications(Resources resources) {
        this.resources = resources;
    }

    /** A notification on a service or an endpoint the caller owns: exactly one of the two IDs. */
    ConnectionNotification create(Caller caller, String serviceId, String endpointId, String topicArn,
                                  Collection<String> events) {
        checkNotificationTarget(serviceId, endpointId);
        if (serviceId != null) {
            resources.ownedService(caller, serviceId);
        } else {
            Endpoint e = resources.ownedEndpoint(caller, endpointId);
            if (e.state == EndpointState.DELETED) {
                throw Resources.NotFound.ENDPOINT.error(endpointId);
            }
        }
        String topic = checkTopic(topicArn);
        Set<ConnectionEvent> parsed = parseEvents(events);
        String id = resources.uniqueId("vpce-nfn-", resources.notifications.keySet());
        Notification n = new Notification(id, caller.accountId(), serviceId, endpointId, topic, parsed,
                resources.nextSeq());
        resources.notifications.put(id, n);
        resources.publish(new ControlEvent.NotificationChanged(n.snapshot()));
        return n.snapshot();
    }

    Page<ConnectionNotification> describe(Caller caller, String notificationId, List<Filter> filters,
                                          PageRequest page) {
        Predicate<Notification> matching = FILTERS.matcher(filters);
        if (notificationId != null) {
            resources.ownedNotification(caller, notificationId);
        }
        List<Notification> mine = resources.notifications.values().stream()
                .filter(n -> resources.owns(caller, n.owner)).toList();
        List<String> ids = notificationId == null ? List.of() : List.of(notificationId);
        return Paging.page("notifications", Resources.asked(mine, ids, n -> n.id, matching), n -> n.seq, page)
                .map(Notification::snapshot);
    }

    /** Changes the topic, the events, or both; null leaves a field as it is. */
    ConnectionNotification modify(Caller caller, String notificationId, String topicArn, Collection<String> events) {
        Notification n = resources.ownedNotification(caller, notificationId);
        String topic = topicArn == null ? n.topicArn : checkTopic(topicArn);
        Set<ConnectionEvent> parsed = events == null ? n.events : parseEvents(events);
        n.topicArn = topic;
        n.events = parsed;
        resources.publish(new ControlEvent.NotificationChanged(n.snapshot()));
        return n.snapshot();
    }

    List<Unsuccessful> delete(Caller caller, List<String> notificationIds) {
        requireNonEmpty(notificationIds, "ConnectionNotificationId");
        return Resources.perItem(notificationIds, id -> resources.mineNotification(caller, id),
                Resources.NotFound.NOTIFICATION::item, n -> {
                    resources.notifications.remove(n.id);
                    resources.publish(new ControlEvent.NotificationDeleted(n.snapshot()));
                    return Optional.empty();
                });
    }

    /** Every notification, in creation order, whoever owns it. */
    List<ConnectionNotification> all() {
        return resources.notifications.values().stream().map(Notification::snapshot).toList();
    }

    /** A connection notification as the control plane keeps it; callers see {@link ConnectionNotification}s. */
    static final class Notification {
        final String id;
        final String owner;
        final String serviceId;
        final String endpointId;
        final long seq;
        String topicArn;
        Set<ConnectionEvent> events;

        Notification(String id, String owner, String serviceId, String endpointId, String topicArn,
                     Set<ConnectionEvent> events, long seq) {
            this.id = id;
            this.owner = owner;
            this.serviceId = serviceId;
            this.endpointId = endpointId;
            this.topicArn = topicArn;
            this.events = events;
            this.seq = seq;
        }

        ConnectionNotification snapshot() {
            return new ConnectionNotification(id, owner, serviceId, endpointId, topicArn, events);
        }
    }
}
