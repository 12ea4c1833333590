package io.plsim.core.control;

import static io.plsim.core.control.RequestChecks.checkCreateEndpoint;
import static io.plsim.core.control.RequestChecks.checkGroupIdSyntax;
import static io.plsim.core.control.RequestChecks.checkTags;
import static io.plsim.core.control.RequestChecks.invalidParameter;
import static io.plsim.core.control.RequestChecks.requireNonEmpty;

import io.plsim.core.control.ServiceConfigurations.Service;
import io.plsim.core.model.Account;
import io.plsim.core.model.Ipv4;
import io.plsim.core.model.Principal;
import io.plsim.core.model.SecurityGroup;
import io.plsim.core.model.Simulation;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Topology;
import io.plsim.core.model.Vpc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Interface endpoints as their consumer makes, describes, changes and deletes them, with the network
 * interface each has in each of its subnets and the DNS names those give it; and how long a deleted
 * one is remembered.
 *
 * <p>Invariant: an endpoint has one subnet per zone, each in its VPC and in a zone its service offers,
 * with one network interface holding one address there, and one to {@value #GROUPS_PER_INTERFACE}
 * security groups of its VPC; a change that fails any check changes nothing, and a refused request
 * draws no ID. A deleted endpoint holds no interface and is forgotten after its retention, or once
 * more than {@link #MAX_DELETED_KEPT} are deleted. Called only under {@link ControlPlane}'s lock, for
 * a caller it has checked.
 */
final class Endpoints {

    /** The most deleted endpoints still described, whatever their retention. */
    static final int MAX_DELETED_KEPT = 10_000;
    /** At most this many security groups on a network interface, EC2's default quota. */
    private static final int GROUPS_PER_INTERFACE = 5;

    private final Resources resources;
    private final PrivateDnsNames privateDns;
    /** Built once with the constructor: it names the region, the topology's for the control plane's life. */
    private final FilterTable<Endpoint> endpointFilters;
    /** Deleted endpoints, in the order they were deleted, with when: forgotten after {@link #deletedRetention}. */
    private final Map<String, Instant> deletedAt = new LinkedHashMap<>();
    private Duration deletedRetention = Simulation.DEFAULT_DELETED_RETENTION;
    private final Topology topology;
    private final AddressPool addresses;

    Endpoints(Resources resources, PrivateDnsNames privateDns) {
        this.resources = resources;
        this.privateDns = privateDns;
        this.topology = resources.topology;
        this.addresses = resources.addresses;
        this.endpointFilters = new FilterTable<Endpoint>()
                .on("service-name", e -> e.serviceName)
                .constant("service-region", topology.region())
                .constant("ip-address-type", "ipv4")
                .on("vpc-id", e -> e.vpcId)
                .on("vpc-endpoint-id", e -> e.id)
                .on("vpc-endpoint-state", e -> e.state.wire())
                .constant("vpc-endpoint-type", VpcEndpoint.ENDPOINT_TYPE)
                .tags(e -> e.tags);
    }

    VpcEndpoint create(Caller caller, Account account, CreateEndpointRequest request) {
        checkTags(request.tags(), Set.of());
        checkCreateEndpoint(request);
        Vpc vpc = topology.vpcs().get(request.vpcId());
        if (vpc == null || !vpc.accountId().equals(caller.accountId())) {
            throw new ControlPlaneException("InvalidVpcID.NotFound",
                    "The vpc ID '" + request.vpcId() + "' does not exist");
        }
        Service service = resources.visibleServiceByName(caller, request.serviceName());
        requireNonEmpty(request.subnetIds(), "SubnetId");
        Map<String, Subnet> byZone = new LinkedHashMap<>();
        for (String subnetId : new LinkedHashSet<>(request.subnetIds())) {
            checkEndpointSubnet(account, vpc, service, byZone, subnetId);
        }
        List<String> groups = request.securityGroupIds().isEmpty()
                ? List.of(topology.defaultGroup(vpc.id()).orElseThrow().id())
                : checkGroups(vpc, request.securityGroupIds(), "SecurityGroupId");
        boolean privateDnsEnabled = Boolean.TRUE.equals(request.privateDnsEnabled());
        if (privateDnsEnabled) {
            privateDns.checkEnable(service, service.name, vpc.id(), null);
        }
        addresses.checkFree(byZone.values());
        String id = resources.uniqueId("vpce-", resources.endpoints.keySet());
        List<EndpointInterface> enis = openInterfaces(service, id, byZone.values());
        String suffix = resources.dnsSuffix();
        Endpoint e = new Endpoint(id, caller.accountId(), caller.principal(), vpc.id(), service.id, service.name,
                enis, List.of(), suffix, request.tags(), groups, resources.clock.instant(), resources.nextSeq());
        e.dns = dnsEntries(e);
        e.privateDnsEnabled = privateDnsEnabled;
        request.tags().keySet().forEach(k -> e.tagSeq.put(k, resources.nextSeq()));
        e.state = service.acceptanceRequired ? EndpointState.PENDING_ACCEPTANCE : resources.accepted(e);
        resources.endpoints.put(id, e);
        resources.publish(new ControlEvent.EndpointChanged(resources.snapshots.endpoint(e), null));
        resources.notify(e, ConnectionEvent.CONNECT);
        if (e.state != EndpointState.PENDING_ACCEPTANCE) {
            resources.notify(e, ConnectionEvent.ACCEPT);
        }
        return resources.snapshots.endpoint(e);
    }

    Page<VpcEndpoint> describe(Caller caller, List<String> endpointIds, List<Filter> filters, PageRequest page) {
        Predicate<Endpoint> matching = endpointFilters.matcher(filters);
        for (String id : endpointIds) {
            resources.ownedEndpoint(caller, id);
        }
        List<Endpoint> mine = resources.endpoints.values().stream()
                .filter(e -> resources.owns(caller, e.owner)).toList();
        return Paging.page("endpoints", Resources.asked(mine, endpointIds, e -> e.id, matching), e -> e.seq, page)
                .map(resources.snapshots::endpoint);
    }

    /** Each endpoint goes {@code deleting} then {@code deleted} and gives back its interfaces; per item. */
    List<Unsuccessful> delete(Caller caller, List<String> endpointIds) {
        requireNonEmpty(endpointIds, "VpcEndpointId");
        return Resources.perItem(endpointIds,
                id -> resources.mineEndpoint(caller, id).filter(e -> e.state != EndpointState.DELETED),
                Resources.NotFound.ENDPOINT::item, e -> {
                    resources.transition(e, EndpointState.DELETING);
                    e.interfaces.forEach(this::releaseInterface);
                    e.interfaces = List.of();
                    resources.transition(e, EndpointState.DELETED);
                    deletedAt.put(e.id, resources.clock.instant());
                    resources.notify(e, ConnectionEvent.DELETE);
                    return Optional.empty();
                });
    }

    /** Adds and removes subnets and security groups, with the checks of {@link #create}; all or nothing. */
    VpcEndpoint modify(Caller caller, Account account, ModifyEndpointRequest request) {
        if (request.vpcEndpointId() == null) {
            throw new ControlPlaneException("MissingParameter", "The request must contain the parameter VpcEndpointId");
        }
        Endpoint e = resources.ownedEndpoint(caller, request.vpcEndpointId());
        if (e.state == EndpointState.DELETED || e.state == EndpointState.DELETING) {
            throw Resources.NotFound.ENDPOINT.error(e.id);
        }
        checkCreateEndpoint(new CreateEndpointRequest(e.vpcId, e.serviceName, List.of(), null,
                request.privateDnsEnabled(), request.ipAddressType(), null));
        if (request.policyDocument() != null) {
            throw invalidParameter("The service " + e.serviceName + " does not support VPC endpoint policies;"
                    + " an endpoint of an endpoint service keeps the full-access policy");
        }
        Service service = resources.services.get(e.serviceId);
        if (Boolean.TRUE.equals(request.privateDnsEnabled()) && !e.privateDnsEnabled) {
            privateDns.checkEnable(service, e.serviceName, e.vpcId, e);
        }
        Vpc vpc = topology.vpcs().get(e.vpcId);
        Set<String> addSubnets = new LinkedHashSet<>(request.addSubnetIds());
        Set<String> removeSubnets = new LinkedHashSet<>(request.removeSubnetIds());
        addSubnets.forEach(RequestChecks::checkSubnetIdSyntax);
        removeSubnets.forEach(RequestChecks::checkSubnetIdSyntax);
        Map<String, Subnet> byZone = new LinkedHashMap<>();
        e.interfaces.forEach(i -> byZone.put(i.zoneId(), topology.subnets().get(i.subnetId())));
        for (String subnetId : removeSubnets) {
            if (addSubnets.contains(subnetId)) {
                throw invalidParameter("Subnet " + subnetId + " is both added and removed");
            }
            if (e.interfaces.stream().noneMatch(i -> i.subnetId().equals(subnetId))) {
                throw invalidParameter("Subnet " + subnetId + " is not a subnet of " + e.id + "; its subnets: "
                        + String.join(", ", e.interfaces.stream().map(EndpointInterface::subnetId).toList()));
            }
            byZone.values().removeIf(sn -> sn.id().equals(subnetId));
        }
        List<Subnet> added = new ArrayList<>();
        for (String subnetId : addSubnets) {
            if (service == null) {
                throw invalidParameter("The VPC endpoint service of " + e.id + " no longer exists;"
                        + " no subnet can be added");
            }
            added.add(checkEndpointSubnet(account, vpc, service, byZone, subnetId));
        }
        if (byZone.isEmpty()) {
            throw invalidParameter("An interface endpoint keeps at least one subnet; " + e.id
                    + " would have none");
        }
        List<String> groups = new ArrayList<>(e.groups);
        Set<String> addGroups = new LinkedHashSet<>(request.addSecurityGroupIds());
        for (String g : request.removeSecurityGroupIds()) {
            if (addGroups.contains(g)) {
                throw invalidParameter("Security group " + g + " is both added and removed");
            }
            if (!groups.remove(g)) {
                throw invalidParameter("Security group " + g + " is not a group of " + e.id + "; its groups: "
                        + String.join(", ", e.groups));
            }
        }
        for (String g : checkGroups(vpc, List.copyOf(addGroups), "AddSecurityGroupId")) {
            if (!groups.contains(g)) {
                groups.add(g);
            }
        }
        if (groups.isEmpty()) {
            throw invalidParameter("An interface endpoint keeps at least one security group; " + e.id
                    + " would have none");
        }
        checkGroupCount(groups);
        addresses.checkFree(added);
        List<EndpointInterface> opened = openInterfaces(service, e.id, added);
        List<EndpointInterface> closed = e.interfaces.stream()
                .filter(i -> removeSubnets.contains(i.subnetId())).toList();
        closed.forEach(this::releaseInterface);
        List<EndpointInterface> now = new ArrayList<>(e.interfaces);
        now.removeAll(closed);
        now.addAll(opened);
        e.interfaces = List.copyOf(now);
        e.groups = List.copyOf(groups);
        e.dns = dnsEntries(e);
        if (request.privateDnsEnabled() != null) {
            e.privateDnsEnabled = request.privateDnsEnabled();
        }
        VpcEndpoint snapshot = resources.snapshots.endpoint(e);
        resources.publish(new ControlEvent.EndpointModified(snapshot, opened, closed));
        return snapshot;
    }

    /** Every endpoint, deleted ones still remembered included, in creation order. */
    List<VpcEndpoint> all() {
        forgetDeleted();
        return resources.endpoints.values().stream().map(resources.snapshots::endpoint).toList();
    }

    void retainDeleted(Duration retention) {
        this.deletedRetention = retention;
    }

    /** Forgets the deleted endpoints whose retention has passed, and the connection notifications that named them. */
    void forgetDeleted() {
        if (deletedAt.isEmpty()) {
            return;
        }
        Instant horizon = resources.clock.instant().minus(deletedRetention);
        var it = deletedAt.entrySet().iterator();
        while (it.hasNext()) {
            var d = it.next();
            // By time, and by count: at most MAX_DELETED_KEPT, however fast they are deleted.
            if (d.getValue().isAfter(horizon) && deletedAt.size() <= MAX_DELETED_KEPT) {
                break;
            }
            String forgotten = d.getKey();
            resources.endpoints.remove(forgotten);
            // A notification that named it can never fire again, and goes with it.
            resources.notifications.values().removeIf(n -> forgotten.equals(n.endpointId));
            it.remove();
        }
    }

    private static List<String> namesIn(Account account, Collection<String> zoneIds) {
        return zoneIds.stream().map(z -> account.zoneName(z).map(n -> n + " (" + z + ")").orElse(z)).sorted().toList();
    }

    /**
     * The one load balancer an endpoint's interface in a zone connects to, when several of the
     * service's load balancers have a node there: a hash of endpoint and zone, so the choice is
     * stable and spreads endpoints over load balancers.
     */
    private String bindLoadBalancer(Service s, String endpointId, String zoneId) {
        List<String> candidates = s.loadBalancers.stream()
                .filter(arn -> topology.loadBalancer(arn).orElseThrow().nodeIn(zoneId).isPresent())
                .sorted().toList();
        int h = (endpointId + "/" + zoneId).hashCode();
        return candidates.get(Math.floorMod(h, candidates.size()));
    }

    /**
     * One subnet of an endpoint being created or modified: the caller's, in the endpoint's VPC, in a
     * zone where {@code byZone} (the endpoint's subnets so far, by zone ID) has none, and that the
     * service offers. Adds it to {@code byZone}.
     */
    private Subnet checkEndpointSubnet(Account account, Vpc vpc, Service service, Map<String, Subnet> byZone,
                                       String subnetId) {
        Subnet subnet = topology.subnets().get(subnetId);
        if (subnet == null || !subnet.accountId().equals(account.id())) {
            throw new ControlPlaneException("InvalidSubnetID.NotFound",
                    "The subnet ID '" + subnetId + "' does not exist");
        }
        if (!subnet.vpcId().equals(vpc.id())) {
            throw invalidParameter("Subnet " + subnetId + " is in " + subnet.vpcId() + ", not in " + vpc.id());
        }
        Subnet twin = byZone.get(subnet.zoneId());
        if (twin != null) {
            throw new ControlPlaneException("DuplicateSubnetsInSameZone",
                    "Found another VPC endpoint subnet in the availability zone of " + subnetId
                            + " (" + subnet.zoneName() + ", " + twin.id() + "); an endpoint takes at most"
                            + " one subnet per Availability Zone");
        }
        Map<String, String> offered = service.offeredZones(topology);
        if (!offered.containsKey(subnet.zoneId())) {
            throw invalidParameter("The VPC endpoint service " + service.id
                    + " does not support the availability zone of the subnet: " + subnetId
                    + " (" + subnet.zoneName() + " is " + subnet.zoneId() + " in your account; the service is"
                    + " offered in " + String.join(", ", namesIn(account, offered.keySet())) + ")");
        }
        byZone.put(subnet.zoneId(), subnet);
        return subnet;
    }

    /** A network interface in each subnet, bound to a load balancer; all or none, on a lack of addresses. */
    private List<EndpointInterface> openInterfaces(Service service, String endpointId, Collection<Subnet> subnets) {
        List<EndpointInterface> enis = new ArrayList<>();
        try {
            for (Subnet subnet : subnets) {
                int ip = addresses.allocate(subnet);
                EndpointInterface eni = new EndpointInterface(
                        resources.uniqueId("eni-", resources.interfaceSeq.keySet()), subnet.id(),
                        subnet.zoneName(), subnet.zoneId(), Ipv4.format(ip),
                        bindLoadBalancer(service, endpointId, subnet.zoneId()));
                enis.add(eni);
                resources.interfaceSeq.put(eni.networkInterfaceId(), resources.nextSeq());
            }
        } catch (ControlPlaneException e) {
            enis.forEach(this::releaseInterface);
            throw e;
        }
        return enis;
    }

    /** An interface goes: its address is free again, and it is no longer described. */
    private void releaseInterface(EndpointInterface i) {
        addresses.release(i.privateIp());
        resources.interfaceSeq.remove(i.networkInterfaceId());
    }

    /** The regional name, then one zonal name per interface, in the interfaces' order. */
    private List<DnsEntry> dnsEntries(Endpoint e) {
        String base = e.serviceId + "." + topology.region() + ".vpce.amazonaws.com";
        List<DnsEntry> dns = new ArrayList<>();
        dns.add(new DnsEntry(e.id + "-" + e.dnsSuffix + "." + base, null));
        for (EndpointInterface eni : e.interfaces) {
            dns.add(new DnsEntry(e.id + "-" + e.dnsSuffix + "-" + eni.zoneName() + "." + base, eni.zoneName()));
        }
        return List.copyOf(dns);
    }

    /** Security group IDs of a request: each well formed, existing, of the caller's VPC {@code vpc}. */
    private List<String> checkGroups(Vpc vpc, List<String> groupIds, String parameter) {
        List<String> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(groupIds)) {
            checkGroupIdSyntax(id);
            SecurityGroup g = topology.securityGroups().get(id);
            if (g == null || !g.accountId().equals(vpc.accountId())) {
                throw new ControlPlaneException("InvalidGroup.NotFound",
                        "The security group '" + id + "' does not exist (" + parameter + ")");
            }
            if (!g.vpcId().equals(vpc.id())) {
                throw new ControlPlaneException("InvalidGroup.NotFound", "The security group '" + id
                        + "' does not exist in VPC '" + vpc.id() + "' (it is a group of " + g.vpcId() + ")");
            }
            out.add(id);
        }
        checkGroupCount(out);
        return out;
    }

    private static void checkGroupCount(List<String> groups) {
        if (groups.size() > GROUPS_PER_INTERFACE) {
            throw new ControlPlaneException("SecurityGroupsPerInterfaceLimitExceeded", "You have exceeded the"
                    + " maximum number of security groups per network interface: " + groups.size() + " groups, at most "
                    + GROUPS_PER_INTERFACE);
        }
    }

    /** An interface endpoint as the control plane keeps it; callers see {@link VpcEndpoint}s. */
    static final class Endpoint {
        final String id;
        final String owner;
        final Principal requester;
        final String vpcId;
        final String serviceId;
        final String serviceName;
        final String dnsSuffix;
        final Map<String, String> tags;
        /** When each tag key was first set: the stable order DescribeTags pages in. */
        final Map<String, Long> tagSeq = new HashMap<>();
        final Instant created;
        final long seq;
        List<DnsEntry> dns;
        List<EndpointInterface> interfaces;
        List<String> groups;
        EndpointState state;
        boolean privateDnsEnabled;

        Endpoint(String id, String owner, Principal requester, String vpcId, String serviceId, String serviceName,
                 List<EndpointInterface> interfaces, List<DnsEntry> dns, String dnsSuffix, Map<String, String> tags,
                 List<String> groups, Instant created, long seq) {
            this.id = id;
            this.owner = owner;
            this.requester = requester;
            this.vpcId = vpcId;
            this.serviceId = serviceId;
            this.serviceName = serviceName;
            this.interfaces = List.copyOf(interfaces);
            this.dns = List.copyOf(dns);
            this.dnsSuffix = dnsSuffix;
            this.tags = new LinkedHashMap<>(tags);
            this.groups = List.copyOf(groups);
            this.created = created;
            this.seq = seq;
        }
    }
}
