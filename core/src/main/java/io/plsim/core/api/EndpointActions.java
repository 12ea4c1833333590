package io.plsim.core.api;

import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.control.CreateEndpointRequest;
import io.plsim.core.control.ModifyEndpointRequest;
import io.plsim.core.control.Page;
import io.plsim.core.control.TagDescription;
import io.plsim.core.control.VpcEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The EC2 actions a consumer takes on its interface endpoints (create, describe, modify, delete) and on the
 * tags of its resources.
 *
 * <p>Invariant: what only Gateway endpoints have (route tables) and what plsim does not simulate (chosen
 * addresses, IPv6 DNS records) is refused naming the parameter, never silently dropped.
 */
final class EndpointActions {

    private final ControlPlane cp;

    EndpointActions(ControlPlane cp) {
        this.cp = Objects.requireNonNull(cp, "cp");
    }

    String create(Caller c, QueryParams p, String rid) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i : p.structures("TagSpecification")) {
            String type = p.string("TagSpecification." + i + ".ResourceType");
            if (type != null && !type.equals("vpc-endpoint")) {
                throw new ControlPlaneException("InvalidParameterValue", "TagSpecification." + i
                        + ".ResourceType " + type + " cannot be tagged by CreateVpcEndpoint; expected vpc-endpoint");
            }
            tags.putAll(p.tags("TagSpecification." + i + ".Tag"));
        }
        if (!p.list("RouteTableId").isEmpty()) {
            throw new ControlPlaneException("InvalidParameter", "Route tables are for Gateway endpoints;"
                    + " endpoint services take Interface endpoints");
        }
        VpcEndpoint e = cp.createVpcEndpoint(c, new CreateEndpointRequest(p.string("VpcId"), p.string("ServiceName"),
                p.list("SubnetId"), p.string("VpcEndpointType"), p.bool("PrivateDnsEnabled"), p.string("IpAddressType"),
                tags, p.list("SecurityGroupId")));
        return Ec2Shapes.created("CreateVpcEndpoint", rid, "vpcEndpoint", e, EndpointActions::endpoint,
                p.string("ClientToken"));
    }

    private static void endpoint(Xml x, VpcEndpoint e) {
        x.text("vpcEndpointId", e.vpcEndpointId());
        x.text("vpcEndpointType", VpcEndpoint.ENDPOINT_TYPE);
        x.text("vpcId", e.vpcId());
        x.text("serviceName", e.serviceName());
        x.text("state", e.state().wire());
        x.start("routeTableIdSet").end();
        x.strings("subnetIdSet", e.subnetIds());
        Ec2Shapes.groupSet(x, e.groups());
        x.text("ipAddressType", "ipv4");
        x.start("dnsOptions");
        x.text("dnsRecordIpType", "ipv4");
        x.end();
        x.text("policyDocument", VpcEndpoint.FULL_ACCESS_POLICY);
        x.text("privateDnsEnabled", e.privateDnsEnabled());
        x.text("requesterManaged", false);
        x.strings("networkInterfaceIdSet", e.networkInterfaceIds());
        Ec2Shapes.dnsEntries(x, e.dnsEntries());
        x.text("creationTimestamp", Ec2Shapes.time(e.created()));
        Ec2Shapes.tagSet(x, e.tags());
        x.text("ownerId", e.ownerId());
    }

    String describe(Caller c, QueryParams p, String rid) {
        Page<VpcEndpoint> page = cp.describeVpcEndpoints(c, p.list("VpcEndpointId"), p.filters(), p.page());
        return Ec2Shapes.page("DescribeVpcEndpoints", rid, "vpcEndpointSet", page, EndpointActions::endpoint);
    }

    String modify(Caller c, QueryParams p, String rid) {
        if (!p.list("AddRouteTableId").isEmpty() || !p.list("RemoveRouteTableId").isEmpty()) {
            throw new ControlPlaneException("InvalidParameter", "Route tables are for Gateway endpoints;"
                    + " endpoint services take Interface endpoints");
        }
        if (!p.structures("SubnetConfiguration").isEmpty()) {
            throw new ControlPlaneException("InvalidParameter", "SubnetConfiguration chooses an interface's"
                    + " address; plsim gives each interface the first free address of its subnet");
        }
        String dnsType = p.string("DnsOptions.DnsRecordIpType");
        if (dnsType != null && !dnsType.equals("ipv4")) {
            throw new ControlPlaneException("InvalidParameter", "DnsOptions.DnsRecordIpType " + dnsType
                    + " is not supported: endpoint services carry IPv4 only");
        }
        cp.modifyVpcEndpoint(c, new ModifyEndpointRequest(p.required("VpcEndpointId"), p.list("AddSubnetId"),
                p.list("RemoveSubnetId"), p.list("AddSecurityGroupId"), p.list("RemoveSecurityGroupId"),
                Boolean.TRUE.equals(p.bool("ResetPolicy")), p.string("PolicyDocument"), p.bool("PrivateDnsEnabled"),
                p.string("IpAddressType")));
        return Ec2Shapes.done("ModifyVpcEndpoint", rid);
    }

    String delete(Caller c, QueryParams p, String rid) {
        return Ec2Shapes.batch("DeleteVpcEndpoints", rid, cp.deleteVpcEndpoints(c, p.list("VpcEndpointId")));
    }

    String createTags(Caller c, QueryParams p, String rid) {
        cp.createTags(c, p.list("ResourceId"), p.tags("Tag"));
        return Ec2Shapes.done("CreateTags", rid);
    }

    String deleteTags(Caller c, QueryParams p, String rid) {
        cp.deleteTags(c, p.list("ResourceId"), p.tagsToMatch("Tag"));
        return Ec2Shapes.done("DeleteTags", rid);
    }

    String describeTags(Caller c, QueryParams p, String rid) {
        Page<TagDescription> page = cp.describeTags(c, p.filters(), p.page());
        return Ec2Shapes.page("DescribeTags", rid, "tagSet", page, (y, t) -> {
            y.text("resourceId", t.resourceId());
            y.text("resourceType", t.resourceType());
            y.text("key", t.key());
            y.text("value", t.value());
        });
    }
}
