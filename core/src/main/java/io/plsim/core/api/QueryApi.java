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
    public Ec2Api.Response handle(String authorization, String... parameters) {
        boolean elb = Credentials.service(authorization).filter("elasticloadbalancing"::equals).isPresent();
        return elb ? elbv2.handle(authorization, parameters) : ec2.handle(authorization, parameters);
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
