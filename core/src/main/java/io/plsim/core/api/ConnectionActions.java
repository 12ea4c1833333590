package io.plsim.core.api;

import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.EndpointConnection;
import io.plsim.core.control.Page;
import java.util.Objects;

/**
 * The EC2 actions a provider takes on the endpoints connected to its services: describe, accept, reject.
 *
 * <p>Invariant: accept and reject answer every endpoint they could not change in {@code unsuccessful},
 * and do not fail the request for it, as EC2 does.
 */
final class ConnectionActions {

    private final ControlPlane cp;

    ConnectionActions(ControlPlane cp) {
        this.cp = Objects.requireNonNull(cp, "cp");
    }

    String describe(Caller c, QueryParams p, String rid) {
        Page<EndpointConnection> page = cp.describeConnections(c, p.filters(), p.page());
        return Ec2Shapes.page("DescribeVpcEndpointConnections", rid, "vpcEndpointConnectionSet", page, (y, e) -> {
            y.text("serviceId", e.serviceId());
            y.text("vpcEndpointId", e.vpcEndpointId());
            y.text("vpcEndpointOwner", e.vpcEndpointOwner());
            y.text("vpcEndpointState", e.vpcEndpointState().wire());
            y.text("creationTimestamp", Ec2Shapes.time(e.created()));
            Ec2Shapes.dnsEntries(y, e.dnsEntries());
            y.strings("networkLoadBalancerArnSet", e.networkLoadBalancerArns());
            y.text("ipAddressType", "ipv4");
        });
    }

    String accept(Caller c, QueryParams p, String rid) {
        return Ec2Shapes.batch("AcceptVpcEndpointConnections", rid,
                cp.acceptConnections(c, p.required("ServiceId"), p.list("VpcEndpointId")));
    }

    String reject(Caller c, QueryParams p, String rid) {
        return Ec2Shapes.batch("RejectVpcEndpointConnections", rid,
                cp.rejectConnections(c, p.required("ServiceId"), p.list("VpcEndpointId")));
    }
}
