package io.plsim.core.control;

import java.util.Optional;

/** The endpoint events a connection notification can subscribe to. */
public enum ConnectionEvent {
    CONNECT("Connect"), ACCEPT("Accept"), REJECT("Reject"), DELETE("Delete");

    private final String wire;

    ConnectionEvent(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<ConnectionEvent> ofWire(String text) {
        for (ConnectionEvent e : values()) {
            if (e.wire.equals(text)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
