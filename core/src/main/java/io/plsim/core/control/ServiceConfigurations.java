package io.plsim.core.control;

import static io.plsim.core.control.RequestChecks.checkCreateService;
import static io.plsim.core.control.RequestChecks.checkModifyService;
import static io.plsim.core.control.RequestChecks.checkServiceIdSyntax;
import static io.plsim.core.control.RequestChecks.invalidParameter;
import static io.plsim.core.control.RequestChecks.loadBalancerRegion;
import static io.plsim.core.control.RequestChecks.requireNonEmpty;

import io.plsim.core.control.ConnectionNotifications.Notification;
import io.plsim.core.control.Endpoints.Endpoint;
import io.plsim.core.model.Account;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Principal;
import io.plsim.core.model.Topology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Endpoint services: made, described, changed and deleted by their owner (the
 * {@code VpcEndpointServiceConfigurations} actions), and described to the consumers allowed on them
 * (DescribeVpcEndpointServices).
 *
 * <p>Invariant: a Network Load Balancer of the service's own account and region serves at most one
 * service, and a service keeps at least one; a service with endpoints attached keeps its load
 * balancers, and one with endpoints not yet rejected is not deleted. Called only under
 * {@link ControlPlane}'s lock, for a caller it has checked.
 */
final class ServiceConfigurations {

    private static final FilterTable<Service> CONFIGURATION_FILTERS = new FilterTable<Service>()
            .on("service-id", s -> s.id)
            .on("service-name", s -> s.name)
            .on("service-state", s -> s.state.wire())
            .constant("service-type", ServiceConfiguration.SERVICE_TYPE)
            .constant("supported-ip-address-types", "ipv4")
            .tags(s -> Map.of());

    private final Resources resources;
    private final PrivateDnsNames privateDns;
    /** Built once with the constructor: it names the region, the topology's for the control plane's life. */
    private final FilterTable<Listed> detailFilters;

    ServiceConfigurations(Resources resources, PrivateDnsNames privateDns) {
        this.resources = resources;
        this.privateDns = privateDns;
        this.detailFilters = new FilterTable<Listed>()
                .on("service-name", l -> l.detail().serviceName())
                .constant("service-region", resources.topology.region())
                .constant("service-type", ServiceConfiguration.SERVICE_TYPE)
                .constant("supported-ip-address-types", "ipv4")
                .on("owner", l -> l.detail().ownerId())
                .tags(l -> Map.of());
    }

    ServiceConfiguration create(Caller caller, CreateServiceRequest request) {
        checkCreateService(request);
        List<String> arns = new ArrayList<>(new LinkedHashSet<>(request.networkLoadBalancerArns()));
        for (String arn : arns) {
            checkAssociable(caller, arn, null);
        }
        String dnsName = request.privateDnsName() == null ? null
                : RequestChecks.checkPrivateDnsName(request.privateDnsName());
        if (dnsName != null) {
            privateDns.checkClaim(caller, dnsName);
        }
        String id = resources.uniqueId("vpce-svc-", resources.services.keySet());
        Service s = new Service(id, "com.amazonaws.vpce." + resources.topology.region() + "." + id,
                caller.accountId(), request.acceptanceRequired() == null || request.acceptanceRequired(),
                resources.clock.instant(), resources.nextSeq());
        s.loadBalancers.addAll(arns);
        if (dnsName != null) {
            privateDns.name(s, dnsName);
        }
        resources.services.put(id, s);
        ServiceConfiguration snapshot = resources.snapshots.service(s);
        resources.publish(new ControlEvent.ServiceChanged(snapshot));
        return snapshot;
    }

    Page<ServiceConfiguration> describe(Caller caller, List<String> serviceIds, List<Filter> filters,
                                        PageRequest page) {
        Predicate<Service> matching = CONFIGURATION_FILTERS.matcher(filters);
        for (String id : serviceIds) {
            checkServiceIdSyntax(id);
            resources.ownedService(caller, id);
        }
        List<Service> mine = resources.services.values().stream().filter(s -> resources.owns(caller, s.owner)).toList();
        return Paging.page("services", Resources.asked(mine, serviceIds, s -> s.id, matching), s -> s.seq, page)
                .map(resources.snapshots::service);
    }

    ServiceConfiguration modify(Caller caller, ModifyServiceRequest request) {
        Service s = resources.ownedService(caller, request.serviceId());
        checkModifyService(request);
        String dnsName = request.privateDnsName() == null ? null
                : RequestChecks.checkPrivateDnsName(request.privateDnsName());
        if (dnsName != null) {
            privateDns.checkClaim(caller, dnsName);
        }
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
            List<String> attached = resources.endpoints.values().stream()
                    .filter(e -> e.serviceId.equals(s.id) && e.state.isAttached()).map(e -> e.id).toList();
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
        if (dnsName != null) {
            privateDns.name(s, dnsName);
        } else if (request.removePrivateDnsName()) {
            privateDns.remove(s);
        }
        ServiceConfiguration snapshot = resources.snapshots.service(s);
        resources.publish(new ControlEvent.ServiceChanged(snapshot));
        return snapshot;
    }

    /** Deletes services, per item; the notifications on a deleted service go with it. */
    List<Unsuccessful> delete(Caller caller, List<String> serviceIds) {
        requireNonEmpty(serviceIds, "ServiceId");
        return Resources.perItem(serviceIds, id -> resources.mineService(caller, id),
                Resources.NotFound.SERVICE_TO_DELETE::item, this::deleteUnlessConnected);
    }

    /** Deletes {@code s}, unless endpoints not yet rejected are connected to it. */
    private Optional<Unsuccessful> deleteUnlessConnected(Service s) {
        List<String> blocking = resources.endpoints.values().stream()
                .filter(e -> e.serviceId.equals(s.id) && (e.state == EndpointState.AVAILABLE
                        || e.state == EndpointState.PENDING_ACCEPTANCE || e.state == EndpointState.PENDING))
                .map(e -> e.id).toList();
        if (!blocking.isEmpty()) {
            return Optional.of(new Unsuccessful(s.id, "ExistingVpcEndpointConnections",
                    "Service " + s.id + " has existing active VPC endpoint connections: "
                            + String.join(", ", blocking) + "; reject them first"));
        }
        resources.services.remove(s.id);
        // Its notifications can never fire again: they go with it, told after the service itself.
        List<Notification> orphans = resources.notifications.values().stream()
                .filter(n -> s.id.equals(n.serviceId)).toList();
        orphans.forEach(n -> resources.notifications.remove(n.id));
        s.state = ServiceState.DELETED;
        resources.publish(new ControlEvent.ServiceDeleted(resources.snapshots.service(s)));
        orphans.forEach(n -> resources.publish(new ControlEvent.NotificationDeleted(n.snapshot())));
        return Optional.empty();
    }

    /** The services {@code caller} may see: its own and those it is allowed on. */
    Page<ServiceDetail> describeVisible(Caller caller, Account account, List<String> serviceNames,
                                        List<Filter> filters, PageRequest page) {
        Predicate<Listed> matching = detailFilters.matcher(filters);
        String region = resources.topology.region();
        boolean aws = resources.listAwsServices && resources.inRegion(caller);
        for (String name : serviceNames) {
            if (!(aws && AwsServices.isName(region, name))) {
                resources.visibleServiceByName(caller, name);
            }
        }
        List<Listed> listed = new ArrayList<>();
        if (aws) {
            List<ServiceDetail> own = AwsServices.details(region, account);
            // First, as AWS's own names sort before every com.amazonaws.vpce one.
            for (int i = 0; i < own.size(); i++) {
                listed.add(new Listed(own.get(i), i - own.size()));
            }
        }
        resources.services.values().stream()
                .filter(s -> resources.inRegion(caller) && Resources.visible(s, caller.principal()))
                .forEach(s -> listed.add(new Listed(resources.snapshots.detail(s, account), s.seq)));
        return Paging.page("service-details", Resources.asked(listed, serviceNames, l -> l.detail().serviceName(),
                matching), Listed::seq, page).map(Listed::detail);
    }

    /** A service as DescribeVpcEndpointServices lists it, with the number it pages by. */
    private record Listed(ServiceDetail detail, long seq) {
    }

    /** Every service, in creation order, whoever owns it. */
    List<ServiceConfiguration> all() {
        return resources.services.values().stream().map(resources.snapshots::service).toList();
    }

    private void checkAssociable(Caller caller, String arn, Service modifying) {
        Topology topology = resources.topology;
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
        for (Service other : resources.services.values()) {
            if (other != modifying && other.loadBalancers.contains(arn)) {
                throw invalidParameter("Load balancer " + arn + " is already associated with service " + other.id);
            }
        }
    }

    /** An endpoint service as the control plane keeps it; callers see {@link ServiceConfiguration}s. */
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
        /** The private DNS name, or null; the fields below describe its verification and are null without it. */
        String privateDnsName;
        DnsNameState dnsNameState;
        String verificationName;
        String verificationValue;
        /** When a started verification checks the public DNS; null when none is under way. */
        Instant verifyAt;

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
            Account ownerAccount = topology.account(owner).orElseThrow();
            Map<String, String> zones = new HashMap<>();
            for (String arn : loadBalancers) {
                for (LoadBalancer.NlbNodeSpec node : topology.loadBalancer(arn).orElseThrow().nodes()) {
                    zones.put(node.zoneId(), ownerAccount.zoneName(node.zoneId()).orElse(node.zoneId()));
                }
            }
            return zones;
        }
    }
}
