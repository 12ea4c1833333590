package io.plsim.core.control;

import static io.plsim.core.control.RequestChecks.checkCreateEndpoint;
import static io.plsim.core.control.RequestChecks.checkCreateService;
import static io.plsim.core.control.RequestChecks.checkEndpointIdSyntax;
import static io.plsim.core.control.RequestChecks.checkFilters;
import static io.plsim.core.control.RequestChecks.checkModifyService;
import static io.plsim.core.control.RequestChecks.checkNotificationIdSyntax;
import static io.plsim.core.control.RequestChecks.checkNotificationTarget;
import static io.plsim.core.control.RequestChecks.checkServiceIdSyntax;
import static io.plsim.core.control.RequestChecks.checkTaggable;
import static io.plsim.core.control.RequestChecks.checkTopic;
import static io.plsim.core.control.RequestChecks.invalidParameter;
import static io.plsim.core.control.RequestChecks.loadBalancerRegion;
import static io.plsim.core.control.RequestChecks.parseEvents;
import static io.plsim.core.control.RequestChecks.parsePrincipals;
import static io.plsim.core.control.RequestChecks.requireNonEmpty;

import io.plsim.core.model.Account;
import io.plsim.core.model.Cidr;
import io.plsim.core.model.Ipv4;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Principal;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Topology;
import io.plsim.core.model.Vpc;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;

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

    /** AWS keeps the first four and the last address of every subnet for itself. */
    private static final int RESERVED_AT_START = 4;

    private final Topology topology;
    private final Clock clock;
    private final IdSource ids;
    private final Object lock = new Object();
    private final List<ControlPlaneListener> listeners = new CopyOnWriteArrayList<>();

    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, Notification> notifications = new LinkedHashMap<>();
    private final Set<Integer> usedAddresses = new HashSet<>();
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
        for (LoadBalancer lb : topology.loadBalancers().values()) {
            lb.nodes().forEach(n -> usedAddresses.add(n.ip()));
        }
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
            ServiceConfiguration snapshot = snapshot(s);
            publish(new ControlEvent.ServiceChanged(snapshot));
            return snapshot;
        }
    }

    public Page<ServiceConfiguration> describeServiceConfigurations(Caller caller, List<String> serviceIds,
                                                                    List<Filter> filters, PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            Map<String, BiPredicate<Service, Filter>> known = Map.of(
                    "service-id", (s, f) -> f.matches(s.id),
                    "service-name", (s, f) -> f.matches(s.name),
                    "service-state", (s, f) -> f.matches(s.state.wire()),
                    "service-type", (s, f) -> f.matches(ServiceConfiguration.SERVICE_TYPE));
            checkFilters(filters, known.keySet());
            for (String id : serviceIds) {
                checkServiceIdSyntax(id);
                ownedService(caller, id);
            }
            List<Service> selected = services.values().stream()
                    .filter(s -> s.owner.equals(caller.accountId()) && inRegion(caller))
                    .filter(s -> serviceIds.isEmpty() || serviceIds.contains(s.id))
                    .filter(s -> filters.stream().allMatch(f -> known.get(f.name()).test(s, f)))
                    .toList();
            return Paging.page("services", selected, s -> s.seq, page).map(this::snapshot);
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
            ServiceConfiguration snapshot = snapshot(s);
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
                publish(new ControlEvent.ServiceDeleted(snapshot(s)));
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
            Map<String, BiPredicate<AllowedPrincipal, Filter>> known = Map.of(
                    "principal", (p, f) -> f.matches(p.principal().arn()),
                    "principal-type", (p, f) -> f.matches(p.principalType()));
            checkFilters(filters, known.keySet());
            List<AllowedPrincipal> all = s.allowed.stream().map(p -> new AllowedPrincipal(s.id, p))
                    .filter(p -> filters.stream().allMatch(f -> known.get(f.name()).test(p, f)))
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
            Map<String, BiPredicate<Service, Filter>> known = Map.of(
                    "service-name", (s, f) -> f.matches(s.name),
                    "service-type", (s, f) -> f.matches(ServiceConfiguration.SERVICE_TYPE),
                    "owner", (s, f) -> f.matches(s.owner));
            checkFilters(filters, known.keySet());
            for (String name : serviceNames) {
                visibleServiceByName(caller, name);
            }
            List<Service> selected = services.values().stream()
                    .filter(s -> inRegion(caller) && visible(s, caller.principal()))
                    .filter(s -> serviceNames.isEmpty() || serviceNames.contains(s.name))
                    .filter(s -> filters.stream().allMatch(f -> known.get(f.name()).test(s, f)))
                    .toList();
            return Paging.page("service-details", selected, s -> s.seq, page).map(s -> detail(s, account));
        }
    }

    public VpcEndpoint createVpcEndpoint(Caller caller, CreateEndpointRequest request) {
        synchronized (lock) {
            Account account = checkCaller(caller);
            checkCreateEndpoint(request);
            Vpc vpc = topology.vpcs().get(request.vpcId());
            if (vpc == null || !vpc.accountId().equals(caller.accountId())) {
                throw new ControlPlaneException("InvalidVpcId.NotFound",
                        "The vpc ID '" + request.vpcId() + "' does not exist");
            }
            Service service = visibleServiceByName(caller, request.serviceName());
            requireNonEmpty(request.subnetIds(), "SubnetId");
            Map<String, String> offered = offeredZones(service);
            Map<String, Subnet> byZone = new LinkedHashMap<>();
            for (String subnetId : new LinkedHashSet<>(request.subnetIds())) {
                Subnet subnet = topology.subnets().get(subnetId);
                if (subnet == null || !subnet.accountId().equals(caller.accountId())) {
                    throw new ControlPlaneException("InvalidSubnetId.NotFound",
                            "The subnet ID '" + subnetId + "' does not exist");
                }
                if (!subnet.vpcId().equals(vpc.id())) {
                    throw invalidParameter("Subnet " + subnetId + " is in " + subnet.vpcId() + ", not in " + vpc.id());
                }
                Subnet twin = byZone.put(subnet.zoneId(), subnet);
                if (twin != null) {
                    throw new ControlPlaneException("DuplicateSubnetsInSameZone",
                            "Found another VPC endpoint subnet in the availability zone of " + subnetId
                                    + " (" + subnet.zoneName() + ", " + twin.id() + "); an endpoint takes at most"
                                    + " one subnet per Availability Zone");
                }
                if (!offered.containsKey(subnet.zoneId())) {
                    throw invalidParameter("The VPC endpoint service " + service.id
                            + " does not support the availability zone of the subnet: " + subnetId
                            + " (" + subnet.zoneName() + " is " + subnet.zoneId() + " in your account; the service is"
                            + " offered in " + String.join(", ", namesIn(account, offered.keySet())) + ")");
                }
            }
            String id = uniqueId("vpce-", endpoints.keySet());
            List<EndpointInterface> enis = new ArrayList<>();
            List<Integer> taken = new ArrayList<>();
            try {
                for (Subnet subnet : byZone.values()) {
                    int ip = allocateAddress(subnet);
                    taken.add(ip);
                    enis.add(new EndpointInterface(uniqueEniId(), subnet.id(), subnet.zoneName(), subnet.zoneId(),
                            Ipv4.format(ip), bindLoadBalancer(service, id, subnet.zoneId())));
                }
            } catch (ControlPlaneException e) {
                usedAddresses.removeAll(taken);
                throw e;
            }
            String suffix = ids.dnsSuffix();
            String base = service.id + "." + topology.region() + ".vpce.amazonaws.com";
            List<DnsEntry> dns = new ArrayList<>();
            dns.add(new DnsEntry(id + "-" + suffix + "." + base, null));
            for (EndpointInterface eni : enis) {
                dns.add(new DnsEntry(id + "-" + suffix + "-" + eni.zoneName() + "." + base, eni.zoneName()));
            }
            Endpoint e = new Endpoint(id, caller.accountId(), caller.principal(), vpc.id(), service.id, service.name,
                    enis, dns, request.tags(), clock.instant(), ++sequence);
            e.state = service.acceptanceRequired ? EndpointState.PENDING_ACCEPTANCE : EndpointState.AVAILABLE;
            endpoints.put(id, e);
            publish(new ControlEvent.EndpointChanged(snapshot(e), null));
            notify(e, ConnectionEvent.CONNECT);
            if (e.state == EndpointState.AVAILABLE) {
                notify(e, ConnectionEvent.ACCEPT);
            }
            return snapshot(e);
        }
    }

    public Page<VpcEndpoint> describeVpcEndpoints(Caller caller, List<String> endpointIds, List<Filter> filters,
                                                  PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            Map<String, BiPredicate<Endpoint, Filter>> known = Map.of(
                    "service-name", (e, f) -> f.matches(e.serviceName),
                    "vpc-id", (e, f) -> f.matches(e.vpcId),
                    "vpc-endpoint-id", (e, f) -> f.matches(e.id),
                    "vpc-endpoint-state", (e, f) -> f.matches(e.state.wire()),
                    "vpc-endpoint-type", (e, f) -> f.matches(VpcEndpoint.ENDPOINT_TYPE),
                    "tag-key", (e, f) -> f.matches(e.tags.keySet()));
            checkFilters(filters, known.keySet(), "tag:");
            for (String id : endpointIds) {
                ownedEndpoint(caller, id);
            }
            List<Endpoint> selected = endpoints.values().stream()
                    .filter(e -> e.owner.equals(caller.accountId()) && inRegion(caller))
                    .filter(e -> endpointIds.isEmpty() || endpointIds.contains(e.id))
                    .filter(e -> filters.stream().allMatch(f -> f.name().startsWith("tag:")
                            ? f.matches(e.tags.getOrDefault(f.name().substring(4), null))
                            && e.tags.containsKey(f.name().substring(4))
                            : known.get(f.name()).test(e, f)))
                    .toList();
            return Paging.page("endpoints", selected, e -> e.seq, page).map(this::snapshot);
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
                e.interfaces.forEach(i -> usedAddresses.remove(Ipv4.parse(i.privateIp()).orElseThrow()));
                e.interfaces = List.of();
                transition(e, EndpointState.DELETED);
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
                e.tags.putAll(tags);
                publish(new ControlEvent.EndpointTagged(snapshot(e)));
            }
        }
    }

    // ---------------------------------------------------------------- connections

    public Page<EndpointConnection> describeConnections(Caller caller, List<Filter> filters, PageRequest page) {
        synchronized (lock) {
            checkCaller(caller);
            Map<String, BiPredicate<Endpoint, Filter>> known = Map.of(
                    "service-id", (e, f) -> f.matches(e.serviceId),
                    "vpc-endpoint-id", (e, f) -> f.matches(e.id),
                    "vpc-endpoint-owner", (e, f) -> f.matches(e.owner),
                    "vpc-endpoint-state", (e, f) -> f.matches(e.state.wire()));
            checkFilters(filters, known.keySet());
            List<Endpoint> selected = endpoints.values().stream()
                    .filter(e -> inRegion(caller))
                    .filter(e -> {
                        Service s = services.get(e.serviceId);
                        return s != null && s.owner.equals(caller.accountId());
                    })
                    .filter(e -> filters.stream().allMatch(f -> known.get(f.name()).test(e, f)))
                    .toList();
            return Paging.page("connections", selected, e -> e.seq, page).map(this::connection);
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
            Map<String, BiPredicate<Notification, Filter>> known = Map.of(
                    "connection-notification-arn", (n, f) -> f.matches(n.topicArn),
                    "connection-notification-id", (n, f) -> f.matches(n.id),
                    "connection-notification-state", (n, f) -> f.matches(ConnectionNotification.STATE),
                    "connection-notification-type", (n, f) -> f.matches(ConnectionNotification.TYPE),
                    "service-id", (n, f) -> f.matches(n.serviceId),
                    "vpc-endpoint-id", (n, f) -> f.matches(n.endpointId));
            checkFilters(filters, known.keySet());
            if (notificationId != null) {
                ownedNotification(caller, notificationId);
            }
            List<Notification> selected = notifications.values().stream()
                    .filter(n -> n.owner.equals(caller.accountId()) && inRegion(caller))
                    .filter(n -> notificationId == null || n.id.equals(notificationId))
                    .filter(n -> filters.stream().allMatch(f -> known.get(f.name()).test(n, f)))
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
            return endpoints.values().stream().map(this::snapshot).toList();
        }
    }

    /** Every service configuration, in creation order, regardless of owner. */
    public List<ServiceConfiguration> services() {
        synchronized (lock) {
            return services.values().stream().map(this::snapshot).toList();
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
        Account a = topology.account(caller.accountId()).orElseThrow(() -> new ControlPlaneException("AuthFailure",
                "Account " + caller.accountId() + " is not part of this world"));
        if (!a.has(caller.principal())) {
            throw new ControlPlaneException("AuthFailure", caller.principal().arn() + " does not exist");
        }
        return a;
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

    /** Zone IDs where the service's load balancers have nodes, mapped to the owner's zone names. */
    private Map<String, String> offeredZones(Service s) {
        Account owner = topology.account(s.owner).orElseThrow();
        Map<String, String> zones = new HashMap<>();
        for (String arn : s.loadBalancers) {
            for (LoadBalancer.NlbNodeSpec node : topology.loadBalancer(arn).orElseThrow().nodes()) {
                zones.put(node.zoneId(), owner.zoneName(node.zoneId()).orElse(node.zoneId()));
            }
        }
        return zones;
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

    private int allocateAddress(Subnet subnet) {
        Cidr cidr = subnet.cidr();
        for (long off = RESERVED_AT_START; off < cidr.size() - 1; off++) {
            int ip = cidr.address(off);
            if (usedAddresses.add(ip)) {
                return ip;
            }
        }
        throw new ControlPlaneException("InsufficientFreeAddressesInSubnet",
                "Subnet " + subnet.id() + " (" + cidr + ") has no free address for an endpoint network interface");
    }

    private String uniqueId(String prefix, Set<String> taken) {
        String id;
        do {
            id = ids.id(prefix);
        } while (taken.contains(id));
        return id;
    }

    private String uniqueEniId() {
        Set<String> taken = new HashSet<>();
        endpoints.values().forEach(e -> taken.addAll(e.interfaces.stream().map(EndpointInterface::networkInterfaceId).toList()));
        return uniqueId("eni-", taken);
    }

    // ---------------------------------------------------------------- events

    private void transition(Endpoint e, EndpointState to) {
        EndpointState from = e.state;
        e.state = to;
        publish(new ControlEvent.EndpointChanged(snapshot(e), from));
    }

    private void notify(Endpoint e, ConnectionEvent event) {
        Instant now = clock.instant();
        VpcEndpoint snapshot = null;
        for (Notification n : notifications.values()) {
            boolean matches = e.serviceId.equals(n.serviceId) || e.id.equals(n.endpointId);
            if (matches && n.events.contains(event)) {
                if (snapshot == null) {
                    snapshot = snapshot(e);
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

    // ---------------------------------------------------------------- snapshots

    private ServiceConfiguration snapshot(Service s) {
        Map<String, String> zones = offeredZones(s);
        List<Map.Entry<String, String>> byName = zones.entrySet().stream()
                .sorted(Map.Entry.comparingByValue()).toList();
        return new ServiceConfiguration(s.id, s.name, s.owner, s.state, s.acceptanceRequired,
                List.copyOf(s.loadBalancers), byName.stream().map(Map.Entry::getValue).toList(),
                byName.stream().map(Map.Entry::getKey).toList(),
                List.of(s.id + "." + topology.region() + ".vpce.amazonaws.com"), s.created);
    }

    private ServiceDetail detail(Service s, Account viewer) {
        ServiceConfiguration c = snapshot(s);
        List<Map.Entry<String, String>> byName = c.zoneIds().stream()
                .map(z -> Map.entry(viewer.zoneName(z).orElse(z), z)).sorted(Map.Entry.comparingByKey()).toList();
        return new ServiceDetail(s.name, s.id, s.owner, byName.stream().map(Map.Entry::getKey).toList(),
                byName.stream().map(Map.Entry::getValue).toList(), c.baseEndpointDnsNames(), s.acceptanceRequired);
    }

    private VpcEndpoint snapshot(Endpoint e) {
        return new VpcEndpoint(e.id, e.owner, e.requester, e.vpcId, e.serviceId, e.serviceName, e.state,
                e.interfaces, e.state == EndpointState.DELETED ? List.of() : e.dns, e.tags, e.created);
    }

    private EndpointConnection connection(Endpoint e) {
        List<String> lbs = e.interfaces.stream().map(EndpointInterface::loadBalancerArn).distinct().sorted().toList();
        return new EndpointConnection(e.serviceId, e.id, e.owner, e.state, e.created,
                e.state == EndpointState.DELETED ? List.of() : e.dns, lbs);
    }

    private static final class Service {
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
    }

    private static final class Endpoint {
        final String id;
        final String owner;
        final Principal requester;
        final String vpcId;
        final String serviceId;
        final String serviceName;
        final List<DnsEntry> dns;
        final Map<String, String> tags;
        final Instant created;
        final long seq;
        List<EndpointInterface> interfaces;
        EndpointState state;

        Endpoint(String id, String owner, Principal requester, String vpcId, String serviceId, String serviceName,
                 List<EndpointInterface> interfaces, List<DnsEntry> dns, Map<String, String> tags, Instant created,
                 long seq) {
            this.id = id;
            this.owner = owner;
            this.requester = requester;
            this.vpcId = vpcId;
            this.serviceId = serviceId;
            this.serviceName = serviceName;
            this.interfaces = List.copyOf(interfaces);
            this.dns = List.copyOf(dns);
            this.tags = new LinkedHashMap<>(tags);
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
