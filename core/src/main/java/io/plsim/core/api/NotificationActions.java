package io.plsim.core.api;

import io.plsim.core.control.Caller;
import io.plsim.core.control.ConnectionEvent;
import io.plsim.core.control.ConnectionNotification;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.Page;
import java.util.List;
import java.util.Objects;

/**
 * The EC2 actions on connection notifications (the SNS topics told of endpoint connection events).
 *
 * <p>Invariant: a notification's events are written in one order, whatever order they were given in.
 */
final class NotificationActions {

    private final ControlPlane cp;

    NotificationActions(ControlPlane cp) {
        this.cp = Objects.requireNonNull(cp, "cp");
    }

    String create(Caller c, QueryParams p, String rid) {
        ConnectionNotification n = cp.createConnectionNotification(c, p.string("ServiceId"), p.string("VpcEndpointId"),
                p.string("ConnectionNotificationArn"), p.list("ConnectionEvents"));
        return Ec2Shapes.created("CreateVpcEndpointConnectionNotification", rid, "connectionNotification", n,
                NotificationActions::notification, p.string("ClientToken"));
    }

    private static void notification(Xml x, ConnectionNotification n) {
        x.text("connectionNotificationId", n.connectionNotificationId());
        x.text("serviceId", n.serviceId());
        x.text("vpcEndpointId", n.vpcEndpointId());
        x.text("connectionNotificationType", ConnectionNotification.TYPE);
        x.text("connectionNotificationArn", n.topicArn());
        x.strings("connectionEvents", n.events().stream().sorted().map(ConnectionEvent::wire).toList());
        x.text("connectionNotificationState", ConnectionNotification.STATE);
    }

    String describe(Caller c, QueryParams p, String rid) {
        Page<ConnectionNotification> page = cp.describeConnectionNotifications(c, p.string("ConnectionNotificationId"),
                p.filters(), p.page());
        return Ec2Shapes.page("DescribeVpcEndpointConnectionNotifications", rid, "connectionNotificationSet", page,
                NotificationActions::notification);
    }

    String modify(Caller c, QueryParams p, String rid) {
        List<String> events = p.list("ConnectionEvents");
        cp.modifyConnectionNotification(c, p.required("ConnectionNotificationId"), p.string("ConnectionNotificationArn"),
                events.isEmpty() ? null : events);
        return Ec2Shapes.done("ModifyVpcEndpointConnectionNotification", rid);
    }

    String delete(Caller c, QueryParams p, String rid) {
        return Ec2Shapes.batch("DeleteVpcEndpointConnectionNotifications", rid,
                cp.deleteConnectionNotifications(c, p.list("ConnectionNotificationId")));
    }
}
