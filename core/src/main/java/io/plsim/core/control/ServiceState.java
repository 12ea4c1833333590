package io.plsim.core.control;

/** States of an endpoint service configuration, spelled as on the wire. */
public enum ServiceState {
    PENDING("Pending"), AVAILABLE("Available"), DELETING("Deleting"), DELETED("Deleted"), FAILED("Failed");

    private final String wire;

    ServiceState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
