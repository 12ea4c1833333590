package io.plsim.core.elb;

/**
 * A target group of a load balancer. A sim-config implies one per listener, named after the load balancer and
 * the port, all forwarding to the load balancer's targets.
 *
 * @param arn             {@code arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<16 hex>}
 * @param name            {@code <load balancer>-<port>}, at most 32 characters
 * @param loadBalancerArn the load balancer whose listener forwards to it
 * @param port            the listener's port, which is the group's port
 * @param vpcId           the VPC whose subnet holds the load balancer's first node, or null when none does
 */
public record TargetGroup(String arn, String name, String loadBalancerArn, int port, String vpcId) {
}
