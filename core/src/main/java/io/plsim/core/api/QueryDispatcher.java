package io.plsim.core.api;

import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.model.Topology;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One Query API's action table and the way every request goes through it: the parameters parsed, the
 * action looked up, the caller found from the SigV4 credential, the action run, and whatever it throws
 * turned into an error document. What differs between EC2 and ELBv2 (the service of the credential
 * scope, the wording and status of errors, EC2's DryRun and client tokens) is its {@link Dialect}.
 *
 * <p>Invariant: every request gets exactly one {@link QueryResponse} carrying a fresh request ID, and no
 * exception leaves {@link #handle}; a refusal of the control plane is a 4xx, a bug a 500, never a stack
 * trace on the wire.
 */
final class QueryDispatcher {

    /** One action: the caller and the request's parameters in, the XML body of its 200 answer out. */
    @FunctionalInterface
    interface Action {
        String run(Caller caller, QueryParams p, String requestId);
    }

    /** How one service words what the dispatcher decides. */
    interface Dialect {
        /** The service a request's credential scope must name, as in {@code .../ec2/aws4_request}. */
        String service();

        /** The message of {@code InvalidAction} for an action the table does not hold. */
        String unknownAction(String name, Collection<String> known);

        /** The answer to a request the control plane (or the API's own checks) refused. */
        QueryResponse refused(ControlPlaneException e, String requestId);

        /** The answer to a request that failed on a bug: {@code message} names no more than the exception's class. */
        QueryResponse failed(String message, String requestId);

        /** Runs an action the caller may call; a dialect with request-wide flags answers them here. */
        default QueryResponse answer(String name, Action action, Caller caller, QueryParams p, String requestId) {
            return new QueryResponse(200, action.run(caller, p, requestId));
        }
    }

    private final Topology topology;
    private final Dialect dialect;
    private final Supplier<String> requestIds;
    private final Map<String, Action> actions;

    /** @param actions the table, in the order {@link #actions()} lists it */
    QueryDispatcher(Topology topology, Dialect dialect, Supplier<String> requestIds, Map<String, Action> actions) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.requestIds = Objects.requireNonNull(requestIds, "requestIds");
        this.actions = new LinkedHashMap<>(actions);
    }

    /** The actions of the table, in its order. */
    List<String> actions() {
        return List.copyOf(actions.keySet());
    }

    /**
     * Answers one request.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param parameters    the form-encoded body and, for GET, the query string; each may be null
     */
    QueryResponse handle(String authorization, String... parameters) {
        String requestId = requestIds.get();
        try {
            QueryParams p = QueryParams.parse(parameters);
            String name = p.string("Action");
            if (name == null || name.isEmpty()) {
                throw new ControlPlaneException("MissingAction", "The request must contain the parameter Action");
            }
            Action action = actions.get(name);
            if (action == null) {
                throw new ControlPlaneException("InvalidAction", dialect.unknownAction(name, actions.keySet()));
            }
            Caller caller = Credentials.caller(topology, authorization, dialect.service());
            return dialect.answer(name, action, caller, p, requestId);
        } catch (ControlPlaneException e) {
            return dialect.refused(e, requestId);
        } catch (RuntimeException e) {
            // A bug, not bad input: still one clear answer, never a stack trace on the wire.
            return dialect.failed("plsim could not answer this request: " + e.getClass().getSimpleName(), requestId);
        }
    }
}
