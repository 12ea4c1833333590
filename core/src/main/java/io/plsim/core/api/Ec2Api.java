package io.plsim.core.api;

import io.plsim.core.api.QueryDispatcher.Action;
import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.ControlPlaneException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The EC2 Query API of the control plane, as request -> response functions: the AWS CLI, the SDKs
 * and any other EC2 client can drive plsim through it. No I/O: a server hands it the
 * {@code Authorization} header and the form-encoded parameters, and sends back what it answers.
 *
 * <p>The caller is the principal the access key ID of the SigV4 {@code Authorization} header stands
 * for in the sim-config (a 12-digit key ID of an account stands for its root); the region is the
 * one of the credential scope. Signatures are not checked.
 */
public final class Ec2Api {

    private final QueryDispatcher dispatcher;

    public Ec2Api(ControlPlane cp) {
        this(cp, () -> UUID.randomUUID().toString());
    }

    Ec2Api(ControlPlane cp, Supplier<String> requestIds) {
        Objects.requireNonNull(cp, "cp");
        ServiceConfigurationActions services = new ServiceConfigurationActions(cp);
        PermissionActions permissions = new PermissionActions(cp);
        ConnectionActions connections = new ConnectionActions(cp);
        NotificationActions notifications = new NotificationActions(cp);
        EndpointActions endpoints = new EndpointActions(cp);
        NetworkReadActions network = new NetworkReadActions(cp);
        Map<String, Action> actions = new LinkedHashMap<>();
        actions.put("CreateVpcEndpointServiceConfiguration", services::create);
        actions.put("DescribeVpcEndpointServiceConfigurations", services::describe);
        actions.put("ModifyVpcEndpointServiceConfiguration", services::modify);
        actions.put("DeleteVpcEndpointServiceConfigurations", services::delete);
        actions.put("ModifyVpcEndpointServicePermissions", permissions::modify);
        actions.put("DescribeVpcEndpointServicePermissions", permissions::describe);
        actions.put("DescribeVpcEndpointConnections", connections::describe);
        actions.put("AcceptVpcEndpointConnections", connections::accept);
        actions.put("RejectVpcEndpointConnections", connections::reject);
        actions.put("CreateVpcEndpointConnectionNotification", notifications::create);
        actions.put("DescribeVpcEndpointConnectionNotifications", notifications::describe);
        actions.put("ModifyVpcEndpointConnectionNotification", notifications::modify);
        actions.put("DeleteVpcEndpointConnectionNotifications", notifications::delete);
        actions.put("CreateVpcEndpoint", endpoints::create);
        actions.put("DescribeVpcEndpoints", endpoints::describe);
        actions.put("DeleteVpcEndpoints", endpoints::delete);
        actions.put("DescribeVpcEndpointServices", services::describeServices);
        actions.put("DescribeAvailabilityZones", network::describeAvailabilityZones);
        actions.put("CreateTags", endpoints::createTags);
        actions.put("ModifyVpcEndpoint", endpoints::modify);
        actions.put("DeleteTags", endpoints::deleteTags);
        actions.put("DescribeTags", endpoints::describeTags);
        actions.put("DescribeVpcs", network::describeVpcs);
        actions.put("DescribeSubnets", network::describeSubnets);
        actions.put("DescribeSecurityGroups", network::describeSecurityGroups);
        actions.put("DescribeNetworkInterfaces", network::describeNetworkInterfaces);
        actions.put("StartVpcEndpointServicePrivateDnsVerification", services::startPrivateDnsVerification);
        this.dispatcher = new QueryDispatcher(cp.topology(), new Ec2Dialect(), requestIds, actions);
    }

    /**
     * The actions this API answers: the user guide's in its order, then the reads around them, then
     * what EC2 has added since (private DNS names).
     */
    public List<String> actions() {
        return dispatcher.actions();
    }

    /**
     * Answers one request.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param parameters    the form-encoded body and, for GET, the query string; each may be null
     */
    public QueryResponse handle(String authorization, String... parameters) {
        return dispatcher.handle(authorization, parameters);
    }

    /**
     * EC2's wording: {@code <Response><Errors>} documents, 401 for an unknown key, and the request-wide
     * {@code DryRun} and {@code ClientToken}. A client token is remembered per account and action, so a
     * retry gets the first answer and the same token with other parameters is refused.
     */
    private static final class Ec2Dialect implements QueryDispatcher.Dialect {
        private final ClientTokens clientTokens = new ClientTokens();

        @Override
        public String service() {
            return "ec2";
        }

        @Override
        public String unknownAction(String name, Collection<String> known) {
            return "The action " + name + " is not valid for this web service.";
        }

        @Override
        public QueryResponse answer(String name, Action action, Caller caller, QueryParams p, String requestId) {
            if (Boolean.TRUE.equals(p.bool("DryRun"))) {
                return new QueryResponse(412, Xml.error("DryRunOperation",
                        "Request would have succeeded, but DryRun flag is set.", requestId));
            }
            String token = p.string("ClientToken");
            if (token != null) {
                return new QueryResponse(200, clientTokens.answer(caller.accountId() + "|" + name, token,
                        p.canonical(), () -> action.run(caller, p, requestId)));
            }
            return new QueryResponse(200, action.run(caller, p, requestId));
        }

        @Override
        public QueryResponse refused(ControlPlaneException e, String requestId) {
            int status = switch (e.code()) {
                case "AuthFailure" -> 401;
                case Credentials.WRONG_SERVICE -> 403;
                default -> 400;
            };
            return new QueryResponse(status, Xml.error(e.code(), e.getMessage(), requestId));
        }

        @Override
        public QueryResponse failed(String message, String requestId) {
            return new QueryResponse(500, Xml.error("InternalError", message, requestId));
        }
    }
}
