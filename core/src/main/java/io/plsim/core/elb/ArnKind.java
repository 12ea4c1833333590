package io.plsim.core.elb;

import io.plsim.core.control.ControlPlaneException;
import java.util.regex.Pattern;

/**
 * The kinds of ARN ELBv2 takes, each with its syntax. A string that cannot be an ARN of its kind is a
 * {@code ValidationError}, as ELBv2 answers it, before any lookup: only a well-formed ARN that names
 * nothing of the caller's is {@code LoadBalancerNotFound}, {@code TargetGroupNotFound} or
 * {@code ListenerNotFound}.
 */
enum ArnKind {
    LOAD_BALANCER("load balancer", "loadbalancer/(net|app|gwy)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}"),
    TARGET_GROUP("target group", "targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}"),
    LISTENER("listener", "listener/(net|app|gwy)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}");

    private final String noun;
    private final Pattern syntax;

    ArnKind(String noun, String resource) {
        this.noun = noun;
        this.syntax = Pattern.compile("arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:" + resource);
    }

    /** Answers {@code arn}, refused with ELBv2's {@code ValidationError} when it is not an ARN of this kind. */
    String check(String arn) {
        if (arn == null || !syntax.matcher(arn).matches()) {
            throw new ControlPlaneException("ValidationError", "'" + arn + "' is not a valid " + noun + " ARN");
        }
        return arn;
    }
}
