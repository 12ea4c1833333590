package io.plsim.embedded;

import java.util.List;

/**
 * An endpoint service as the world has it at the moment it was asked (a snapshot: ask again to see
 * a change).
 *
 * @param id                 {@code vpce-svc-...}, what the EC2 API takes
 * @param name               its name in the sim-config
 * @param serviceName        {@code com.amazonaws.vpce.REGION.vpce-svc-...}, what a consumer's endpoint names
 * @param loadBalancerArns   the Network Load Balancers behind it
 */
public record Service(String id, String name, String serviceName, String ownerId, boolean acceptanceRequired,
                      List<String> loadBalancerArns) {

    public Service {
        loadBalancerArns = List.copyOf(loadBalancerArns);
    }
}
