package io.plsim.core.api;

import io.plsim.core.control.AvailabilityZone;
import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.control.Filter;
import io.plsim.core.control.NetworkInterface;
import io.plsim.core.control.Page;
import io.plsim.core.control.SubnetDetail;
import io.plsim.core.model.SecurityGroup;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Vpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The EC2 reads of the network around the endpoints: Availability Zones, VPCs, subnets, security groups
 * and the endpoints' network interfaces, in EC2's shapes.
 *
 * <p>Invariant: these actions change nothing; what a world does not model (IPv6, public IPs, block public
 * access) is answered with EC2's value for a VPC that does not use it.
 */
final class NetworkReadActions {

    /** The filters of DescribeAvailabilityZones plsim answers: EC2's, but for {@code group-long-name}. */
    private static final List<String> ZONE_FILTERS = List.of("zone-name", "zone-id", "region-name", "state",
            "zone-type", "group-name", "message", "opt-in-status", "parent-zone-id", "parent-zone-name");

    private final ControlPlane cp;

    NetworkReadActions(ControlPlane cp) {
        this.cp = Objects.requireNonNull(cp, "cp");
    }

    String describeAvailabilityZones(Caller c, QueryParams p, String rid) {
        List<AvailabilityZone> zones = cp.describeAvailabilityZones(c);
        List<String> names = p.list("ZoneName");
        List<String> ids = p.list("ZoneId");
        for (String n : names) {
            if (zones.stream().noneMatch(z -> z.zoneName().equals(n))) {
                throw new ControlPlaneException("InvalidParameterValue", "Invalid availability zone: [" + n + "]");
            }
        }
        for (String id : ids) {
            if (zones.stream().noneMatch(z -> z.zoneId().equals(id))) {
                throw new ControlPlaneException("InvalidParameterValue", "Invalid availability zone: [" + id + "]");
            }
        }
        List<Filter> filters = p.filters();
        for (Filter f : filters) {
            if (f.name() != null && f.name().equals("group-long-name")) {
                throw new ControlPlaneException("InvalidParameterValue", "The filter 'group-long-name' is documented"
                        + " by EC2 but not supported by plsim, which does not know regions' long names");
            }
            if (!ZONE_FILTERS.contains(f.name())) {
                throw new ControlPlaneException("InvalidParameterValue", "The filter '" + f.name() + "' is invalid");
            }
        }
        List<AvailabilityZone> selected = new ArrayList<>();
        for (AvailabilityZone z : zones) {
            if ((!names.isEmpty() || !ids.isEmpty()) && !names.contains(z.zoneName()) && !ids.contains(z.zoneId())) {
                continue;
            }
            boolean ok = filters.stream().allMatch(f -> switch (f.name()) {
                case "zone-name" -> f.matches(z.zoneName());
                case "zone-id" -> f.matches(z.zoneId());
                case "region-name" -> f.matches(z.region());
                case "state" -> f.matches(AvailabilityZone.STATE);
                case "group-name" -> f.matches(z.region());
                case "opt-in-status" -> f.matches("opt-in-not-required");
                // Availability Zones have no message and no parent zone.
                case "message", "parent-zone-id", "parent-zone-name" -> false;
                default -> f.matches("availability-zone");
            });
            if (ok) {
                selected.add(z);
            }
        }
        return Xml.response("DescribeAvailabilityZones", rid, x -> x.items("availabilityZoneInfo", selected, (y, z) -> {
            y.text("zoneName", z.zoneName());
            y.text("zoneState", AvailabilityZone.STATE);
            y.text("regionName", z.region());
            y.start("messageSet").end();
            y.text("zoneId", z.zoneId());
            y.text("zoneType", "availability-zone");
            y.text("optInStatus", "opt-in-not-required");
            y.text("groupName", z.region());
            y.text("networkBorderGroup", z.region());
        }));
    }

    String describeVpcs(Caller c, QueryParams p, String rid) {
        Page<Vpc> page = cp.describeVpcs(c, p.list("VpcId"), p.filters(), p.page());
        return Ec2Shapes.page("DescribeVpcs", rid, "vpcSet", page, (y, v) -> {
            y.text("vpcId", v.id());
            y.text("ownerId", v.accountId());
            y.text("state", "available");
            y.text("cidrBlock", v.cidr().toString());
            y.items("cidrBlockAssociationSet", List.of(v), (z, w) -> {
                z.text("cidrBlock", w.cidr().toString());
                z.text("associationId", ControlPlane.cidrAssociationId(w));
                z.start("cidrBlockState");
                z.text("state", "associated");
                z.end();
            });
            y.text("dhcpOptionsId", "default");
            y.text("instanceTenancy", "default");
            y.text("isDefault", false);
            y.start("blockPublicAccessStates");
            y.text("internetGatewayBlockMode", "off");
            y.end();
        });
    }

    String describeSubnets(Caller c, QueryParams p, String rid) {
        Page<SubnetDetail> page = cp.describeSubnets(c, p.list("SubnetId"), p.filters(), p.page());
        return Ec2Shapes.page("DescribeSubnets", rid, "subnetSet", page, (y, d) -> {
            Subnet sn = d.subnet();
            y.text("subnetId", sn.id());
            y.text("subnetArn", cp.subnetArn(sn));
            y.text("state", "available");
            y.text("ownerId", sn.accountId());
            y.text("vpcId", sn.vpcId());
            y.text("cidrBlock", sn.cidr().toString());
            y.start("ipv6CidrBlockAssociationSet").end();
            y.text("availableIpAddressCount", d.availableIpAddressCount());
            y.text("availabilityZone", sn.zoneName());
            y.text("availabilityZoneId", sn.zoneId());
            y.text("defaultForAz", false);
            y.text("mapPublicIpOnLaunch", false);
            y.text("assignIpv6AddressOnCreation", false);
            y.text("mapCustomerOwnedIpOnLaunch", false);
            y.text("enableDns64", false);
            y.text("ipv6Native", false);
            y.start("privateDnsNameOptionsOnLaunch");
            y.text("hostnameType", "ip-name");
            y.text("enableResourceNameDnsARecord", false);
            y.text("enableResourceNameDnsAAAARecord", false);
            y.end();
            y.start("blockPublicAccessStates");
            y.text("internetGatewayBlockMode", "off");
            y.end();
        });
    }

    String describeSecurityGroups(Caller c, QueryParams p, String rid) {
        Page<SecurityGroup> page = cp.describeSecurityGroups(c, p.list("GroupId"), p.list("GroupName"), p.filters(),
                p.page());
        return Ec2Shapes.page("DescribeSecurityGroups", rid, "securityGroupInfo", page, (y, g) -> {
            y.text("ownerId", g.accountId());
            y.text("groupId", g.id());
            y.text("groupName", g.name());
            y.text("groupDescription", g.description());
            y.text("vpcId", g.vpcId());
            // A default group lets in what comes from its own members; every group lets all out.
            // Shown as EC2 shows them; plsim does not filter traffic by them.
            if (g.isDefault()) {
                y.items("ipPermissions", List.of(g), (z, self) -> {
                    z.text("ipProtocol", "-1");
                    z.items("groups", List.of(self), (u, grp) -> {
                        u.text("userId", grp.accountId());
                        u.text("groupId", grp.id());
                    });
                    z.start("ipRanges").end();
                    z.start("ipv6Ranges").end();
                    z.start("prefixListIds").end();
                });
            } else {
                y.start("ipPermissions").end();
            }
            y.items("ipPermissionsEgress", List.of(g), (z, grp) -> {
                z.text("ipProtocol", "-1");
                z.start("groups").end();
                z.items("ipRanges", List.of("0.0.0.0/0"), (u, cidr) -> u.text("cidrIp", cidr));
                z.start("ipv6Ranges").end();
                z.start("prefixListIds").end();
            });
            y.text("securityGroupArn", "arn:aws:ec2:" + cp.topology().region() + ":" + g.accountId()
                    + ":security-group/" + g.id());
        });
    }

    String describeNetworkInterfaces(Caller c, QueryParams p, String rid) {
        Page<NetworkInterface> page = cp.describeNetworkInterfaces(c, p.list("NetworkInterfaceId"), p.filters(),
                p.page());
        String region = cp.topology().region();
        return Ec2Shapes.page("DescribeNetworkInterfaces", rid, "networkInterfaceSet", page, (y, n) -> {
            y.text("networkInterfaceId", n.networkInterfaceId());
            y.text("subnetId", n.subnetId());
            y.text("vpcId", n.vpcId());
            y.text("availabilityZone", n.zoneName());
            y.text("availabilityZoneId", n.zoneId());
            y.text("description", n.description());
            y.text("ownerId", n.ownerId());
            y.text("requesterId", NetworkInterface.REQUESTER_ID);
            y.text("requesterManaged", true);
            y.text("status", NetworkInterface.STATUS);
            y.text("macAddress", n.macAddress());
            y.text("privateIpAddress", n.privateIp());
            y.text("privateDnsName", n.privateDnsName(region));
            y.text("sourceDestCheck", true);
            Ec2Shapes.groupSet(y, n.groups());
            y.items("privateIpAddressesSet", List.of(n), (z, m) -> {
                z.text("privateIpAddress", m.privateIp());
                z.text("privateDnsName", m.privateDnsName(region));
                z.text("primary", true);
            });
            y.start("ipv6AddressesSet").end();
            Ec2Shapes.tagSet(y, n.tags());
            y.text("interfaceType", NetworkInterface.INTERFACE_TYPE);
            y.start("operator");
            y.text("managed", false);
            y.end();
        });
    }
}
