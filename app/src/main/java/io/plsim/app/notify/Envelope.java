package io.plsim.app.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.plsim.core.control.ControlEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * An SNS-style {@code Notification} envelope, as SNS delivers to HTTP subscribers: Type, MessageId,
 * TopicArn, Subject, Message, Timestamp. The Message is itself a JSON document describing the
 * endpoint event (docs/ec2-api.md, "Connection notifications", shows its shape).
 *
 * @param endpointId the endpoint the event is about, which orders delivery
 * @param json       the whole envelope as one line of JSON
 */
public record Envelope(String messageId, String topicArn, String endpointId, Instant timestamp, String json) {

    static final String SUBJECT = "Endpoint Connection Event";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Envelope of(ControlEvent.Notified n) {
        ObjectNode message = JSON.createObjectNode();
        message.put("eventType", n.event().wire());
        message.put("connectionNotificationId", n.notification().connectionNotificationId());
        message.put("serviceId", n.endpoint().serviceId());
        message.put("vpcEndpointId", n.endpoint().vpcEndpointId());
        message.put("vpcEndpointOwner", n.endpoint().ownerId());
        message.put("vpcEndpointState", n.endpoint().state().wire());
        message.put("eventTime", n.at().truncatedTo(ChronoUnit.MILLIS).toString());
        String id = UUID.randomUUID().toString();
        ObjectNode env = JSON.createObjectNode();
        env.put("Type", "Notification");
        env.put("MessageId", id);
        env.put("TopicArn", n.notification().topicArn());
        env.put("Subject", SUBJECT);
        env.put("Message", message.toString());
        env.put("Timestamp", n.at().truncatedTo(ChronoUnit.MILLIS).toString());
        env.put("SignatureVersion", "1");
        return new Envelope(id, n.notification().topicArn(), n.endpoint().vpcEndpointId(), n.at(), env.toString());
    }
}
