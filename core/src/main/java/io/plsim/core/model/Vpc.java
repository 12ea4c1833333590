package io.plsim.core.model;

/** A VPC of one account. */
public record Vpc(String id, String accountId, Cidr cidr) {
}
