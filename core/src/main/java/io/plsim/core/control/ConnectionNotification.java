package io.plsim.core.control;

import java.util.Set;

/**
 * A connection notification: endpoint events of one service, or of one endpoint, sent to an SNS
 * topic.
 *
 * @param serviceId     set for a notification on a service, else null
 * @param vpcEndpointId set for a notification on an endpoint, else null
 */
public record ConnectionNotification(String connectionNotificationId, String ownerId, String serviceId,
                                     String vpcEndpointId, String topicArn, Set<ConnectionEvent> events) {

    public static final String TYPE = "Topic";
    public static final String STATE = "Enabled";

    public ConnectionNotification {
        events = Set.copyOf(events);
    }
}
