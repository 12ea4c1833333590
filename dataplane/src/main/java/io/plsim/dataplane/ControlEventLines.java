package io.plsim.dataplane;

import io.plsim.core.control.ControlEvent;
import io.plsim.core.control.VpcEndpoint;
import java.util.ArrayList;
import java.util.List;

/** The event-log line each change of the control plane makes. */
final class ControlEventLines {

    private ControlEventLines() {
    }

    static void record(EventLog log, ControlEvent event) {
        if (event instanceof ControlEvent.EndpointChanged c) {
            List<String> f = new ArrayList<>(List.of("endpoint", c.endpoint().vpcEndpointId(),
                    "service", c.endpoint().serviceId(), "owner", c.endpoint().ownerId(),
                    "from", c.previous() == null ? "" : c.previous().wire(), "to", c.endpoint().state().wire()));
            privateDns(f, c.endpoint());
            log.record(c.created() ? "endpoint-created" : "endpoint-state", f.toArray(String[]::new));
        } else if (event instanceof ControlEvent.ServiceChanged c) {
            List<String> f = new ArrayList<>(List.of("service", c.service().serviceId(),
                    "state", c.service().state().wire(),
                    "acceptanceRequired", String.valueOf(c.service().acceptanceRequired()),
                    "loadBalancers", String.join(" ", c.service().networkLoadBalancerArns())));
            if (c.service().privateDnsNameConfiguration() != null) {
                // How far the verification has got, so the log shows pendingVerification turn verified or failed.
                f.addAll(List.of("privateDnsName", c.service().privateDnsName(),
                        "verification", c.service().privateDnsNameConfiguration().state().wire()));
            }
            log.record("service-changed", f.toArray(String[]::new));
        } else if (event instanceof ControlEvent.ServiceDeleted c) {
            log.record("service-deleted", "service", c.service().serviceId());
        } else if (event instanceof ControlEvent.PermissionsChanged c) {
            log.record("permissions-changed", "service", c.serviceId(), "allowed",
                    String.join(" ", c.allowed().stream().map(a -> a.principal().arn()).toList()));
        } else if (event instanceof ControlEvent.NotificationChanged c) {
            log.record("notification-changed", "notification", c.notification().connectionNotificationId(),
                    "topic", c.notification().topicArn());
        } else if (event instanceof ControlEvent.NotificationDeleted c) {
            log.record("notification-deleted", "notification", c.notification().connectionNotificationId());
        } else if (event instanceof ControlEvent.EndpointModified c) {
            List<String> f = new ArrayList<>(List.of("endpoint", c.endpoint().vpcEndpointId(),
                    "added", String.join(" ", c.added().stream().map(i -> i.networkInterfaceId() + "@" + i.privateIp()).toList()),
                    "removed", String.join(" ", c.removed().stream().map(i -> i.networkInterfaceId() + "@" + i.privateIp()).toList()),
                    "groups", String.join(" ", c.endpoint().groups().stream().map(g -> g.id()).toList())));
            privateDns(f, c.endpoint());
            log.record("endpoint-modified", f.toArray(String[]::new));
        } else if (event instanceof ControlEvent.EndpointTagged c) {
            log.record("endpoint-tagged", "endpoint", c.endpoint().vpcEndpointId());
        } else if (event instanceof ControlEvent.Notified c) {
            log.record("notification", "notification", c.notification().connectionNotificationId(),
                    "event", c.event().wire(), "endpoint", c.endpoint().vpcEndpointId(),
                    "topic", c.notification().topicArn());
        }
    }

    /** An endpoint with private DNS on says so; one without keeps the fields it always had. */
    private static void privateDns(List<String> fields, VpcEndpoint e) {
        if (e.privateDnsEnabled()) {
            fields.addAll(List.of("privateDns", "true"));
        }
    }
}
