package io.plsim.core.control;

import java.util.Arrays;
import java.util.Optional;

/** The verification states of an endpoint service's private DNS name, spelled as on the wire. */
public enum DnsNameState {
    PENDING_VERIFICATION("pendingVerification"), VERIFIED("verified"), FAILED("failed");

    private final String wire;

    DnsNameState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<DnsNameState> ofWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
    }

    @Override
    public String toString() {
        return wire;
    }
}
