package io.plsim.core.control;

import static io.plsim.core.control.RequestChecks.requireNonEmpty;

import io.plsim.core.control.Endpoints.Endpoint;
import io.plsim.core.control.ServiceConfigurations.Service;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The endpoints of a service as its owner sees and decides them: described as connections,
 * accepted, rejected (DescribeVpcEndpointConnections, AcceptVpcEndpointConnections,
 * RejectVpcEndpointConnections).
 *
 * <p>Invariant: only an endpoint in {@code pendingAcceptance} is accepted, and only one in
 * {@code pendingAcceptance}, {@code pending} or {@code available} is rejected; each decision is one
 * state change and its notifications, per item. Called only under {@link ControlPlane}'s lock, for a
 * caller it has checked.
 */
final class Connections {

    private final Resources resources;
    /** Built once with the constructor: it names the region, the topology's for the control plane's life. */
    private final FilterTable<Endpoint> connectionFilters;

    Connections(Resources resources) {
        this.resources = resources;
        this.connectionFilters = new FilterTable<Endpoint>()
                .constant("ip-address-type", "ipv4")
                .on("service-id", e -> e.serviceId)
                .on("vpc-endpoint-id", e -> e.id)
                .on("vpc-endpoint-owner", e -> e.owner)
                .constant("vpc-endpoint-region", resources.topology.region())
                .on("vpc-endpoint-state", e -> e.state.wire());
    }

    Page<EndpointConnection> describe(Caller caller, List<Filter> filters, PageRequest page) {
        Predicate<Endpoint> matching = connectionFilters.matcher(filters);
        List<Endpoint> selected = resources.endpoints.values().stream()
                .filter(e -> {
                    Service s = resources.services.get(e.serviceId);
                    return s != null && resources.owns(caller, s.owner);
                })
                .filter(matching)
                .toList();
        return Paging.page("connections", selected, e -> e.seq, page).map(resources.snapshots::connection);
    }

    List<Unsuccessful> accept(Caller caller, String serviceId, List<String> endpointIds) {
        return decide(caller, serviceId, endpointIds, EnumSet.of(EndpointState.PENDING_ACCEPTANCE),
                EndpointState.AVAILABLE, ConnectionEvent.ACCEPT);
    }

    List<Unsuccessful> reject(Caller caller, String serviceId, List<String> endpointIds) {
        return decide(caller, serviceId, endpointIds,
                EnumSet.of(EndpointState.PENDING_ACCEPTANCE, EndpointState.PENDING, EndpointState.AVAILABLE),
                EndpointState.REJECTED, ConnectionEvent.REJECT);
    }

    private List<Unsuccessful> decide(Caller caller, String serviceId, List<String> endpointIds,
                                      Set<EndpointState> from, EndpointState to, ConnectionEvent event) {
        Service s = resources.ownedService(caller, serviceId);
        requireNonEmpty(endpointIds, "VpcEndpointId");
        return Resources.perItem(endpointIds,
                id -> Optional.ofNullable(resources.endpoints.get(id))
                        .filter(e -> e.serviceId.equals(s.id) && e.state != EndpointState.DELETED),
                id -> new Unsuccessful(id, "InvalidVpcEndpointId.NotFound",
                        "The VpcEndpoint Id '" + id + "' does not exist for service " + s.id),
                e -> {
                    if (!from.contains(e.state)) {
                        return Optional.of(new Unsuccessful(e.id, "InvalidVpcEndpointState",
                                "Endpoint " + e.id + " is " + e.state.wire() + "; only "
                                        + String.join(" or ", from.stream().map(EndpointState::wire).toList())
                                        + " endpoints can be "
                                        + (to == EndpointState.AVAILABLE ? "accepted" : "rejected")));
                    }
                    resources.transition(e, event == ConnectionEvent.ACCEPT ? resources.accepted(e) : to);
                    resources.notify(e, event);
                    return Optional.empty();
                });
    }
}
