package io.plsim.core.elb;

/**
 * A TCP listener of a load balancer, forwarding to one target group.
 *
 * @param arn             {@code arn:aws:elasticloadbalancing:<region>:<account>:listener/net/<name>/<lb id>/<16 hex>}
 * @param loadBalancerArn its load balancer
 * @param port            the port it listens on
 * @param targetGroupArn  where it forwards
 */
public record Listener(String arn, String loadBalancerArn, int port, String targetGroupArn) {
}
