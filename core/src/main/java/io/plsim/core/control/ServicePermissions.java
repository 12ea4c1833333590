package io.plsim.core.control;

import static io.plsim.core.control.RequestChecks.parsePrincipals;

import io.plsim.core.control.ServiceConfigurations.Service;
import io.plsim.core.model.Principal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Who may see and connect to an endpoint service: its allowed principals, changed and described by
 * the service's owner (ModifyVpcEndpointServicePermissions, DescribeVpcEndpointServicePermissions).
 *
 * <p>Invariant: a service allows at most {@link RequestChecks#MAX_ALLOWED_PRINCIPALS} principals, each
 * once, in the order they were first allowed; a change that would break that changes nothing. Called
 * only under {@link ControlPlane}'s lock, for a caller it has checked.
 */
final class ServicePermissions {

    private static final FilterTable<AllowedPrincipal> FILTERS = new FilterTable<AllowedPrincipal>()
            .on("principal", p -> p.principal().arn())
            .on("principal-type", AllowedPrincipal::principalType);

    private final Resources resources;

    ServicePermissions(Resources resources) {
        this.resources = resources;
    }

    /** Removing a principal leaves the endpoints it already made connected, as in AWS. */
    void modify(Caller caller, String serviceId, List<String> add, List<String> remove) {
        Service s = resources.ownedService(caller, serviceId);
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
        resources.publish(new ControlEvent.PermissionsChanged(s.id, allowed(s)));
    }

    Page<AllowedPrincipal> describe(Caller caller, String serviceId, List<Filter> filters, PageRequest page) {
        Service s = resources.ownedService(caller, serviceId);
        Predicate<AllowedPrincipal> matching = FILTERS.matcher(filters);
        List<AllowedPrincipal> all = allowed(s).stream().filter(matching).toList();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            order.add(i);
        }
        return Paging.page("permissions:" + s.id, order, i -> i, page).map(all::get);
    }

    /** The allowed principals of a service, whoever asks; empty for an unknown service. */
    List<AllowedPrincipal> of(String serviceId) {
        Service s = resources.services.get(serviceId);
        return s == null ? List.of() : allowed(s);
    }

    private static List<AllowedPrincipal> allowed(Service s) {
        return s.allowed.stream().map(p -> new AllowedPrincipal(s.id, p)).toList();
    }
}
