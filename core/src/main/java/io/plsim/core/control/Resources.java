package io.plsim.core.control;

import static io.plsim.core.control.RequestChecks.checkEndpointIdSyntax;
import static io.plsim.core.control.RequestChecks.checkNotificationIdSyntax;
import static io.plsim.core.control.RequestChecks.checkServiceIdSyntax;

import io.plsim.core.control.ConnectionNotifications.Notification;
import io.plsim.core.control.Endpoints.Endpoint;
import io.plsim.core.control.ServiceConfigurations.Service;
import io.plsim.core.model.Principal;
import io.plsim.core.model.Topology;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every resource one control plane holds, by ID, and what making one draws on: the seeded IDs, the
 * one sequence that orders every listing, the clock, the subnets' addresses, the listeners. The
 * families of operations ({@link ServiceConfigurations}, {@link Endpoints}, ...) share it, so that
 * none owns another's records; with it the rules they share: which resources a caller sees (its
 * own, in this region; any other is answered as one that does not exist, as AWS does), how a batch
 * answers per item, and how a change is told (through {@link ControlPlane}'s listeners: an endpoint's
 * new state, the connection notifications it fires).
 *
 * <p>Invariant: touched only under {@link ControlPlane}'s lock; every number {@link #nextSeq()} hands
 * out is larger than the ones before, across all kinds of resource, and IDs are drawn in the order
 * the operations ask for them, so the same operations in the same order give the same IDs.
 */
final class Resources {

    final Topology topology;
    final Clock clock;
    final Snapshots snapshots;
    final AddressPool addresses;
    final Map<String, Service> services = new LinkedHashMap<>();
    final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    final Map<String, Notification> notifications = new LinkedHashMap<>();
    /** The sequence number of every network interface that exists, by ID: the order they are described in. */
    final Map<String, Long> interfaceSeq = new HashMap<>();
    /** The world's public DNS, where providers publish the records that verify their private DNS names. */
    final PublicDns publicDns = new PublicDns();
    private final IdSource ids;
    /** ControlPlane's listeners, told of each change in the order it happens. */
    private final ControlPlaneListener listeners;
    private long sequence;

    Resources(Topology topology, Clock clock, IdSource ids, ControlPlaneListener listeners) {
        this.topology = topology;
        this.clock = clock;
        this.snapshots = new Snapshots(topology);
        this.addresses = new AddressPool(topology);
        this.ids = ids;
        this.listeners = listeners;
    }

    long nextSeq() {
        return ++sequence;
    }

    /** A new ID with {@code prefix}, drawn again while it is one of {@code taken}. */
    String uniqueId(String prefix, Set<String> taken) {
        String id;
        do {
            id = ids.id(prefix);
        } while (taken.contains(id));
        return id;
    }

    String dnsSuffix() {
        return ids.dnsSuffix();
    }

    String verificationName() {
        return ids.verificationName();
    }

    String verificationValue() {
        return ids.verificationValue();
    }

    void publish(ControlEvent event) {
        listeners.onEvent(event);
    }

    /** An endpoint's state changes, and the listeners learn what it was before. */
    void transition(Endpoint e, EndpointState to) {
        EndpointState from = e.state;
        e.state = to;
        if (to != EndpointState.PENDING) {
            availableAt.remove(e.id);
        }
        publish(new ControlEvent.EndpointChanged(snapshots.endpoint(e), from));
    }

    /** Whether DescribeVpcEndpointServices lists a few of AWS's own services ({@link AwsServices}). */
    boolean listAwsServices;

    /** How long an accepted endpoint is {@code pending} before it is {@code available}; zero: not at all. */
    private Duration acceptDelay = Duration.ZERO;
    /** The endpoints in {@code pending}, each with when it becomes {@code available}. */
    private final Map<String, Instant> availableAt = new LinkedHashMap<>();

    void acceptAfter(Duration delay) {
        this.acceptDelay = delay;
    }

    /**
     * The state an endpoint takes once accepted: {@code available}, or {@code pending} until the accept
     * delay has passed on the clock.
     */
    EndpointState accepted(Endpoint e) {
        if (acceptDelay.isZero()) {
            return EndpointState.AVAILABLE;
        }
        availableAt.put(e.id, clock.instant().plus(acceptDelay));
        return EndpointState.PENDING;
    }

    /**
     * Moves every endpoint whose accept delay has passed from {@code pending} to {@code available};
     * answers how long until the next one is due, empty when none is pending.
     */
    Optional<Duration> makeDueAvailable() {
        if (availableAt.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<String> due = new ArrayList<>();
        Instant next = null;
        for (Map.Entry<String, Instant> a : availableAt.entrySet()) {
            if (a.getValue().isAfter(now)) {
                next = next == null || a.getValue().isBefore(next) ? a.getValue() : next;
            } else {
                due.add(a.getKey());
            }
        }
        for (String id : due) {
            Endpoint e = endpoints.get(id);
            availableAt.remove(id);
            if (e != null && e.state == EndpointState.PENDING) {
                transition(e, EndpointState.AVAILABLE);
            }
        }
        return next == null ? Optional.empty() : Optional.of(Duration.between(now, next));
    }

    /**
     * Fires, in creation order, every connection notification on {@code e} or its service that asks
     * for {@code event}.
     */
    void notify(Endpoint e, ConnectionEvent event) {
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

    boolean inRegion(Caller caller) {
        return topology.region().equals(caller.region());
    }

    /** Whether a resource owned by {@code owner} is the caller's: its account's, asked in this region. */
    boolean owns(Caller caller, String owner) {
        return owner.equals(caller.accountId()) && inRegion(caller);
    }

    Service ownedService(Caller caller, String id) {
        if (id == null) {
            throw new ControlPlaneException("MissingParameter", "The request must contain the parameter ServiceId");
        }
        checkServiceIdSyntax(id);
        return mineService(caller, id).orElseThrow(() -> NotFound.SERVICE.error(id));
    }

    Endpoint ownedEndpoint(Caller caller, String id) {
        checkEndpointIdSyntax(id);
        return mineEndpoint(caller, id).orElseThrow(() -> NotFound.ENDPOINT.error(id));
    }

    Notification ownedNotification(Caller caller, String id) {
        if (id == null) {
            throw new ControlPlaneException("MissingParameter",
                    "The request must contain the parameter ConnectionNotificationId");
        }
        checkNotificationIdSyntax(id);
        return mineNotification(caller, id).orElseThrow(() -> NotFound.NOTIFICATION.error(id));
    }

    /** The caller's service with that ID, if there is one. */
    Optional<Service> mineService(Caller caller, String id) {
        return Optional.ofNullable(services.get(id)).filter(s -> owns(caller, s.owner));
    }

    /** The caller's endpoint with that ID, if there is one (deleted ones still remembered included). */
    Optional<Endpoint> mineEndpoint(Caller caller, String id) {
        return Optional.ofNullable(endpoints.get(id)).filter(e -> owns(caller, e.owner));
    }

    /** The caller's connection notification with that ID, if there is one. */
    Optional<Notification> mineNotification(Caller caller, String id) {
        return Optional.ofNullable(notifications.get(id)).filter(n -> owns(caller, n.owner));
    }

    /** A service the caller may connect to, or {@code InvalidServiceName} as if it did not exist. */
    Service visibleServiceByName(Caller caller, String name) {
        for (Service s : services.values()) {
            if (s.name.equals(name) && inRegion(caller) && visible(s, caller.principal())) {
                return s;
            }
        }
        if (listAwsServices && AwsServices.isName(topology.region(), name)) {
            throw new ControlPlaneException("InvalidServiceName", "The Vpc Endpoint Service '" + name + "' is one of"
                    + " AWS's own, which plsim lists but does not simulate; create endpoints to the world's services");
        }
        throw new ControlPlaneException("InvalidServiceName", "The Vpc Endpoint Service '" + name + "' does not exist");
    }

    static boolean visible(Service s, Principal p) {
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

    /**
     * A batch, as AWS answers one: each ID in order is looked up with {@code find}; one not found
     * fails with {@code notFound}, one found is tried with {@code attempt}, which answers how it
     * failed or nothing when it was done. One item's failure leaves the others to be tried.
     */
    static <T> List<Unsuccessful> perItem(List<String> ids, Function<String, Optional<T>> find,
                                          Function<String, Unsuccessful> notFound,
                                          Function<T, Optional<Unsuccessful>> attempt) {
        List<Unsuccessful> failed = new ArrayList<>();
        for (String id : ids) {
            find.apply(id).map(attempt).orElseGet(() -> Optional.of(notFound.apply(id))).ifPresent(failed::add);
        }
        return failed;
    }

    /**
     * How AWS answers an ID that is not one of the caller's: the error code, and the message with
     * the ID in it; as the call's error, or as one item of a batch.
     */
    record NotFound(String code, String message) {
        static final NotFound SERVICE = new NotFound("InvalidVpcEndpointServiceId.NotFound",
                "The VpcEndpointService Id '%s' does not exist");
        /** DeleteVpcEndpointServiceConfigurations answers with a code of its own. */
        static final NotFound SERVICE_TO_DELETE = new NotFound("InvalidVpcEndpointService.NotFound",
                SERVICE.message);
        static final NotFound ENDPOINT = new NotFound("InvalidVpcEndpointId.NotFound",
                "The VpcEndpoint Id '%s' does not exist");
        static final NotFound NOTIFICATION = new NotFound("InvalidConnectionNotification",
                "The connection notification '%s' does not exist");

        ControlPlaneException error(String id) {
            return new ControlPlaneException(code, String.format(message, id));
        }

        Unsuccessful item(String id) {
            return new Unsuccessful(id, code, String.format(message, id));
        }
    }

    /** Of {@code mine}, those a Describe call asks for: every one without IDs, else those named; then filtered. */
    static <T> List<T> asked(Collection<T> mine, Collection<String> ids, Function<T, String> id,
                             Predicate<T> matching) {
        return mine.stream().filter(t -> ids.isEmpty() || ids.contains(id.apply(t))).filter(matching).toList();
    }
}
