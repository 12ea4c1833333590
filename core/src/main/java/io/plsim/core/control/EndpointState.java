package io.plsim.core.control;

/** States of an interface endpoint, spelled as on the wire. */
public enum EndpointState {
    PENDING_ACCEPTANCE("pendingAcceptance"),
    PENDING("pending"),
    AVAILABLE("available"),
    DELETING("deleting"),
    DELETED("deleted"),
    REJECTED("rejected"),
    FAILED("failed"),
    EXPIRED("expired");

    private final String wire;

    EndpointState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Whether the endpoint holds its network interfaces on the service's load balancers. */
    public boolean isAttached() {
        return this == PENDING_ACCEPTANCE || this == PENDING || this == AVAILABLE;
    }

    @Override
    public String toString() {
        return wire;
    }
}
