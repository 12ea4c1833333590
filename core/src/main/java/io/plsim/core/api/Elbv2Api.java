package io.plsim.core.api;

import io.plsim.core.api.QueryDispatcher.Action;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.elb.LoadBalancing;
import io.plsim.core.model.Topology;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The ELBv2 Query API ({@code elasticloadbalancing}, version 2015-12-01) for the load balancers of a world,
 * as request -> response functions, with the shapes and error codes of the service model. Lists are
 * {@code Name.member.N} in requests and {@code <Name><member>} in answers; errors are
 * {@code <ErrorResponse><Error><Type>Sender</Type><Code>..}.
 */
final class Elbv2Api {

    private final QueryDispatcher dispatcher;

    Elbv2Api(Topology topology, LoadBalancing lbs, Supplier<String> requestIds) {
        LoadBalancingActions elb = new LoadBalancingActions(lbs);
        Map<String, Action> actions = new LinkedHashMap<>();
        actions.put("DescribeLoadBalancers", elb::describeLoadBalancers);
        actions.put("DescribeListeners", elb::describeListeners);
        actions.put("DescribeTargetGroups", elb::describeTargetGroups);
        actions.put("DescribeTargetHealth", elb::describeTargetHealth);
        actions.put("DescribeTags", elb::describeTags);
        actions.put("AddTags", elb::addTags);
        actions.put("RemoveTags", elb::removeTags);
        actions.put("DescribeListenerAttributes", elb::describeListenerAttributes);
        actions.put("DescribeLoadBalancerAttributes", elb::describeLoadBalancerAttributes);
        actions.put("ModifyLoadBalancerAttributes", elb::modifyLoadBalancerAttributes);
        actions.put("DescribeTargetGroupAttributes", elb::describeTargetGroupAttributes);
        actions.put("ModifyTargetGroupAttributes", elb::modifyTargetGroupAttributes);
        actions.put("ModifyTargetGroup", elb::modifyTargetGroup);
        actions.put("RegisterTargets", elb::registerTargets);
        actions.put("DeregisterTargets", elb::deregisterTargets);
        this.dispatcher = new QueryDispatcher(topology, new Elbv2Dialect(), requestIds, actions);
    }

    List<String> actions() {
        return dispatcher.actions();
    }

    QueryResponse handle(String authorization, String... parameters) {
        return dispatcher.handle(authorization, parameters);
    }

    /**
     * The Query protocol's wording outside EC2: {@code <ErrorResponse>} documents, 403 for an unknown key
     * ({@code InvalidClientTokenId}), and every malformed parameter a {@code ValidationError}.
     */
    private static final class Elbv2Dialect implements QueryDispatcher.Dialect {
        @Override
        public String service() {
            return "elasticloadbalancing";
        }

        @Override
        public String unknownAction(String name, Collection<String> known) {
            return "The action " + name + " is not valid for this web service (plsim answers ELBv2's "
                    + String.join(", ", known) + ")";
        }

        @Override
        public QueryResponse refused(ControlPlaneException e, String requestId) {
            String code = switch (e.code()) {
                case "MissingParameter", "InvalidParameterValue" -> "ValidationError";
                default -> e.code();
            };
            boolean auth = code.equals("AuthFailure");
            int status = auth || code.equals(Credentials.WRONG_SERVICE) ? 403 : 400;
            return new QueryResponse(status, Xml.elbError(auth ? "InvalidClientTokenId" : code, e.getMessage(),
                    requestId));
        }

        @Override
        public QueryResponse failed(String message, String requestId) {
            return new QueryResponse(500, Xml.elbError("InternalFailure", message, requestId));
        }
    }
}
