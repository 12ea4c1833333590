package io.plsim.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fixed part of a simulated world: its region, accounts, VPCs, subnets, security groups and
 * load balancers.
 * What the control plane creates and changes (services, endpoints) lives in the control plane.
 */
public record Topology(String region, Map<String, Account> accounts, Map<String, Vpc> vpcs,
                       Map<String, Subnet> subnets, Map<String, SecurityGroup> securityGroups,
                       Map<String, LoadBalancer> loadBalancers) {

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    public Topology {
        accounts = frozen(accounts);
        vpcs = frozen(vpcs);
        subnets = frozen(subnets);
        securityGroups = frozen(securityGroups);
        loadBalancers = frozen(loadBalancers);
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    public Optional<Account> account(String id) {
        return Optional.ofNullable(accounts.get(id));
    }

    /** The default security group of a VPC. */
    public Optional<SecurityGroup> defaultGroup(String vpcId) {
        return securityGroups.values().stream().filter(g -> g.vpcId().equals(vpcId) && g.isDefault()).findFirst();
    }

    public Optional<LoadBalancer> loadBalancer(String arn) {
        return Optional.ofNullable(loadBalancers.get(arn));
    }

    /**
     * The principal an access key ID stands for: a configured key, or a 12-digit key that names
     * an account of the world and stands for its root.
     */
    public Optional<Principal> principalForAccessKey(String accessKeyId) {
        for (Account a : accounts.values()) {
            Principal p = a.accessKeys().get(accessKeyId);
            if (p != null) {
                return Optional.of(p);
            }
        }
        if (accessKeyId != null && ACCOUNT_ID.matcher(accessKeyId).matches() && accounts.containsKey(accessKeyId)) {
            return Optional.of(Principal.root(accessKeyId));
        }
        return Optional.empty();
    }
}
