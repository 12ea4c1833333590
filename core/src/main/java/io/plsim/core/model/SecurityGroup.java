package io.plsim.core.model;

/**
 * A security group of a VPC. Every VPC has its {@code default} group; a sim-config may declare more.
 * plsim records which groups an endpoint's network interfaces carry but does not filter traffic by
 * them (see the deliberate differences in docs/control-plane.md).
 */
public record SecurityGroup(String id, String vpcId, String accountId, String name, String description) {

    public static final String DEFAULT_NAME = "default";

    /**
     * A VPC's default group. Its ID repeats the VPC ID's hexadecimal part ({@code vpc-0a1b...} has
     * {@code sg-0a1b...}), so a reader can tell whose default group it is.
     */
    public static SecurityGroup defaultOf(Vpc vpc) {
        return new SecurityGroup("sg-" + vpc.id().substring("vpc-".length()), vpc.id(), vpc.accountId(),
                DEFAULT_NAME, "default VPC security group");
    }

    public boolean isDefault() {
        return DEFAULT_NAME.equals(name);
    }
}
