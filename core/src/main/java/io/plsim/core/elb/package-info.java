/**
 * The load balancers as ELBv2 shows and changes them: listeners, target groups, the attributes the data
 * plane models, health checks and registered targets. Plain Java, no threads; the data plane follows it
 * through {@link io.plsim.core.elb.LoadBalancingListener} and reports target health through
 * {@link io.plsim.core.elb.TargetHealthSource}. The entry point is {@link io.plsim.core.elb.LoadBalancing}.
 */
package io.plsim.core.elb;
