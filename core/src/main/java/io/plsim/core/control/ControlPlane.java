package io.plsim.core.control;

import static io.plsim.core.control.RequestChecks.checkCreateEndpoint;
import static io.plsim.core.control.RequestChecks.checkCreateService;
import static io.plsim.core.control.RequestChecks.checkEndpointIdSyntax;
import static io.plsim.core.control.RequestChecks.checkGroupIdSyntax;
import static io.plsim.core.control.RequestChecks.checkModifyService;
import static io.plsim.core.control.RequestChecks.checkNotificationIdSyntax;
import static io.plsim.core.control.RequestChecks.checkNotificationTarget;
import static io.plsim.core.control.RequestChecks.checkServiceIdSyntax;
import static io.plsim.core.control.RequestChecks.checkTaggable;
import static io.plsim.core.control.RequestChecks.checkTags;
import static io.plsim.core.control.RequestChecks.checkTopic;
import static io.plsim.core.control.RequestChecks.invalidParameter;
import static io.plsim.core.control.RequestChecks.loadBalancerRegion;
import static io.plsim.core.control.RequestChecks.parseEvents;
import static io.plsim.core.control.RequestChecks.parsePrincipals;
import static io.plsim.core.control.RequestChecks.requireNonEmpty;

import io.plsim.core.model.Account;
import io.plsim.core.model.Ipv4;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Principal;
import io.plsim.core.model.SecurityGroup;
import io.plsim.core.model.Simulation;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Topology;
import io.plsim.core.model.Vpc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The control plane of endpoint services, following the AWS PrivateLink user guide rule for rule.
 * Every caller goes through it: the EC2 API, the command line, sim-config loading and the data
 * plane.
 *
 * <p>Thread-safe: every operation runs under one lock, so each change is atomic and every
 * {@link ControlPlaneListener} sees changes in the order they happened, before the operation that
 * made them returns. Reads answer with immutable snapshots.
 *
 * <p>Errors are {@link ControlPlaneException}s carrying the EC2 error code AWS would answer.
 * Batch operations (accept, reject, delete) answer per item instead, as AWS does.
 */
public final class ControlPlane {

    private final Topology topology;
    private final Clock clock;
    /** The most deleted endpoints still described, whatever their retention. */
    static final int MAX_DELETED_KEPT = 10_000;
    /** Deleted endpoints, in the order they were deleted, with when: forgotten after {@link #deletedRetention}. */
    private final Map<String, Instant> deletedAt = new LinkedHashMap<>();
    private volatile Duration deletedRetention = Simulation.DEFAULT_DELETED_RETENTION;
    private final IdSource ids;
    private final Object lock = new Object();
    private final List<ControlPlaneListener> listeners = new CopyOnWriteArrayList<>();

    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, Notification> notifications = new LinkedHashMap<>();
    private final AddressPool addresses;
    private final Snapshots snapshots;
    /** The sequence number of every network interface that exists, by ID: the order they are described in. */
    private final Map<String, Long> interfaceSeq = new HashMap<>();
    private long sequence;

    public ControlPlane(Topology topology) {
        this(topology, Clock.systemUTC(), 0x5eedL);
    }

    /**
     * @param seed seeds every generated ID and DNS name, so that the same operations in the same
     *             order give the same IDs
     */
    public ControlPlane(Topology topology, Clock clock, long seed) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = new IdSource(seed);
        this.addresses = new AddressPool(topology);
        this.snapshots = new Snapshots(topology);
    }

    public Topology topology() {
        return topology;
    }

    public void addListener(ControlPlaneListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(ControlPlaneListener listener) {
        listeners.remove(listener);
    }

    // ---------------------------------------------------------------- service configurations

    public ServiceConfiguration createServiceConfiguration(Caller caller, CreateServiceRequest request) {
        synchronized (lock) {
            checkCaller(caller);
            checkCreateService(request);
            List<String> arns = new ArrayList<>(new LinkedHashSet<>(request.networkLoadBalancerArns()));
            for (String arn : arns) {
                checkAssociable(caller, arn, null);
            }
            String id = uniqueId("vpce-svc-", services.keySet());
            Service s = new Service(id, "com.amazonaws.vpce." + topology.region() + "." + id, caller.accountId(),
                    request.acceptanceRequired() == null || request.acceptanceRequired(), clock.instant(), ++sequence);
            s.loadBalancers.addAll(arns);
            services.put(id, s);
            ServiceConfiguration snapshot = snapshots.service(s);
            publish(new ControlEvent.ServiceChanged(snapshot));
            return snapshot;
        }
    }

    public Page<ServiceConfiguration> describeServiceConfigurations(Caller caller, List<String> serviceIds,
                                                                    List<Filter> filters, PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            Predicate<Service> matching = new FilterTable<Service>()
                    .on("service-id", s -> s.id)
                    .on("service-name", s -> s.name)
                    .on("service-state", s -> s.state.wire())
                    .constant("service-type", ServiceConfiguration.SERVICE_TYPE)
                    .constant("supported-ip-address-types", "ipv4")
                    .tags(s -> Map.of())
                    .matcher(filters);
            for (String id : serviceIds) {
                checkServiceIdSyntax(id);
                ownedService(caller, id);
            }
            List<Service> selected = services.values().stream()
                    .filter(s -> s.owner.equals(caller.accountId()) && inRegion(caller))
                    .filter(s -> serviceIds.isEmpty() || serviceIds.contains(s.id))
                    .filter(matching)
                    .toList();
            return Paging.page("services", selected, s -> s.seq, page).map(snapshots::service);
        }
    }

    public ServiceConfiguration modifyServiceConfiguration(Caller caller, ModifyServiceRequest request) {
        synchronized (lock) {
            checkCaller(caller);
            Service s = ownedService(caller, request.serviceId());
            checkModifyService(request);
            Set<String> add = new LinkedHashSet<>(request.addNetworkLoadBalancerArns());
            Set<String> remove = new LinkedHashSet<>(request.removeNetworkLoadBalancerArns());
            for (String arn : add) {
                if (remove.contains(arn)) {
                    throw invalidParameter("Load balancer " + arn + " is both added and removed");
                }
                checkAssociable(caller, arn, s);
            }
            for (String arn : remove) {
                if (!s.loadBalancers.contains(arn)) {
                    throw invalidParameter("Load balancer " + arn + " is not associated with " + s.id);
                }
            }
            if (!remove.isEmpty()) {
                List<String> attached = attachedEndpoints(s).stream().map(e -> e.id).toList();
                if (!attached.isEmpty()) {
                    throw invalidParameter("Cannot disassociate a load balancer from " + s.id
                            + " while interface endpoints are attached: " + String.join(", ", attached));
                }
                Set<String> remaining = new LinkedHashSet<>(s.loadBalancers);
                remaining.removeAll(remove);
                remaining.addAll(add);
                if (remaining.isEmpty()) {
                    throw invalidParameter("An endpoint service must keep at least one Network Load Balancer");
                }
            }
            s.loadBalancers.removeAll(remove);
            s.loadBalancers.addAll(add);
            if (request.acceptanceRequired() != null) {
                s.acceptanceRequired = request.acceptanceRequired();
            }
            ServiceConfiguration snapshot = snapshots.service(s);
            publish(new ControlEvent.ServiceChanged(snapshot));
            return snapshot;
        }
    }

    /**
     * Deletes service configurations; refused, per item, for a service with endpoints
     * {@code available} or {@code pendingAcceptance}, which the owner must reject first.
     */
    public List<Unsuccessful> deleteServiceConfigurations(Caller caller, List<String> serviceIds) {
        synchronized (lock) {
            checkCaller(caller);
            requireNonEmpty(serviceIds, "ServiceId");
            List<Unsuccessful> failed = new ArrayList<>();
            for (String id : serviceIds) {
                Service s = services.get(id);
                if (s == null || !s.owner.equals(caller.accountId()) || !inRegion(caller)) {
                    failed.add(new Unsuccessful(id, "InvalidVpcEndpointService.NotFound",
                            "The VpcEndpointService Id '" + id + "' does not exist"));
                    continue;
                }
                List<String> blocking = endpoints.values().stream()
                        .filter(e -> e.serviceId.equals(id) && (e.state == EndpointState.AVAILABLE
                                || e.state == EndpointState.PENDING_ACCEPTANCE || e.state == EndpointState.PENDING))
                        .map(e -> e.id).toList();
                if (!blocking.isEmpty()) {
                    failed.add(new Unsuccessful(id, "ExistingVpcEndpointConnections",
                            "Service " + id + " has existing active VPC endpoint connections: "
                                    + String.join(", ", blocking) + "; reject them first"));
                    continue;
                }
                services.remove(id);
                List<Notification> orphans = notifications.values().stream()
                        .filter(n -> id.equals(n.serviceId)).toList();
                orphans.forEach(n -> notifications.remove(n.id));
                s.state = ServiceState.DELETED;
                publish(new ControlEvent.ServiceDeleted(snapshots.service(s)));
                orphans.forEach(n -> publish(new ControlEvent.NotificationDeleted(n.snapshot())));
            }
            return failed;
        }
    }

    // ---------------------------------------------------------------- permissions

    /**
     * Adds and removes allowed principals. Removing a principal leaves endpoints it already
     * created connected, as in AWS.
     */
    public void modifyServicePermissions(Caller caller, String serviceId, List<String> add, List<String> remove) {
        synchronized (lock) {
            checkCaller(caller);
            Service s = ownedService(caller, serviceId);
            List<Principal> toAdd = parsePrincipals(add);
            List<Principal> toRemove = parsePrincipals(remove);
            Set<Principal> after = new LinkedHashSet<>(s.allowed);
            after.addAll(toAdd);
            toRemove.forEach(after::remove);
            if (after.size() > RequestChecks.MAX_ALLOWED_PRINCIPALS) {
                throw new ControlPlaneException("InvalidParameterValue", "A service allows at most "
                        + RequestChecks.MAX_ALLOWED_PRINCIPALS + " principals in plsim; this change would make "
                        + after.size());
            }
            s.allowed.addAll(toAdd);
            toRemove.forEach(s.allowed::remove);
            publish(new ControlEvent.PermissionsChanged(s.id,
                    s.allowed.stream().map(p -> new AllowedPrincipal(s.id, p)).toList()));
        }
    }

    public Page<AllowedPrincipal> describeServicePermissions(Caller caller, String serviceId, List<Filter> filters,
                                                             PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            Service s = ownedService(caller, serviceId);
            Predicate<AllowedPrincipal> matching = new FilterTable<AllowedPrincipal>()
                    .on("principal", p -> p.principal().arn())
                    .on("principal-type", AllowedPrincipal::principalType)
                    .matcher(filters);
            List<AllowedPrincipal> all = s.allowed.stream().map(p -> new AllowedPrincipal(s.id, p))
                    .filter(matching)
                    .toList();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                order.add(i);
            }
            return Paging.page("permissions:" + s.id, order, i -> i, page).map(all::get);
        }
    }

    // ---------------------------------------------------------------- consumers

    /** The zones of the caller's account, named as that account names them. */
    public List<AvailabilityZone> describeAvailabilityZones(Caller caller) {
        Account a = checkCaller(caller);
        return a.zones().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new AvailabilityZone(e.getKey(), e.getValue(), topology.region())).toList();
    }

    /**
     * The services the caller may see: its own and those it is allowed on. Zones are named as
     * the caller's account names them.
     *
     * @param serviceNames empty for all visible services; a name that is not visible fails the
     *                     call with {@code InvalidServiceName}
     */
    public Page<ServiceDetail> describeServices(Caller caller, List<String> serviceNames, List<Filter> filters,
                                                PageRequest page) {
        synchronized (lock) {
            Account account = checkCaller(caller);
            Predicate<Service> matching = new FilterTable<Service>()
                    .on("service-name", s -> s.name)
                    .constant("service-region", topology.region())
                    .constant("service-type", ServiceConfiguration.SERVICE_TYPE)
                    .constant("supported-ip-address-types", "ipv4")
                    .on("owner", s -> s.owner)
                    .tags(s -> Map.of())
                    .matcher(filters);
            for (String name : serviceNames) {
                visibleServiceByName(caller, name);
            }
            List<Service> selected = services.values().stream()
                    .filter(s -> inRegion(caller) && visible(s, caller.principal()))
                    .filter(s -> serviceNames.isEmpty() || serviceNames.contains(s.name))
                    .filter(matching)
                    .toList();
            return Paging.page("service-details", selected, s -> s.seq, page).map(s -> snapshots.detail(s, account));
        }
    }

    public VpcEndpoint createVpcEndpoint(Caller caller, CreateEndpointRequest request) {
        synchronized (lock) {
            Account account = checkCaller(caller);
            checkTags(request.tags(), Set.of());
            checkCreateEndpoint(request);
            Vpc vpc = topology.vpcs().get(request.vpcId());
            if (vpc == null || !vpc.accountId().equals(caller.accountId())) {
                throw new ControlPlaneException("InvalidVpcId.NotFound",
                        "The vpc ID '" + request.vpcId() + "' does not exist");
            }
            Service service = visibleServiceByName(caller, request.serviceName());
            requireNonEmpty(request.subnetIds(), "SubnetId");
            Map<String, Subnet> byZone = new LinkedHashMap<>();
            for (String subnetId : new LinkedHashSet<>(request.subnetIds())) {
                checkEndpointSubnet(account, vpc, service, byZone, subnetId);
            }
            List<String> groups = request.securityGroupIds().isEmpty()
                    ? List.of(topology.defaultGroup(vpc.id()).orElseThrow().id())
                    : checkGroups(vpc, request.securityGroupIds(), "SecurityGroupId");
            addresses.checkFree(byZone.values());
            String id = uniqueId("vpce-", endpoints.keySet());
            List<EndpointInterface> enis = openInterfaces(service, id, byZone.values());
            String suffix = ids.dnsSuffix();
            Endpoint e = new Endpoint(id, caller.accountId(), caller.principal(), vpc.id(), service.id, service.name,
                    enis, List.of(), suffix, request.tags(), groups, clock.instant(), ++sequence);
            e.dns = dnsEntries(e);
            request.tags().keySet().forEach(k -> e.tagSeq.put(k, ++sequence));
            e.state = service.acceptanceRequired ? EndpointState.PENDING_ACCEPTANCE : EndpointState.AVAILABLE;
            endpoints.put(id, e);
            publish(new ControlEvent.EndpointChanged(snapshots.endpoint(e), null));
            notify(e, ConnectionEvent.CONNECT);
            if (e.state == EndpointState.AVAILABLE) {
                notify(e, ConnectionEvent.ACCEPT);
            }
            return snapshots.endpoint(e);
        }
    }

    public Page<VpcEndpoint> describeVpcEndpoints(Caller caller, List<String> endpointIds, List<Filter> filters,
                                                  PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            Predicate<Endpoint> matching = new FilterTable<Endpoint>()
                    .on("service-name", e -> e.serviceName)
                    .constant("service-region", topology.region())
                    .constant("ip-address-type", "ipv4")
                    .on("vpc-id", e -> e.vpcId)
                    .on("vpc-endpoint-id", e -> e.id)
                    .on("vpc-endpoint-state", e -> e.state.wire())
                    .constant("vpc-endpoint-type", VpcEndpoint.ENDPOINT_TYPE)
                    .tags(e -> e.tags)
                    .matcher(filters);
            for (String id : endpointIds) {
                ownedEndpoint(caller, id);
            }
            List<Endpoint> selected = endpoints.values().stream()
                    .filter(e -> e.owner.equals(caller.accountId()) && inRegion(caller))
                    .filter(e -> endpointIds.isEmpty() || endpointIds.contains(e.id))
                    .filter(matching)
                    .toList();
            return Paging.page("endpoints", selected, e -> e.seq, page).map(snapshots::endpoint);
        }
    }

    /**
     * Deletes the caller's endpoints: each goes {@code deleting} then {@code deleted}, its network
     * interfaces are released, and Delete notifications fire. Unknown IDs fail per item.
     */
    public List<Unsuccessful> deleteVpcEndpoints(Caller caller, List<String> endpointIds) {
        synchronized (lock) {
            checkCaller(caller);
            requireNonEmpty(endpointIds, "VpcEndpointId");
            List<Unsuccessful> failed = new ArrayList<>();
            for (String id : endpointIds) {
                Endpoint e = endpoints.get(id);
                if (e == null || !e.owner.equals(caller.accountId()) || !inRegion(caller)
                        || e.state == EndpointState.DELETED) {
                    failed.add(new Unsuccessful(id, "InvalidVpcEndpointId.NotFound",
                            "The VpcEndpoint Id '" + id + "' does not exist"));
                    continue;
                }
                transition(e, EndpointState.DELETING);
                e.interfaces.forEach(this::releaseInterface);
                e.interfaces = List.of();
                transition(e, EndpointState.DELETED);
                deletedAt.put(e.id, clock.instant());
                notify(e, ConnectionEvent.DELETE);
            }
            return failed;
        }
    }

    /** Tags interface endpoints. Endpoint services cannot be tagged, as the user guide says. */
    public void createTags(Caller caller, List<String> resourceIds, Map<String, String> tags) {
        synchronized (lock) {
            checkCaller(caller);
            requireNonEmpty(resourceIds, "ResourceId");
            if (tags.isEmpty()) {
                throw new ControlPlaneException("MissingParameter", "The request must contain the parameter Tag");
            }
            List<Endpoint> targets = new ArrayList<>();
            for (String id : resourceIds) {
                checkTaggable(id);
                targets.add(ownedEndpoint(caller, id));
            }
            for (Endpoint e : targets) {
                checkTags(tags, e.tags.keySet());
            }
            for (Endpoint e : targets) {
                e.tags.putAll(tags);
                tags.keySet().forEach(k -> e.tagSeq.computeIfAbsent(k, x -> ++sequence));
                publish(new ControlEvent.EndpointTagged(snapshots.endpoint(e)));
            }
        }
    }

    /**
     * Deletes tags of interface endpoints, as EC2 does: a tag given with a value is deleted only
     * when its value is that one (an empty value matches an empty one); a tag given without a value
     * is deleted whatever its value; no tags at all deletes every tag of the resources.
     *
     * @param tags keys mapped to the value to match, or to null for any value
     */
    public void deleteTags(Caller caller, List<String> resourceIds, Map<String, String> tags) {
        synchronized (lock) {
            checkCaller(caller);
            requireNonEmpty(resourceIds, "ResourceId");
            List<Endpoint> targets = new ArrayList<>();
            for (String id : resourceIds) {
                checkTaggable(id);
                targets.add(ownedEndpoint(caller, id));
            }
            for (Endpoint e : targets) {
                boolean changed = false;
                for (String key : tags.isEmpty() ? List.copyOf(e.tags.keySet()) : List.copyOf(tags.keySet())) {
                    String wanted = tags.get(key);
                    if (e.tags.containsKey(key) && (wanted == null || wanted.equals(e.tags.get(key)))) {
                        e.tags.remove(key);
                        e.tagSeq.remove(key);
                        changed = true;
                    }
                }
                if (changed) {
                    publish(new ControlEvent.EndpointTagged(snapshots.endpoint(e)));
                }
            }
        }
    }

    /** The tags of the caller's endpoints that are not deleted, one item per tag. */
    public Page<TagDescription> describeTags(Caller caller, List<Filter> filters, PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            record Tagged(TagDescription tag, long seq) {
            }
            Predicate<Tagged> matching = new FilterTable<Tagged>()
                    .on("key", t -> t.tag().key())
                    .on("value", t -> t.tag().value())
                    .on("resource-id", t -> t.tag().resourceId())
                    .on("resource-type", t -> t.tag().resourceType())
                    // tag:<key> here picks the tags themselves: key <key> with a matching value.
                    .tagsOnly(t -> Map.of(t.tag().key(), t.tag().value()))
                    .matcher(filters);
            List<Tagged> all = new ArrayList<>();
            for (Endpoint e : endpoints.values()) {
                if (!e.owner.equals(caller.accountId()) || !inRegion(caller) || e.state == EndpointState.DELETED) {
                    continue;
                }
                e.tags.forEach((k, v) -> all.add(new Tagged(new TagDescription(e.id, "vpc-endpoint", k, v),
                        e.tagSeq.get(k))));
            }
            return Paging.page("tags", all.stream().filter(matching).toList(), Tagged::seq, page)
                    .map(Tagged::tag);
        }
    }

    /**
     * Adds and removes subnets and security groups of an interface endpoint, with the checks of
     * CreateVpcEndpoint: a subnet of the endpoint's VPC, one per zone, in a zone the service offers;
     * groups of the endpoint's VPC. An added subnet gets a network interface and a zonal DNS name
     * at once; a removed one loses both, and a data plane resets its open connections. Nothing is
     * changed when any check fails.
     */
    public VpcEndpoint modifyVpcEndpoint(Caller caller, ModifyEndpointRequest request) {
        synchronized (lock) {
            Account account = checkCaller(caller);
            if (request.vpcEndpointId() == null) {
                throw new ControlPlaneException("MissingParameter", "The request must contain the parameter VpcEndpointId");
            }
            Endpoint e = ownedEndpoint(caller, request.vpcEndpointId());
            if (e.state == EndpointState.DELETED || e.state == EndpointState.DELETING) {
                throw new ControlPlaneException("InvalidVpcEndpointId.NotFound",
                        "The VpcEndpoint Id '" + e.id + "' does not exist");
            }
            checkCreateEndpoint(new CreateEndpointRequest(e.vpcId, e.serviceName, List.of(), null,
                    request.privateDnsEnabled(), request.ipAddressType(), null));
            if (request.policyDocument() != null) {
                throw invalidParameter("The service " + e.serviceName + " does not support VPC endpoint policies;"
                        + " an endpoint of an endpoint service keeps the full-access policy");
            }
            Vpc vpc = topology.vpcs().get(e.vpcId);
            Set<String> addSubnets = new LinkedHashSet<>(request.addSubnetIds());
            Set<String> removeSubnets = new LinkedHashSet<>(request.removeSubnetIds());
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
            Service service = services.get(e.serviceId);
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
            VpcEndpoint snapshot = snapshots.endpoint(e);
            publish(new ControlEvent.EndpointModified(snapshot, opened, closed));
            return snapshot;
        }
    }

    // ---------------------------------------------------------------- VPCs, subnets, groups, interfaces

    /** The caller's VPCs; an ID that is not one of them fails the call, as EC2 does. */
    public Page<Vpc> describeVpcs(Caller caller, List<String> vpcIds, List<Filter> filters, PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            Predicate<Vpc> matching = new FilterTable<Vpc>()
                    .on("cidr", v -> v.cidr().toString())
                    .on("cidr-block-association.cidr-block", v -> v.cidr().toString())
                    .on("cidr-block-association.association-id", ControlPlane::cidrAssociationId)
                    .constant("cidr-block-association.state", "associated")
                    .constant("dhcp-options-id", "default")
                    .absent("ipv6-cidr-block-association.ipv6-cidr-block", "ipv6-cidr-block-association.ipv6-pool",
                            "ipv6-cidr-block-association.association-id", "ipv6-cidr-block-association.state")
                    .constant("is-default", "false")
                    .on("owner-id", Vpc::accountId)
                    .constant("state", "available")
                    .on("vpc-id", Vpc::id)
                    .tags(v -> Map.of())
                    .matcher(filters);
            List<Vpc> mine = topology.vpcs().values().stream()
                    .filter(v -> v.accountId().equals(caller.accountId()) && inRegion(caller)).toList();
            checkIds(vpcIds, mine.stream().map(Vpc::id).toList(), "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist");
            List<Vpc> selected = mine.stream().filter(v -> vpcIds.isEmpty() || vpcIds.contains(v.id()))
                    .filter(matching).toList();
            return Paging.page("vpcs", selected, v -> mine.indexOf(v), page).map(v -> v);
        }
    }

    /** The association ID of a VPC's one IPv4 CIDR block, derived from the VPC ID. */
    public static String cidrAssociationId(Vpc vpc) {
        return "vpc-cidr-assoc-" + vpc.id().substring("vpc-".length());
    }

    /**
     * The caller's subnets, each with the addresses still free in it: a network interface of an
     * endpoint takes one as it is made and gives it back when its endpoint is deleted or the subnet
     * is removed from it.
     */
    public Page<SubnetDetail> describeSubnets(Caller caller, List<String> subnetIds, List<Filter> filters,
                                              PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            Predicate<SubnetDetail> matching = new FilterTable<SubnetDetail>()
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
                    .tags(d -> Map.of())
                    .matcher(filters);
            List<Subnet> mine = topology.subnets().values().stream()
                    .filter(sn -> sn.accountId().equals(caller.accountId()) && inRegion(caller)).toList();
            checkIds(subnetIds, mine.stream().map(Subnet::id).toList(), "InvalidSubnetID.NotFound",
                    "The subnet ID '%s' does not exist");
            List<SubnetDetail> selected = mine.stream().filter(sn -> subnetIds.isEmpty() || subnetIds.contains(sn.id()))
                    .map(sn -> new SubnetDetail(sn, addresses.available(sn))).filter(matching).toList();
            return Paging.page("subnets", selected, d -> mine.indexOf(d.subnet()), page).map(d -> d);
        }
    }

    public String subnetArn(Subnet subnet) {
        return "arn:aws:ec2:" + topology.region() + ":" + subnet.accountId() + ":subnet/" + subnet.id();
    }

    /**
     * The caller's security groups: every VPC's default group and those the sim-config declares.
     * {@code groupNames} finds groups of a default VPC only, as in EC2; plsim's VPCs are not
     * default VPCs, so a name fails the call and the {@code group-name} filter is the way.
     */
    public Page<SecurityGroup> describeSecurityGroups(Caller caller, List<String> groupIds,
                                                                          List<String> groupNames, List<Filter> filters,
                                                                          PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            Predicate<SecurityGroup> matching =
                    new FilterTable<SecurityGroup>()
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
                            .tags(g -> Map.of())
                            .matcher(filters);
            List<SecurityGroup> mine = topology.securityGroups().values().stream()
                    .filter(g -> g.accountId().equals(caller.accountId()) && inRegion(caller)).toList();
            for (String id : groupIds) {
                checkGroupIdSyntax(id);
            }
            checkIds(groupIds, mine.stream().map(SecurityGroup::id).toList(),
                    "InvalidGroup.NotFound", "The security group '%s' does not exist");
            for (String name : groupNames) {
                throw new ControlPlaneException("InvalidGroup.NotFound", "The security group '" + name
                        + "' does not exist in default VPC: plsim's VPCs are not default VPCs; use the group-name"
                        + " filter to find a group by name");
            }
            List<SecurityGroup> selected = mine.stream()
                    .filter(g -> groupIds.isEmpty() || groupIds.contains(g.id())).filter(matching).toList();
            return Paging.page("security-groups", selected, g -> mine.indexOf(g), page).map(g -> g);
        }
    }

    /** The network interfaces of the caller's endpoints that are not deleted. */
    public Page<NetworkInterface> describeNetworkInterfaces(Caller caller, List<String> interfaceIds,
                                                            List<Filter> filters, PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            Predicate<NetworkInterface> matching = new FilterTable<NetworkInterface>()
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
                    .on("private-dns-name", n -> n.privateDnsName(topology.region()))
                    .on("private-ip-address", NetworkInterface::privateIp)
                    .constant("requester-id", NetworkInterface.REQUESTER_ID)
                    .constant("requester-managed", "true")
                    .constant("source-dest-check", "true")
                    .constant("status", NetworkInterface.STATUS)
                    .on("subnet-id", NetworkInterface::subnetId)
                    .on("vpc-id", NetworkInterface::vpcId)
                    .tags(NetworkInterface::tags)
                    .matcher(filters);
            List<NetworkInterface> mine = new ArrayList<>();
            for (Endpoint e : endpoints.values()) {
                if (e.owner.equals(caller.accountId()) && inRegion(caller) && e.state != EndpointState.DELETED) {
                    for (EndpointInterface i : e.interfaces) {
                        mine.add(new NetworkInterface(i.networkInterfaceId(), e.id, e.owner, e.vpcId, i.subnetId(),
                                i.zoneName(), i.zoneId(), i.privateIp(), macAddress(i.networkInterfaceId()),
                                snapshots.groups(e), Map.of()));
                    }
                }
            }
            for (String id : interfaceIds) {
                if (!id.matches("eni-[0-9a-f]{8,17}")) {
                    throw new ControlPlaneException("InvalidNetworkInterfaceId.Malformed",
                            "Invalid id: \"" + id + "\" (expecting \"eni-...\")");
                }
            }
            checkIds(interfaceIds, mine.stream().map(NetworkInterface::networkInterfaceId).toList(),
                    "InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '%s' does not exist");
            List<NetworkInterface> selected = mine.stream()
                    .filter(n -> interfaceIds.isEmpty() || interfaceIds.contains(n.networkInterfaceId()))
                    .filter(matching).toList();
            return Paging.page("network-interfaces", selected, n -> interfaceSeq.get(n.networkInterfaceId()), page)
                    .map(n -> n);
        }
    }

    /** A locally administered unicast MAC address, stable for an interface ID. */
    private static String macAddress(String interfaceId) {
        long h = interfaceId.hashCode() & 0xffffffffL;
        return String.format("0e:%02x:%02x:%02x:%02x:%02x", (h >> 32) & 0xff | 0x10, (h >> 24) & 0xff,
                (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff);
    }

    private static void checkIds(List<String> asked, List<String> known, String code, String message) {
        for (String id : asked) {
            if (!known.contains(id)) {
                throw new ControlPlaneException(code, String.format(message, id));
            }
        }
    }

    // ---------------------------------------------------------------- connections

    public Page<EndpointConnection> describeConnections(Caller caller, List<Filter> filters, PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            Predicate<Endpoint> matching = new FilterTable<Endpoint>()
                    .constant("ip-address-type", "ipv4")
                    .on("service-id", e -> e.serviceId)
                    .on("vpc-endpoint-id", e -> e.id)
                    .on("vpc-endpoint-owner", e -> e.owner)
                    .constant("vpc-endpoint-region", topology.region())
                    .on("vpc-endpoint-state", e -> e.state.wire())
                    .matcher(filters);
            List<Endpoint> selected = endpoints.values().stream()
                    .filter(e -> inRegion(caller))
                    .filter(e -> {
                        Service s = services.get(e.serviceId);
                        return s != null && s.owner.equals(caller.accountId());
                    })
                    .filter(matching)
                    .toList();
            return Paging.page("connections", selected, e -> e.seq, page).map(snapshots::connection);
        }
    }

    /** Accepts endpoints in {@code pendingAcceptance}; they become {@code available}. */
    public List<Unsuccessful> acceptConnections(Caller caller, String serviceId, List<String> endpointIds) {
        return decide(caller, serviceId, endpointIds, EnumSet.of(EndpointState.PENDING_ACCEPTANCE),
                EndpointState.AVAILABLE, ConnectionEvent.ACCEPT);
    }

    /**
     * Rejects endpoints in {@code pendingAcceptance} or {@code available}. A data plane listening to
     * this control plane cuts the open connections of a rejected endpoint.
     */
    public List<Unsuccessful> rejectConnections(Caller caller, String serviceId, List<String> endpointIds) {
        return decide(caller, serviceId, endpointIds,
                EnumSet.of(EndpointState.PENDING_ACCEPTANCE, EndpointState.PENDING, EndpointState.AVAILABLE),
                EndpointState.REJECTED, ConnectionEvent.REJECT);
    }

    private List<Unsuccessful> decide(Caller caller, String serviceId, List<String> endpointIds,
                                      Set<EndpointState> from, EndpointState to, ConnectionEvent event) {
        synchronized (lock) {
            checkCaller(caller);
            Service s = ownedService(caller, serviceId);
            requireNonEmpty(endpointIds, "VpcEndpointId");
            List<Unsuccessful> failed = new ArrayList<>();
            for (String id : endpointIds) {
                Endpoint e = endpoints.get(id);
                if (e == null || !e.serviceId.equals(s.id) || e.state == EndpointState.DELETED) {
                    failed.add(new Unsuccessful(id, "InvalidVpcEndpointId.NotFound",
                            "The VpcEndpoint Id '" + id + "' does not exist for service " + s.id));
                } else if (!from.contains(e.state)) {
                    failed.add(new Unsuccessful(id, "InvalidVpcEndpointState",
                            "Endpoint " + id + " is " + e.state.wire() + "; only "
                                    + String.join(" or ", from.stream().map(EndpointState::wire).toList())
                                    + " endpoints can be " + (to == EndpointState.AVAILABLE ? "accepted" : "rejected")));
                } else {
                    transition(e, to);
                    notify(e, event);
                }
            }
            return failed;
        }
    }

    // ---------------------------------------------------------------- notifications

    /**
     * Creates a notification on a service the caller owns, or on an endpoint the caller owns:
     * exactly one of {@code serviceId} and {@code endpointId}.
     */
    public ConnectionNotification createConnectionNotification(Caller caller, String serviceId, String endpointId,
                                                               String topicArn, Collection<String> events) {
        synchronized (lock) {
            checkCaller(caller);
            checkNotificationTarget(serviceId, endpointId);
            if (serviceId != null) {
                ownedService(caller, serviceId);
            } else {
                Endpoint e = ownedEndpoint(caller, endpointId);
                if (e.state == EndpointState.DELETED) {
                    throw new ControlPlaneException("InvalidVpcEndpointId.NotFound",
                            "The VpcEndpoint Id '" + endpointId + "' does not exist");
                }
            }
            String topic = checkTopic(topicArn);
            Set<ConnectionEvent> parsed = parseEvents(events);
            String id = uniqueId("vpce-nfn-", notifications.keySet());
            Notification n = new Notification(id, caller.accountId(), serviceId, endpointId, topic, parsed, ++sequence);
            notifications.put(id, n);
            publish(new ControlEvent.NotificationChanged(n.snapshot()));
            return n.snapshot();
        }
    }

    public Page<ConnectionNotification> describeConnectionNotifications(Caller caller, String notificationId,
                                                                        List<Filter> filters, PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            Predicate<Notification> matching = new FilterTable<Notification>()
                    .on("connection-notification-arn", n -> n.topicArn)
                    .on("connection-notification-id", n -> n.id)
                    .constant("connection-notification-state", ConnectionNotification.STATE)
                    .constant("connection-notification-type", ConnectionNotification.TYPE)
                    .on("service-id", n -> n.serviceId)
                    .on("vpc-endpoint-id", n -> n.endpointId)
                    .matcher(filters);
            if (notificationId != null) {
                ownedNotification(caller, notificationId);
            }
            List<Notification> selected = notifications.values().stream()
                    .filter(n -> n.owner.equals(caller.accountId()) && inRegion(caller))
                    .filter(n -> notificationId == null || n.id.equals(notificationId))
                    .filter(matching)
                    .toList();
            return Paging.page("notifications", selected, n -> n.seq, page).map(Notification::snapshot);
        }
    }

    /** Changes the topic, the events, or both; null leaves a field as it is. */
    public ConnectionNotification modifyConnectionNotification(Caller caller, String notificationId, String topicArn,
                                                               Collection<String> events) {
        synchronized (lock) {
            checkCaller(caller);
            Notification n = ownedNotification(caller, notificationId);
            String topic = topicArn == null ? n.topicArn : checkTopic(topicArn);
            Set<ConnectionEvent> parsed = events == null ? n.events : parseEvents(events);
            n.topicArn = topic;
            n.events = parsed;
            publish(new ControlEvent.NotificationChanged(n.snapshot()));
            return n.snapshot();
        }
    }

    public List<Unsuccessful> deleteConnectionNotifications(Caller caller, List<String> notificationIds) {
        synchronized (lock) {
            checkCaller(caller);
            requireNonEmpty(notificationIds, "ConnectionNotificationId");
            List<Unsuccessful> failed = new ArrayList<>();
            for (String id : notificationIds) {
                Notification n = notifications.get(id);
                if (n == null || !n.owner.equals(caller.accountId()) || !inRegion(caller)) {
                    failed.add(new Unsuccessful(id, "InvalidConnectionNotification",
                            "The connection notification '" + id + "' does not exist"));
                } else {
                    notifications.remove(id);
                    publish(new ControlEvent.NotificationDeleted(n.snapshot()));
                }
            }
            return failed;
        }
    }

    // ---------------------------------------------------------------- read access for the data plane

    /** Every endpoint, deleted ones included, in creation order. */
    public List<VpcEndpoint> endpoints() {
        synchronized (lock) {
            forgetDeleted();
            return endpoints.values().stream().map(snapshots::endpoint).toList();
        }
    }

    /** Every service configuration, in creation order, regardless of owner. */
    public List<ServiceConfiguration> services() {
        synchronized (lock) {
            return services.values().stream().map(snapshots::service).toList();
        }
    }

    /** Allowed principals of a service, regardless of caller; empty for an unknown service. */
    public List<AllowedPrincipal> permissions(String serviceId) {
        synchronized (lock) {
            Service s = services.get(serviceId);
            return s == null ? List.of() : s.allowed.stream().map(p -> new AllowedPrincipal(s.id, p)).toList();
        }
    }

    /** Every connection notification, regardless of owner. */
    public List<ConnectionNotification> notifications() {
        synchronized (lock) {
            return notifications.values().stream().map(Notification::snapshot).toList();
        }
    }

    // ---------------------------------------------------------------- rules

    private Account checkCaller(Caller caller) {
        Objects.requireNonNull(caller, "caller");
        forgetDeleted();
        Account a = topology.account(caller.accountId()).orElseThrow(() -> new ControlPlaneException("AuthFailure",
                "Account " + caller.accountId() + " is not part of this world"));
        if (!a.has(caller.principal())) {
            throw new ControlPlaneException("AuthFailure", caller.principal().arn() + " does not exist");
        }
        return a;
    }

    /**
     * How long a deleted endpoint is still described, as {@code deleted}, before the world forgets
     * it (zero: at once, at the next call): what a long run of create and delete keeps is bounded.
     */
    public void retainDeleted(Duration retention) {
        this.deletedRetention = Objects.requireNonNull(retention, "retention");
    }

    /**
     * Forgets the deleted endpoints whose retention has passed, and the connection notifications
     * that named them. Takes the lock itself: some callers (a describe of zones) hold none.
     */
    private void forgetDeleted() {
        synchronized (lock) {
            if (deletedAt.isEmpty()) {
                return;
            }
            Instant horizon = clock.instant().minus(deletedRetention);
            var it = deletedAt.entrySet().iterator();
            while (it.hasNext()) {
                var d = it.next();
                // By time, and by count: at most MAX_DELETED_KEPT, however fast they are deleted.
                if (d.getValue().isAfter(horizon) && deletedAt.size() <= MAX_DELETED_KEPT) {
                    break;
                }
                endpoints.remove(d.getKey());
                forgetNotificationsOf(d.getKey());
                it.remove();
            }
        }
    }

    /** An endpoint forgotten: a notification that named it can never fire again, and goes with it. */
    private void forgetNotificationsOf(String endpointId) {
        notifications.values().removeIf(n -> endpointId.equals(n.endpointId));
    }

    private boolean inRegion(Caller caller) {
        return topology.region().equals(caller.region());
    }

    private void checkAssociable(Caller caller, String arn, Service modifying) {
        if (!loadBalancerRegion(arn).equals(caller.region()) || !caller.region().equals(topology.region())) {
            throw invalidParameter("Load balancer " + arn + " is not in region " + caller.region()
                    + "; endpoint services use load balancers of their own region only");
        }
        LoadBalancer lb = topology.loadBalancer(arn).orElse(null);
        if (lb == null || !lb.accountId().equals(caller.accountId())) {
            throw invalidParameter("Load balancer " + arn + " does not exist in account " + caller.accountId());
        }
        if (!lb.isNetwork()) {
            throw invalidParameter("Load balancer " + arn + " is not a Network Load Balancer (type " + lb.type() + ")");
        }
        for (Service other : services.values()) {
            if (other != modifying && other.loadBalancers.contains(arn)) {
                throw invalidParameter("Load balancer " + arn + " is already associated with service " + other.id);
            }
        }
    }

    private static boolean visible(Service s, Principal p) {
        if (s.owner.equals(p.accountId())) {
            return true;
        }
        for (Principal allowed : s.allowed) {
            if (allowed.kind() == Principal.Kind.ALL || allowed.equals(p)
                    || (allowed.kind() == Principal.Kind.ACCOUNT && allowed.accountId().equals(p.accountId()))) {
                return true;
            }
        }
        return false;
    }

    /** A service the caller may connect to, or {@code InvalidServiceName} as if it did not exist. */
    private Service visibleServiceByName(Caller caller, String name) {
        for (Service s : services.values()) {
            if (s.name.equals(name) && inRegion(caller) && visible(s, caller.principal())) {
                return s;
            }
        }
        throw new ControlPlaneException("InvalidServiceName", "The Vpc Endpoint Service '" + name + "' does not exist");
    }

    private Service ownedService(Caller caller, String id) {
        if (id == null) {
            throw new ControlPlaneException("MissingParameter", "The request must contain the parameter ServiceId");
        }
        checkServiceIdSyntax(id);
        Service s = services.get(id);
        if (s == null || !s.owner.equals(caller.accountId()) || !inRegion(caller)) {
            throw new ControlPlaneException("InvalidVpcEndpointServiceId.NotFound",
                    "The VpcEndpointService Id '" + id + "' does not exist");
        }
        return s;
    }

    private Endpoint ownedEndpoint(Caller caller, String id) {
        checkEndpointIdSyntax(id);
        Endpoint e = endpoints.get(id);
        if (e == null || !e.owner.equals(caller.accountId()) || !inRegion(caller)) {
            throw new ControlPlaneException("InvalidVpcEndpointId.NotFound",
                    "The VpcEndpoint Id '" + id + "' does not exist");
        }
        return e;
    }

    private Notification ownedNotification(Caller caller, String id) {
        if (id == null) {
            throw new ControlPlaneException("MissingParameter",
                    "The request must contain the parameter ConnectionNotificationId");
        }
        checkNotificationIdSyntax(id);
        Notification n = notifications.get(id);
        if (n == null || !n.owner.equals(caller.accountId()) || !inRegion(caller)) {
            throw new ControlPlaneException("InvalidConnectionNotification",
                    "The connection notification '" + id + "' does not exist");
        }
        return n;
    }

    private List<Endpoint> attachedEndpoints(Service s) {
        return endpoints.values().stream().filter(e -> e.serviceId.equals(s.id) && e.state.isAttached()).toList();
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
            throw new ControlPlaneException("InvalidSubnetId.NotFound",
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
                EndpointInterface eni = new EndpointInterface(uniqueId("eni-", interfaceSeq.keySet()), subnet.id(),
                        subnet.zoneName(), subnet.zoneId(), Ipv4.format(ip),
                        bindLoadBalancer(service, endpointId, subnet.zoneId()));
                enis.add(eni);
                interfaceSeq.put(eni.networkInterfaceId(), ++sequence);
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
        interfaceSeq.remove(i.networkInterfaceId());
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

    /** At most this many security groups on a network interface, EC2's default quota. */
    private static final int GROUPS_PER_INTERFACE = 5;

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

    private String uniqueId(String prefix, Set<String> taken) {
        String id;
        do {
            id = ids.id(prefix);
        } while (taken.contains(id));
        return id;
    }


    // ---------------------------------------------------------------- events

    private void transition(Endpoint e, EndpointState to) {
        EndpointState from = e.state;
        e.state = to;
        publish(new ControlEvent.EndpointChanged(snapshots.endpoint(e), from));
    }

    private void notify(Endpoint e, ConnectionEvent event) {
        Instant now = clock.instant();
        VpcEndpoint snapshot = null;
        for (Notification n : notifications.values()) {
            boolean matches = e.serviceId.equals(n.serviceId) || e.id.equals(n.endpointId);
            if (matches && n.events.contains(event)) {
                if (snapshot == null) {
                    snapshot = snapshots.endpoint(e);
                }
                publish(new ControlEvent.Notified(n.snapshot(), event, snapshot, now));
            }
        }
    }

    private void publish(ControlEvent event) {
        for (ControlPlaneListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable ex) {
                // One faulty listener must not undo a change that has happened, nor starve the others;
                // an Error such as a failed assert in a listener is that listener's fault too.
                System.getLogger(ControlPlane.class.getName()).log(System.Logger.Level.WARNING,
                        "listener " + l + " failed on " + event.getClass().getSimpleName() + ": " + ex);
            }
        }
    }

    static final class Service {
        final String id;
        final String name;
        final String owner;
        final Instant created;
        final long seq;
        final Set<String> loadBalancers = new LinkedHashSet<>();
        final Set<Principal> allowed = new LinkedHashSet<>();
        boolean acceptanceRequired;
        ServiceState state = ServiceState.AVAILABLE;

        Service(String id, String name, String owner, boolean acceptanceRequired, Instant created, long seq) {
            this.id = id;
            this.name = name;
            this.owner = owner;
            this.acceptanceRequired = acceptanceRequired;
            this.created = created;
            this.seq = seq;
        }

        /** Zone IDs where the service's load balancers have nodes, mapped to the owner's zone names. */
        Map<String, String> offeredZones(Topology topology) {
            Account owner = topology.account(this.owner).orElseThrow();
            Map<String, String> zones = new HashMap<>();
            for (String arn : loadBalancers) {
                for (LoadBalancer.NlbNodeSpec node : topology.loadBalancer(arn).orElseThrow().nodes()) {
                    zones.put(node.zoneId(), owner.zoneName(node.zoneId()).orElse(node.zoneId()));
                }
            }
            return zones;
        }
    }

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

    private static final class Notification {
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
