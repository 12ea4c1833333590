package io.plsim.core.config;

import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.control.CreateEndpointRequest;
import io.plsim.core.control.CreateServiceRequest;
import io.plsim.core.control.EndpointState;
import io.plsim.core.control.ServiceConfiguration;
import io.plsim.core.control.Unsuccessful;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Account;
import io.plsim.core.model.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Reads the {@code services} and {@code endpoints} sections of a sim-config and creates what they declare
 * through the {@link ControlPlane}'s own operations, as the owner's root (a service, its permissions and
 * notifications) or the endpoint's principal would: so a file obeys exactly the rules an API caller does.
 *
 * <p>Invariant: an item goes to the control plane only while the seeder is live, that is with a control
 * plane (the topology had no problem) and no problem recorded in the file so far; so the loader reports
 * the first rule of the control plane the file breaks, and after it only problems of shape and reference
 * (a later item may depend on the refused one). Every item is checked for shape and references, live or
 * not, so that one run reports them all.
 */
final class ControlPlaneSeeder {

    private final String region;
    private final TopologyReader topology;
    private final LoadBalancerReader loadBalancers;
    private final ControlPlane cp;
    private final BooleanSupplier clean;
    /** Names of every service the file declares, even one with problems of its own. */
    private final Set<String> declaredServices = new HashSet<>();
    private final Set<String> declaredEndpoints = new HashSet<>();
    private final Map<String, String> serviceIds = new LinkedHashMap<>();
    private final Map<String, String> endpointIds = new LinkedHashMap<>();

    /**
     * @param topology      the accounts and principals services and endpoints name, and the region
     * @param loadBalancers the load balancers services name
     * @param cp            the control plane to create items in; null when the topology had problems
     * @param clean         whether the file has no problem so far
     */
    ControlPlaneSeeder(TopologyReader topology, LoadBalancerReader loadBalancers, ControlPlane cp,
                       BooleanSupplier clean) {
        this.region = topology.region();
        this.topology = topology;
        this.loadBalancers = loadBalancers;
        this.cp = cp;
        this.clean = clean;
    }

    /** The file's service names mapped to the IDs their services received, in the order of the file. */
    Map<String, String> serviceIds() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(serviceIds));
    }

    /** The file's endpoint names mapped to the IDs their endpoints received, in the order of the file. */
    Map<String, String> endpointIds() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(endpointIds));
    }

    /** Whether items may go to the control plane now (see the class comment for why only then). */
    private boolean live() {
        return cp != null && clean.getAsBoolean();
    }

    /** Runs an operation of the control plane; empty, with the refusal recorded at {@code at}, when refused. */
    private <T> Optional<T> apply(Node at, Supplier<T> op) {
        try {
            return Optional.of(op.get());
        } catch (ControlPlaneException e) {
            at.problem("refused by the control plane: " + e.code() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private void applyBatch(Node at, Supplier<List<Unsuccessful>> op) {
        apply(at, op).filter(failed -> !failed.isEmpty()).ifPresent(failed -> {
            Unsuccessful u = failed.get(0);
            at.problem("refused by the control plane: " + u.code() + ": " + u.message());
        });
    }

    private Caller rootOf(Account account) {
        return new Caller(Principal.root(account.id()), region);
    }

    /** Reads one item of the {@code services} section; creates it, its permissions and notifications while live. */
    void readService(Node node) {
        Map<String, Node> f = node.object(Set.of("name", "account", "loadBalancers", "acceptanceRequired",
                "allowedPrincipals", "notifications"), Set.of("name", "account", "loadBalancers")).orElse(null);
        if (f == null) {
            return;
        }
        Optional<String> name = node.get("name").text();
        if (name.isPresent() && !declaredServices.add(name.get())) {
            node.get("name").problem("service " + name.get() + " is declared twice");
            name = Optional.empty();
        }
        Optional<Account> account = topology.accountRef(node.get("account"));
        List<String> arns = new ArrayList<>();
        for (Node lb : node.get("loadBalancers").list()) {
            lb.text().ifPresent(ref -> {
                String arn = ref.startsWith("arn:") ? ref : loadBalancers.arnOf(ref);
                if (arn != null) {
                    arns.add(arn);
                } else if (!loadBalancers.isDeclared(ref)) {
                    lb.problem("no load balancer named " + ref + " is declared under loadBalancers");
                }
            });
        }
        Boolean acceptance = node.get("acceptanceRequired").bool().orElse(null);
        List<String> principals = node.get("allowedPrincipals").texts();
        if (!live() || name.isEmpty() || account.isEmpty()) {
            readNotifications(node.get("notifications"), null, null, null);
            return;
        }
        Caller owner = rootOf(account.get());
        Optional<ServiceConfiguration> created = apply(node.get("loadBalancers"),
                () -> cp.createServiceConfiguration(owner, new CreateServiceRequest(arns, acceptance, null, null, null)));
        if (created.isEmpty()) {
            readNotifications(node.get("notifications"), null, null, null);
            return;
        }
        String serviceId = created.get().serviceId();
        serviceIds.put(name.get(), serviceId);
        if (!principals.isEmpty()) {
            apply(node.get("allowedPrincipals"), () -> {
                cp.modifyServicePermissions(owner, serviceId, principals, List.of());
                return serviceId;
            });
        }
        readNotifications(node.get("notifications"), owner, serviceId, null);
    }

    /** Checks the notifications of a service or endpoint, and creates them while live and an owner is known. */
    private void readNotifications(Node node, Caller owner, String serviceId, String endpointId) {
        for (Node item : node.list()) {
            if (item.object(Set.of("topic", "events"), Set.of("topic", "events")).isEmpty()) {
                continue;
            }
            Optional<String> topic = item.get("topic").text();
            List<String> events = item.get("events").texts();
            if (owner == null || topic.isEmpty() || !live()) {
                continue;
            }
            apply(item, () -> cp.createConnectionNotification(owner, serviceId, endpointId, topic.get(), events));
        }
    }

    /** Reads one item of the {@code endpoints} section; creates it, and brings it to its state, while live. */
    void readEndpoint(Node node) {
        Map<String, Node> f = node.object(Set.of("name", "principal", "service", "vpc", "subnets", "state",
                "tags", "notifications", "securityGroups"), Set.of("name", "principal", "service", "vpc", "subnets"))
                .orElse(null);
        if (f == null) {
            return;
        }
        Optional<String> name = node.get("name").text();
        if (name.isPresent() && !declaredEndpoints.add(name.get())) {
            node.get("name").problem("endpoint " + name.get() + " is declared twice");
        }
        Optional<Principal> principal = node.get("principal").text().flatMap(text -> {
            Optional<Principal> p = Principal.parse(text).filter(x -> x.kind() != Principal.Kind.ALL);
            if (p.isEmpty()) {
                node.get("principal").problem("expected the ARN of a root, user or role, found " + text);
            } else if (!topology.isPrincipal(p.get())) {
                node.get("principal").problem(text + " is not a principal of this world");
                return Optional.empty();
            }
            return p;
        });
        // A service by its name under services, or by its full service name (com.amazonaws.vpce...);
        // empty when the named service was not created (it has problems of its own).
        Optional<String> serviceName = node.get("service").text().flatMap(ref -> {
            if (ref.startsWith("com.amazonaws.")) {
                return Optional.of(ref);
            }
            if (!declaredServices.contains(ref)) {
                node.get("service").problem("no service named " + ref + " is declared under services");
                return Optional.empty();
            }
            return Optional.ofNullable(serviceIds.get(ref)).map(id -> "com.amazonaws.vpce." + region + "." + id);
        });
        Optional<String> vpc = node.get("vpc").text();
        List<String> subnetIds = node.get("subnets").texts();
        Map<String, String> tags = new LinkedHashMap<>();
        node.get("tags").entries("a mapping of tag keys to values")
                .forEach((k, v) -> v.text().ifPresent(text -> tags.put(k, text)));
        Optional<EndpointState> state = node.get("state").text().flatMap(s -> {
            for (EndpointState st : List.of(EndpointState.PENDING_ACCEPTANCE, EndpointState.AVAILABLE,
                    EndpointState.REJECTED)) {
                if (st.wire().equals(s)) {
                    return Optional.of(st);
                }
            }
            node.get("state").problem("expected pendingAcceptance, available or rejected, found " + s);
            return Optional.empty();
        });
        if (!live() || name.isEmpty() || principal.isEmpty() || serviceName.isEmpty() || vpc.isEmpty()) {
            readNotifications(node.get("notifications"), null, null, null);
            return;
        }
        Caller caller = new Caller(principal.get(), region);
        Optional<VpcEndpoint> made = apply(node, () -> cp.createVpcEndpoint(caller,
                new CreateEndpointRequest(vpc.get(), serviceName.get(), subnetIds, null, null, null, tags,
                        node.get("securityGroups").texts())));
        if (made.isEmpty()) {
            readNotifications(node.get("notifications"), null, null, null);
            return;
        }
        VpcEndpoint created = made.get();
        endpointIds.put(name.get(), created.vpcEndpointId());
        readNotifications(node.get("notifications"), new Caller(Principal.root(principal.get().accountId()),
                region), null, created.vpcEndpointId());
        if (state.isPresent() && state.get() != created.state() && live()) {
            ServiceConfiguration service = cp.services().stream()
                    .filter(s -> s.serviceId().equals(created.serviceId())).findFirst().orElseThrow();
            Caller owner = new Caller(Principal.root(service.ownerId()), region);
            List<String> ids = List.of(created.vpcEndpointId());
            switch (state.get()) {
                case AVAILABLE -> applyBatch(node.get("state"),
                        () -> cp.acceptConnections(owner, service.serviceId(), ids));
                case REJECTED -> applyBatch(node.get("state"),
                        () -> cp.rejectConnections(owner, service.serviceId(), ids));
                default -> node.get("state").problem("the service accepts endpoints automatically, so this"
                        + " endpoint starts available and cannot be pendingAcceptance");
            }
        }
    }
}
