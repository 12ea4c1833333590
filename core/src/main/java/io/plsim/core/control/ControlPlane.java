package io.plsim.core.control;

import io.plsim.core.model.Account;
import io.plsim.core.model.SecurityGroup;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Topology;
import io.plsim.core.model.Vpc;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

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
 *
 * <p>This class is the facade that keeps those promises: it takes the lock, checks the caller, and
 * hands each operation to the family it belongs to ({@link ServiceConfigurations},
 * {@link ServicePermissions}, {@link Endpoints}, {@link EndpointTags}, {@link Connections},
 * {@link ConnectionNotifications}, {@link NetworkReads}), which share the records in {@link Resources}
 * and publish through this class, so every event goes out under the lock, in order.
 */
public final class ControlPlane {

    /** The most deleted endpoints still described, whatever their retention. */
    static final int MAX_DELETED_KEPT = Endpoints.MAX_DELETED_KEPT;

    private final Topology topology;
    private final Object lock = new Object();
    private final List<ControlPlaneListener> listeners = new CopyOnWriteArrayList<>();
    private final ServiceConfigurations services;
    private final ServicePermissions permissions;
    private final Endpoints endpoints;
    private final EndpointTags endpointTags;
    private final Connections connections;
    private final ConnectionNotifications notifications;
    private final NetworkReads network;
    private final Resources resources;
    private final PrivateDnsNames privateDns;
    private final PublicDns publicDns;

    public ControlPlane(Topology topology) {
        this(topology, Clock.systemUTC(), 0x5eedL);
    }

    /**
     * @param seed seeds every generated ID and DNS name, so that the same operations in the same
     *             order give the same IDs
     */
    public ControlPlane(Topology topology, Clock clock, long seed) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.resources = new Resources(topology, Objects.requireNonNull(clock, "clock"), new IdSource(seed),
                this::publish);
        this.privateDns = new PrivateDnsNames(resources);
        this.publicDns = resources.publicDns;
        this.services = new ServiceConfigurations(resources, privateDns);
        this.permissions = new ServicePermissions(resources);
        this.endpoints = new Endpoints(resources, privateDns);
        this.endpointTags = new EndpointTags(resources);
        this.connections = new Connections(resources);
        this.notifications = new ConnectionNotifications(resources);
        this.network = new NetworkReads(resources);
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
        return call(caller, a -> services.create(caller, request));
    }

    public Page<ServiceConfiguration> describeServiceConfigurations(Caller caller, List<String> serviceIds,
                                                                    List<Filter> filters, PageRequest page) {
        return call(caller, a -> services.describe(caller, serviceIds, filters, page));
    }

    public ServiceConfiguration modifyServiceConfiguration(Caller caller, ModifyServiceRequest request) {
        return call(caller, a -> services.modify(caller, request));
    }

    /**
     * Deletes service configurations; refused, per item, for a service with endpoints
     * {@code available} or {@code pendingAcceptance}, which the owner must reject first.
     */
    public List<Unsuccessful> deleteServiceConfigurations(Caller caller, List<String> serviceIds) {
        return call(caller, a -> services.delete(caller, serviceIds));
    }

    /**
     * Starts the verification of a service's private DNS name: {@code pendingVerification} for the
     * world's verification delay, then {@code verified} when public DNS holds the TXT record of the
     * service's {@link PrivateDnsNameConfiguration}, else {@code failed}. A verified name stays so.
     */
    public void startPrivateDnsVerification(Caller caller, String serviceId) {
        run(caller, a -> privateDns.start(caller, serviceId));
    }

    /** How long a started verification waits before it checks public DNS. */
    public void verificationDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        synchronized (lock) {
            privateDns.delay(delay);
        }
    }

    /**
     * Settles what the clock has made due (verifications whose delay has passed, accepted endpoints
     * whose time in {@code pending} is over), telling the listeners. Every call does this first; a host
     * calls it on a timer too, so that a change is told when it is due even when nobody calls.
     */
    public void settle() {
        synchronized (lock) {
            privateDns.settle();
            resources.makeDueAvailable();
        }
    }

    // ---------------------------------------------------------------- the world's public DNS

    /**
     * Publishes a TXT record in the world's public DNS, where the verification of private DNS names
     * looks; answers the record as kept (the name in lower case, without the trailing dot).
     *
     * @throws ControlPlaneException {@code InvalidParameterValue} for a name that is not a domain name or
     *                               a value that is not one TXT string of printable ASCII
     */
    public TxtRecord publishTxtRecord(String name, String value) {
        TxtRecord r = TxtRecord.of(name, value);
        synchronized (lock) {
            publicDns.publish(r.name(), r.value());
        }
        return r;
    }

    /** Removes one value of a TXT record, or all of them when {@code value} is null; false when there was none. */
    public boolean removeTxtRecord(String name, String value) {
        String n = RequestChecks.checkRecordName(Objects.requireNonNull(name, "name"));
        synchronized (lock) {
            return publicDns.remove(n, value);
        }
    }

    /** The values of a name's TXT record in public DNS (lower case, no trailing dot), empty when none. */
    public List<String> txtRecord(String name) {
        synchronized (lock) {
            return publicDns.texts(name);
        }
    }

    /** Every TXT record of public DNS, one per value, in the order published. */
    public List<TxtRecord> txtRecords() {
        synchronized (lock) {
            return publicDns.all();
        }
    }

    // ---------------------------------------------------------------- permissions

    /**
     * Adds and removes allowed principals. Removing a principal leaves endpoints it already
     * created connected, as in AWS.
     */
    public void modifyServicePermissions(Caller caller, String serviceId, List<String> add, List<String> remove) {
        run(caller, a -> permissions.modify(caller, serviceId, add, remove));
    }

    public Page<AllowedPrincipal> describeServicePermissions(Caller caller, String serviceId, List<Filter> filters,
                                                             PageRequest page) {
        return call(caller, a -> permissions.describe(caller, serviceId, filters, page));
    }

    // ---------------------------------------------------------------- consumers

    /** The zones of the caller's account, named as that account names them. */
    public List<AvailabilityZone> describeAvailabilityZones(Caller caller) {
        return call(caller, network::zones);
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
        return call(caller, a -> services.describeVisible(caller, a, serviceNames, filters, page));
    }

    public VpcEndpoint createVpcEndpoint(Caller caller, CreateEndpointRequest request) {
        return call(caller, a -> endpoints.create(caller, a, request));
    }

    public Page<VpcEndpoint> describeVpcEndpoints(Caller caller, List<String> endpointIds, List<Filter> filters,
                                                  PageRequest page) {
        return call(caller, a -> endpoints.describe(caller, endpointIds, filters, page));
    }

    /**
     * Deletes the caller's endpoints: each goes {@code deleting} then {@code deleted}, its network
     * interfaces are released, and Delete notifications fire. Unknown IDs fail per item.
     */
    public List<Unsuccessful> deleteVpcEndpoints(Caller caller, List<String> endpointIds) {
        return call(caller, a -> endpoints.delete(caller, endpointIds));
    }

    /** Tags interface endpoints. Endpoint services cannot be tagged, as the user guide says. */
    public void createTags(Caller caller, List<String> resourceIds, Map<String, String> tags) {
        run(caller, a -> endpointTags.create(caller, resourceIds, tags));
    }

    /**
     * Deletes tags of interface endpoints, as EC2 does: a tag given with a value is deleted only
     * when its value is that one (an empty value matches an empty one); a tag given without a value
     * is deleted whatever its value; no tags at all deletes every tag of the resources.
     *
     * @param tags keys mapped to the value to match, or to null for any value
     */
    public void deleteTags(Caller caller, List<String> resourceIds, Map<String, String> tags) {
        run(caller, a -> endpointTags.delete(caller, resourceIds, tags));
    }

    /** The tags of the caller's endpoints that are not deleted, one item per tag. */
    public Page<TagDescription> describeTags(Caller caller, List<Filter> filters, PageRequest page) {
        return call(caller, a -> endpointTags.describe(caller, filters, page));
    }

    /**
     * Adds and removes subnets and security groups of an interface endpoint, with the checks of
     * CreateVpcEndpoint: a subnet of the endpoint's VPC, one per zone, in a zone the service offers;
     * groups of the endpoint's VPC. An added subnet gets a network interface and a zonal DNS name
     * at once; a removed one loses both, and a data plane resets its open connections. Nothing is
     * changed when any check fails.
     */
    public VpcEndpoint modifyVpcEndpoint(Caller caller, ModifyEndpointRequest request) {
        return call(caller, a -> endpoints.modify(caller, a, request));
    }

    // ---------------------------------------------------------------- VPCs, subnets, groups, interfaces

    /** The caller's VPCs; an ID that is not one of them fails the call, as EC2 does. */
    public Page<Vpc> describeVpcs(Caller caller, List<String> vpcIds, List<Filter> filters, PageRequest page) {
        return call(caller, a -> network.vpcs(caller, vpcIds, filters, page));
    }

    /** The association ID of a VPC's one IPv4 CIDR block, derived from the VPC ID. */
    public static String cidrAssociationId(Vpc vpc) {
        return NetworkReads.cidrAssociationId(vpc);
    }

    /**
     * The caller's subnets, each with the addresses still free in it: a network interface of an
     * endpoint takes one as it is made and gives it back when its endpoint is deleted or the subnet
     * is removed from it.
     */
    public Page<SubnetDetail> describeSubnets(Caller caller, List<String> subnetIds, List<Filter> filters,
                                              PageRequest page) {
        return call(caller, a -> network.subnets(caller, subnetIds, filters, page));
    }

    public String subnetArn(Subnet subnet) {
        return network.subnetArn(subnet);
    }

    /**
     * The caller's security groups: every VPC's default group and those the sim-config declares.
     * {@code groupNames} finds groups of a default VPC only, as in EC2; plsim's VPCs are not
     * default VPCs, so a name fails the call and the {@code group-name} filter is the way.
     */
    public Page<SecurityGroup> describeSecurityGroups(Caller caller, List<String> groupIds, List<String> groupNames,
                                                      List<Filter> filters, PageRequest page) {
        return call(caller, a -> network.securityGroups(caller, groupIds, groupNames, filters, page));
    }

    /** The network interfaces of the caller's endpoints that are not deleted. */
    public Page<NetworkInterface> describeNetworkInterfaces(Caller caller, List<String> interfaceIds,
                                                            List<Filter> filters, PageRequest page) {
        return call(caller, a -> network.networkInterfaces(caller, interfaceIds, filters, page));
    }

    // ---------------------------------------------------------------- connections

    public Page<EndpointConnection> describeConnections(Caller caller, List<Filter> filters, PageRequest page) {
        return call(caller, a -> connections.describe(caller, filters, page));
    }

    /**
     * Accepts endpoints in {@code pendingAcceptance}; they become {@code available}, or {@code pending}
     * for the accept delay first (see {@link #acceptAfter}).
     */
    public List<Unsuccessful> acceptConnections(Caller caller, String serviceId, List<String> endpointIds) {
        return call(caller, a -> connections.accept(caller, serviceId, endpointIds));
    }

    /**
     * Rejects endpoints in {@code pendingAcceptance} or {@code available}. A data plane listening to
     * this control plane cuts the open connections of a rejected endpoint.
     */
    public List<Unsuccessful> rejectConnections(Caller caller, String serviceId, List<String> endpointIds) {
        return call(caller, a -> connections.reject(caller, serviceId, endpointIds));
    }

    // ---------------------------------------------------------------- notifications

    /**
     * Creates a notification on a service the caller owns, or on an endpoint the caller owns:
     * exactly one of {@code serviceId} and {@code endpointId}.
     */
    public ConnectionNotification createConnectionNotification(Caller caller, String serviceId, String endpointId,
                                                               String topicArn, Collection<String> events) {
        return call(caller, a -> notifications.create(caller, serviceId, endpointId, topicArn, events));
    }

    public Page<ConnectionNotification> describeConnectionNotifications(Caller caller, String notificationId,
                                                                        List<Filter> filters, PageRequest page) {
        return call(caller, a -> notifications.describe(caller, notificationId, filters, page));
    }

    /** Changes the topic, the events, or both; null leaves a field as it is. */
    public ConnectionNotification modifyConnectionNotification(Caller caller, String notificationId, String topicArn,
                                                               Collection<String> events) {
        return call(caller, a -> notifications.modify(caller, notificationId, topicArn, events));
    }

    public List<Unsuccessful> deleteConnectionNotifications(Caller caller, List<String> notificationIds) {
        return call(caller, a -> notifications.delete(caller, notificationIds));
    }

    // ---------------------------------------------------------------- read access for the data plane

    /** Every endpoint, deleted ones included, in creation order. */
    public List<VpcEndpoint> endpoints() {
        return read(endpoints::all);
    }

    /** Every service configuration, in creation order, regardless of owner. */
    public List<ServiceConfiguration> services() {
        return read(services::all);
    }

    /** Allowed principals of a service, regardless of caller; empty for an unknown service. */
    public List<AllowedPrincipal> permissions(String serviceId) {
        return read(() -> permissions.of(serviceId));
    }

    /** Every connection notification, regardless of owner. */
    public List<ConnectionNotification> notifications() {
        return read(notifications::all);
    }

    /**
     * How long a deleted endpoint is still described, as {@code deleted}, before the world forgets
     * it (zero: at once, at the next call): what a long run of create and delete keeps is bounded.
     */
    public void retainDeleted(Duration retention) {
        Objects.requireNonNull(retention, "retention");
        synchronized (lock) {
            endpoints.retainDeleted(retention);
        }
    }

    /**
     * How long an accepted endpoint is {@code pending} before it is {@code available} (zero, the
     * default: at once), as AWS takes a while; for acceptance by the provider and at creation, when the
     * service accepts on its own.
     */
    public void acceptAfter(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a negative accept delay: " + delay);
        }
        synchronized (lock) {
            resources.acceptAfter(delay);
        }
    }

    /**
     * Whether DescribeVpcEndpointServices lists a few well-known services of AWS's own
     * ({@code com.amazonaws.<region>.s3}, ...) before the world's, as AWS does; off by default. They are
     * listed only: an endpoint to one is refused.
     */
    public void listAwsServices(boolean on) {
        synchronized (lock) {
            resources.listAwsServices = on;
        }
    }

    /**
     * Makes every endpoint whose accept delay has passed {@code available}, as every operation does
     * first, and answers how long until the next is due (empty when none is pending). The control plane
     * has no threads: whoever serves it calls this then (the data plane does), so that a connection
     * is admitted once the delay has passed even when no call comes.
     */
    public Optional<Duration> advance() {
        synchronized (lock) {
            return resources.makeDueAvailable();
        }
    }

    // ---------------------------------------------------------------- the lock, the caller, the listeners

    /** One operation for a caller, under the lock: the caller is checked first, then {@code operation} runs. */
    private <T> T call(Caller caller, Function<Account, T> operation) {
        synchronized (lock) {
            return operation.apply(checkCaller(caller));
        }
    }

    private void run(Caller caller, Consumer<Account> operation) {
        synchronized (lock) {
            operation.accept(checkCaller(caller));
        }
    }

    private <T> T read(Supplier<T> read) {
        synchronized (lock) {
            resources.makeDueAvailable();
            privateDns.settle();
            return read.get();
        }
    }

    /**
     * The caller's account, of which the caller must be a principal; deleted endpoints past their
     * retention are forgotten first, so that no operation sees them.
     */
    private Account checkCaller(Caller caller) {
        Objects.requireNonNull(caller, "caller");
        endpoints.forgetDeleted();
        resources.makeDueAvailable();
        privateDns.settle();
        Account a = topology.account(caller.accountId()).orElseThrow(() -> new ControlPlaneException("AuthFailure",
                "Account " + caller.accountId() + " is not part of this world"));
        if (!a.has(caller.principal())) {
            throw new ControlPlaneException("AuthFailure", caller.principal().arn() + " does not exist");
        }
        return a;
    }

    /** Tells every listener, in the order they were added; runs under the lock, so events keep their order. */
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
}
