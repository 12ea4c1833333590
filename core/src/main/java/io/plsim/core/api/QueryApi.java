package io.plsim.core.api;

import io.plsim.core.config.World;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The AWS Query APIs of a world on one endpoint, as the AWS CLI and SDKs reach it: EC2 (the endpoint services
 * of the user guide) and ELBv2 (the load balancers behind them), told apart by the service the request's SigV4
 * credential scope names, as AWS tells them apart by host name. This is the entry point of
 * {@code io.plsim.core.api}.
 */
public final class QueryApi {

    private final Ec2Api ec2;
    private final Elbv2Api elbv2;
    private final Object changes = new Object();
    private volatile ChangeRecorder recorder;
    private volatile Runnable afterChange = () -> { };

    public QueryApi(World world) {
        this(world, () -> UUID.randomUUID().toString());
    }

    QueryApi(World world, Supplier<String> requestIds) {
        this.ec2 = new Ec2Api(world.controlPlane(), requestIds);
        this.elbv2 = new Elbv2Api(world.topology(), world.loadBalancing(), requestIds);
    }

    /**
     * Answers one request.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param parameters    the form-encoded body and, for GET, the query string; each may be null
     */
    public QueryResponse handle(String authorization, String... parameters) {
        if (isRead(parameters)) {
            return dispatch(authorization, parameters);
        }
        QueryResponse answer = change(authorization, parameters);
        afterChange.run();
        return answer;
    }

    private QueryResponse change(String authorization, String... parameters) {
        ChangeRecorder r = recorder;
        if (r == null) {
            return dispatch(authorization, parameters);
        }
        // Changes are applied and recorded one at a time, so the record is in the order they were applied.
        synchronized (changes) {
            try {
                r.begin();
            } catch (RuntimeException e) {
                return new QueryResponse(503, Xml.error("ServiceUnavailable", "plsim takes no changes now: "
                        + e.getMessage(), "state"));
            }
            try {
                return recorded(r, authorization, parameters);
            } finally {
                r.end();
            }
        }
    }

    private QueryResponse recorded(ChangeRecorder r, String authorization, String... parameters) {
        QueryResponse answer = dispatch(authorization, parameters);
        String[] scope = Credentials.scope(authorization).orElse(null);
        if (scope == null) {
            return answer; // no caller: refused before it could touch anything
        }
        StringBuilder joined = new StringBuilder();
        for (String p : parameters) {
            if (p != null && !p.isEmpty()) {
                joined.append(joined.length() == 0 ? "" : "&").append(p);
            }
        }
        try {
            r.changed(scope[0], scope[1], scope[2], joined.toString(), answer.status() == 200);
        } catch (RuntimeException e) {
            return new QueryResponse(500, Xml.error("InternalError", "The change was made, but plsim could"
                    + " not record it in its state: " + e.getMessage(), "state"));
        }
        return answer;
    }

    private QueryResponse dispatch(String authorization, String... parameters) {
        boolean elb = switch (Credentials.service(authorization).orElse("ec2")) {
            case "elasticloadbalancing" -> true;
            case "ec2" -> false;
            // Signed for a service plsim does not serve (s3, say): the API whose action it asks for
            // refuses the scope, as that service's endpoint would.
            default -> elbv2.actions().contains(action(parameters));
        };
        return elb ? elbv2.handle(authorization, parameters) : ec2.handle(authorization, parameters);
    }

    /** The request's action, or null when it names none or cannot be read. */
    private static String action(String... parameters) {
        try {
            return QueryParams.parse(parameters).string("Action");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether a request only reads (a Describe action), or is not a request at all: nothing to record. */
    private static boolean isRead(String... parameters) {
        String action = action(parameters);
        return action == null || action.startsWith("Describe");
    }

    /**
     * Told of every request that may change the world (every action but the Describe ones), in the order
     * they were tried, before each is answered: those refused too, so that a replay meets every request
     * that could have drawn on the world's seeded IDs. They are tried one at a time, between
     * {@link #begin} and {@link #end}.
     */
    public interface ChangeRecorder {
        /** A request that may change the world is about to be tried; throwing refuses it untried. */
        void begin();

        /** It was tried: the caller, the request's form-encoded parameters, and whether it was accepted. */
        void changed(String accessKeyId, String region, String service, String parameters, boolean accepted);

        /** The request is answered, whether it changed anything or not. */
        void end();
    }

    /**
     * Runs {@code settle} after every request that may change the world and before it is answered,
     * outside the control plane's lock: the data plane waits there for the listeners a change asked
     * for, so that what a call did is in place when its answer arrives.
     */
    public void afterChanges(Runnable settle) {
        this.afterChange = settle == null ? () -> { } : settle;
    }

    /** From now on, tells {@code r} of every change; null stops. */
    public void recordChanges(ChangeRecorder r) {
        this.recorder = r;
    }

    /** The EC2 actions answered, in the order of the user guide. */
    public List<String> ec2Actions() {
        return ec2.actions();
    }

    /** The ELBv2 actions answered. */
    public List<String> elbv2Actions() {
        return elbv2.actions();
    }
}
