package io.plsim.core.control;

import static io.plsim.core.control.RequestChecks.checkGroupIdSyntax;

import io.plsim.core.control.Endpoints.Endpoint;
import io.plsim.core.model.Account;
import io.plsim.core.model.SecurityGroup;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Vpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What EC2 describes of the network around the endpoints: the caller's zones, VPCs, subnets (with
 * their free addresses) and security groups, from the topology, and the network interfaces of its
 * endpoints. Nothing here changes anything.
 *
 * <p>Invariant: a caller sees only its own account's resources, in this region; an ID that is not one
 * of them fails the whole call, as EC2 does. Called only under {@link ControlPlane}'s lock, for a
 * caller it has checked.
 */
final class NetworkReads {

    private static final FilterTable<Vpc> VPC_FILTERS = new FilterTable<Vpc>()
            .on("cidr", v -> v.cidr().toString())
            .on("cidr-block-association.cidr-block", v -> v.cidr().toString())
            .on("cidr-block-association.association-id", NetworkReads::cidrAssociationId)
            .constant("cidr-block-association.state", "associated")
            .constant("dhcp-options-id", "default")
            .absent("ipv6-cidr-block-association.ipv6-cidr-block", "ipv6-cidr-block-association.ipv6-pool",
                    "ipv6-cidr-block-association.association-id", "ipv6-cidr-block-association.state")
            .constant("is-default", "false")
            .on("owner-id", Vpc::accountId)
            .constant("state", "available")
            .on("vpc-id", Vpc::id)
            .tags(v -> Map.of());

    private static final FilterTable<SecurityGroup> GROUP_FILTERS = new FilterTable<SecurityGroup>()
            .on("description", SecurityGroup::description)
            .on("group-id", SecurityGroup::id)
            .on("group-name", SecurityGroup::name)
            .on("owner-id", SecurityGroup::accountId)
            .on("vpc-id", SecurityGroup::vpcId)
            .unsupported("egress.ip-permission.cidr", "egress.ip-permission.from-port",
                    "egress.ip-permission.group-id", "egress.ip-permission.group-name",
                    "egress.ip-permission.ipv6-cidr", "egress.ip-permission.prefix-list-id",
                    "egress.ip-permission.protocol", "egress.ip-permission.to-port",
                    "egress.ip-permission.user-id", "ip-permission.cidr", "ip-permission.from-port",
                    "ip-permission.group-id", "ip-permission.group-name", "ip-permission.ipv6-cidr",
                    "ip-permission.prefix-list-id", "ip-permission.protocol", "ip-permission.to-port",
                    "ip-permission.user-id")
            .tags(g -> Map.of());

    private final Resources resources;
    /** Built once with the constructor: it names the region, the topology's for the control plane's life. */
    private final FilterTable<SubnetDetail> subnetFilters;
    /** Built once with the constructor: it names the region, the topology's for the control plane's life. */
    private final FilterTable<NetworkInterface> interfaceFilters;

    NetworkReads(Resources resources) {
        this.resources = resources;
        this.subnetFilters = new FilterTable<SubnetDetail>()
                .on("availability-zone", d -> d.subnet().zoneName())
                .on("availabilityZone", d -> d.subnet().zoneName())
                .on("availability-zone-id", d -> d.subnet().zoneId())
                .on("availabilityZoneId", d -> d.subnet().zoneId())
                .on("available-ip-address-count", d -> Long.toString(d.availableIpAddressCount()))
                .on("cidr-block", d -> d.subnet().cidr().toString())
                .on("cidrBlock", d -> d.subnet().cidr().toString())
                .on("cidr", d -> d.subnet().cidr().toString())
                .absent("customer-owned-ipv4-pool", "outpost-arn", "enable-lni-at-device-index",
                        "ipv6-cidr-block-association.ipv6-cidr-block", "ipv6-cidr-block-association.association-id",
                        "ipv6-cidr-block-association.state")
                .constant("default-for-az", "false")
                .constant("defaultForAz", "false")
                .constant("enable-dns64", "false")
                .constant("ipv6-native", "false")
                .constant("map-customer-owned-ip-on-launch", "false")
                .constant("map-public-ip-on-launch", "false")
                .on("owner-id", d -> d.subnet().accountId())
                .constant("private-dns-name-options-on-launch.hostname-type", "ip-name")
                .constant("private-dns-name-options-on-launch.enable-resource-name-dns-a-record", "false")
                .constant("private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record", "false")
                .constant("state", "available")
                .on("subnet-arn", d -> subnetArn(d.subnet()))
                .on("subnet-id", d -> d.subnet().id())
                .on("vpc-id", d -> d.subnet().vpcId())
                .tags(d -> Map.of());
        this.interfaceFilters = new FilterTable<NetworkInterface>()
                .absent("association.allocation-id", "association.association-id", "addresses.association.owner-id",
                        "addresses.association.public-ip", "association.ip-owner-id", "association.public-ip",
                        "association.public-dns-name", "attachment.attach-time", "attachment.attachment-id",
                        "attachment.delete-on-termination", "attachment.device-index", "attachment.instance-id",
                        "attachment.instance-owner-id", "attachment.status", "ipv6-addresses.ipv6-address",
                        "operator.principal")
                .constant("addresses.primary", "true")
                .on("addresses.private-ip-address", NetworkInterface::privateIp)
                .on("availability-zone", NetworkInterface::zoneName)
                .on("availability-zone-id", NetworkInterface::zoneId)
                .on("description", NetworkInterface::description)
                .onAny("group-id", n -> n.groups().stream().map(SecurityGroup::id).toList())
                .constant("interface-type", NetworkInterface.INTERFACE_TYPE)
                .on("mac-address", NetworkInterface::macAddress)
                .on("network-interface-id", NetworkInterface::networkInterfaceId)
                .constant("operator.managed", "false")
                .on("owner-id", NetworkInterface::ownerId)
                .on("private-dns-name", n -> n.privateDnsName(resources.topology.region()))
                .on("private-ip-address", NetworkInterface::privateIp)
                .constant("requester-id", NetworkInterface.REQUESTER_ID)
                .constant("requester-managed", "true")
                .constant("source-dest-check", "true")
                .constant("status", NetworkInterface.STATUS)
                .on("subnet-id", NetworkInterface::subnetId)
                .on("vpc-id", NetworkInterface::vpcId)
                .tags(NetworkInterface::tags);
    }

    /** The zones of the caller's account, named as that account names them. */
    List<AvailabilityZone> zones(Account account) {
        return account.zones().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new AvailabilityZone(e.getKey(), e.getValue(), resources.topology.region())).toList();
    }

    /** The caller's VPCs; an ID that is not one of them fails the call, as EC2 does. */
    Page<Vpc> vpcs(Caller caller, List<String> vpcIds, List<Filter> filters, PageRequest page) {
        Predicate<Vpc> matching = VPC_FILTERS.matcher(filters);
        List<Vpc> mine = resources.topology.vpcs().values().stream()
                .filter(v -> resources.owns(caller, v.accountId())).toList();
        vpcIds.forEach(RequestChecks::checkVpcIdSyntax);
        checkIds(vpcIds, mine, Vpc::id, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist");
        return inTopologyOrder("vpcs", mine, vpcIds, Vpc::id, matching, page);
    }

    /** The association ID of a VPC's one IPv4 CIDR block, derived from the VPC ID. */
    static String cidrAssociationId(Vpc vpc) {
        return "vpc-cidr-assoc-" + vpc.id().substring("vpc-".length());
    }

    /**
     * The caller's subnets, each with the addresses still free in it: a network interface of an
     * endpoint takes one as it is made and gives it back when its endpoint is deleted or the subnet
     * is removed from it.
     */
    Page<SubnetDetail> subnets(Caller caller, List<String> subnetIds, List<Filter> filters, PageRequest page) {
        Predicate<SubnetDetail> matching = subnetFilters.matcher(filters);
        List<SubnetDetail> mine = resources.topology.subnets().values().stream()
                .filter(sn -> resources.owns(caller, sn.accountId()))
                .map(sn -> new SubnetDetail(sn, resources.addresses.available(sn))).toList();
        subnetIds.forEach(RequestChecks::checkSubnetIdSyntax);
        checkIds(subnetIds, mine, d -> d.subnet().id(), "InvalidSubnetID.NotFound",
                "The subnet ID '%s' does not exist");
        return inTopologyOrder("subnets", mine, subnetIds, d -> d.subnet().id(), matching, page);
    }

    String subnetArn(Subnet subnet) {
        return "arn:aws:ec2:" + resources.topology.region() + ":" + subnet.accountId() + ":subnet/" + subnet.id();
    }

    /**
     * The caller's security groups: every VPC's default group and those the sim-config declares.
     * {@code groupNames} finds groups of a default VPC only, as in EC2; plsim's VPCs are not
     * default VPCs, so a name fails the call and the {@code group-name} filter is the way.
     */
    Page<SecurityGroup> securityGroups(Caller caller, List<String> groupIds, List<String> groupNames,
                                       List<Filter> filters, PageRequest page) {
        Predicate<SecurityGroup> matching = GROUP_FILTERS.matcher(filters);
        List<SecurityGroup> mine = resources.topology.securityGroups().values().stream()
                .filter(g -> resources.owns(caller, g.accountId())).toList();
        for (String id : groupIds) {
            checkGroupIdSyntax(id);
        }
        checkIds(groupIds, mine, SecurityGroup::id, "InvalidGroup.NotFound", "The security group '%s' does not exist");
        for (String name : groupNames) {
            throw new ControlPlaneException("InvalidGroup.NotFound", "The security group '" + name
                    + "' does not exist in default VPC: plsim's VPCs are not default VPCs; use the group-name"
                    + " filter to find a group by name");
        }
        return inTopologyOrder("security-groups", mine, groupIds, SecurityGroup::id, matching, page);
    }

    /** The network interfaces of the caller's endpoints that are not deleted. */
    Page<NetworkInterface> networkInterfaces(Caller caller, List<String> interfaceIds, List<Filter> filters,
                                             PageRequest page) {
        Predicate<NetworkInterface> matching = interfaceFilters.matcher(filters);
        List<NetworkInterface> mine = new ArrayList<>();
        for (Endpoint e : resources.endpoints.values()) {
            if (resources.owns(caller, e.owner) && e.state != EndpointState.DELETED) {
                for (EndpointInterface i : e.interfaces) {
                    mine.add(new NetworkInterface(i.networkInterfaceId(), e.id, e.owner, e.vpcId, i.subnetId(),
                            i.zoneName(), i.zoneId(), i.privateIp(), macAddress(i.networkInterfaceId()),
                            resources.snapshots.groups(e), Map.of()));
                }
            }
        }
        for (String id : interfaceIds) {
            if (!id.matches("eni-[0-9a-f]{8,17}")) {
                throw new ControlPlaneException("InvalidNetworkInterfaceId.Malformed",
                        "Invalid id: \"" + id + "\" (expecting \"eni-...\")");
            }
        }
        checkIds(interfaceIds, mine, NetworkInterface::networkInterfaceId, "InvalidNetworkInterfaceID.NotFound",
                "The networkInterface ID '%s' does not exist");
        return Paging.page("network-interfaces",
                Resources.asked(mine, interfaceIds, NetworkInterface::networkInterfaceId, matching),
                n -> resources.interfaceSeq.get(n.networkInterfaceId()), page).map(n -> n);
    }

    /** A locally administered unicast MAC address, stable for an interface ID. */
    private static String macAddress(String interfaceId) {
        long h = interfaceId.hashCode() & 0xffffffffL;
        return String.format("0e:%02x:%02x:%02x:%02x:%02x", (h >> 32) & 0xff | 0x10, (h >> 24) & 0xff,
                (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff);
    }

    /** Every ID asked must be one of the caller's, or the whole call fails, as EC2 answers. */
    private static <T> void checkIds(List<String> asked, List<T> mine, Function<T, String> id, String code,
                                     String message) {
        List<String> known = mine.stream().map(id).toList();
        for (String a : asked) {
            if (!known.contains(a)) {
                throw new ControlPlaneException(code, String.format(message, a));
            }
        }
    }

    /** A page of those of {@code mine} asked for, in the order the topology lists them. */
    private static <T> Page<T> inTopologyOrder(String kind, List<T> mine, List<String> ids, Function<T, String> id,
                                               Predicate<T> matching, PageRequest page) {
        return Paging.page(kind, Resources.asked(mine, ids, id, matching), t -> mine.indexOf(t), page).map(t -> t);
    }

}
