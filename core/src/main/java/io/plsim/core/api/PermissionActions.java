package io.plsim.core.api;

import io.plsim.core.control.AllowedPrincipal;
import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.Page;
import java.util.List;
import java.util.Objects;

/**
 * The EC2 actions on the principals allowed to connect to an endpoint service.
 *
 * <p>Invariant: a permission's ID is derived from its service and principal alone, so the same permission
 * shows the same {@code servicePermissionId} in every answer.
 */
final class PermissionActions {

    private final ControlPlane cp;

    PermissionActions(ControlPlane cp) {
        this.cp = Objects.requireNonNull(cp, "cp");
    }

    String modify(Caller c, QueryParams p, String rid) {
        String serviceId = p.required("ServiceId");
        List<String> add = p.list("AddAllowedPrincipals");
        cp.modifyServicePermissions(c, serviceId, add, p.list("RemoveAllowedPrincipals"));
        List<AllowedPrincipal> added = cp.permissions(serviceId).stream()
                .filter(a -> add.contains(a.principal().arn())).toList();
        return Xml.response("ModifyVpcEndpointServicePermissions", rid, x -> {
            if (!added.isEmpty()) {
                x.items("addedPrincipalSet", added, PermissionActions::permission);
            }
            x.text("return", true);
        });
    }

    private static void permission(Xml y, AllowedPrincipal a) {
        y.text("principalType", a.principalType());
        y.text("principal", a.principal().arn());
        y.text("servicePermissionId", permissionId(a));
        y.text("serviceId", a.serviceId());
    }

    private static String permissionId(AllowedPrincipal a) {
        String hex = String.format("%08x%09x", a.serviceId().hashCode(), a.principal().arn().hashCode() & 0xfffffffffL);
        return "vpce-svc-perm-" + hex.substring(0, 17);
    }

    String describe(Caller c, QueryParams p, String rid) {
        Page<AllowedPrincipal> page = cp.describeServicePermissions(c, p.required("ServiceId"), p.filters(), p.page());
        return Ec2Shapes.page("DescribeVpcEndpointServicePermissions", rid, "allowedPrincipals", page,
                PermissionActions::permission);
    }
}
