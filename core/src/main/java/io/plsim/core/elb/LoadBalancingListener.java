package io.plsim.core.elb;

import io.plsim.core.model.LoadBalancer;
import java.util.List;

/**
 * Told of every change the ELBv2 API makes, in order, on the caller's thread and after the change is in
 * place: the data plane follows the load balancers through it.
 */
public interface LoadBalancingListener {

    /** A load balancer's settings changed; {@code now} is all of them. */
    default void settingsChanged(LoadBalancerSettings now) {
    }

    /** Targets were registered with a load balancer's target groups: they start {@code initial}. */
    default void targetsRegistered(String loadBalancerArn, List<LoadBalancer.Target> targets) {
    }

    /** Targets were deregistered: they drain for the deregistration delay, then go. */
    default void targetsDeregistered(String loadBalancerArn, List<LoadBalancer.Target> targets) {
    }
}
