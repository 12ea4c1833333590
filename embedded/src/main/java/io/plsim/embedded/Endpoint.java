package io.plsim.embedded;

import io.plsim.core.control.EndpointState;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * An interface endpoint as the world has it at the moment it was asked: its state, its DNS names
 * and its network interfaces with the ports they listen on. A snapshot, not a live view: it does
 * not change when the world does; ask {@link PlsimWorld#endpoint(String)} again to see a change,
 * or wait for one with {@link PlsimWorld#waitForState}.
 *
 * @param status        its state, as the EC2 API reports it
 * @param zonalDnsNames by zone name, as the endpoint's owner names its zones
 */
public record Endpoint(String id, String serviceId, String ownerId, State status, String regionalDnsName,
                       Map<String, String> zonalDnsNames, List<Interface> interfaces) {

    public Endpoint {
        zonalDnsNames = Map.copyOf(zonalDnsNames);
        interfaces = List.copyOf(interfaces);
    }

    /**
     * The state as the EC2 API spells it ({@code available}, {@code pendingAcceptance}, ...).
     *
     * @deprecated compare {@link #status()} with a {@link State} instead: a misspelt string compares unequal silently
     */
    @Deprecated
    public String state() {
        return status.wire();
    }

    /**
     * An endpoint's state, each with the EC2 API's spelling. One constant per state of the engine's
     * {@code EndpointState}, by the same name, whose spelling it takes, so that the two cannot drift.
     */
    public enum State {
        PENDING_ACCEPTANCE, PENDING, AVAILABLE, DELETING, DELETED, REJECTED, FAILED, EXPIRED;

        private final String wire = EndpointState.valueOf(name()).wire();

        static State of(EndpointState state) {
            return valueOf(state.name());
        }

        /** As the EC2 API spells it: {@code pendingAcceptance}. */
        public String wire() {
            return wire;
        }

        /** @throws IllegalArgumentException naming the states there are */
        public static State ofWire(String wire) {
            for (State s : values()) {
                if (s.wire.equals(wire)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("no endpoint state " + wire + "; one of "
                    + java.util.Arrays.stream(values()).map(State::wire).toList());
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /**
     * One network interface of the endpoint, in one zone.
     *
     * @param ports the load balancer's listener ports this interface listens on now (none while the
     *              endpoint is not available)
     */
    public record Interface(String networkInterfaceId, String zoneName, String zoneId, String ip, List<Integer> ports) {
        public Interface {
            ports = List.copyOf(ports);
        }

        /** Where to connect: this interface at its first listener port. */
        public InetSocketAddress address() {
            if (ports.isEmpty()) {
                throw new IllegalStateException("interface " + networkInterfaceId + " (" + ip + ") does not listen:"
                        + " the endpoint is not available");
            }
            return new InetSocketAddress(ip, ports.get(0));
        }
    }

    /** Where to connect: the first interface at its first listener port. */
    public InetSocketAddress address() {
        if (interfaces.isEmpty()) {
            throw new IllegalStateException("endpoint " + id + " has no network interface");
        }
        return interfaces.get(0).address();
    }

    /** Where to connect in one zone, by the owner's zone name ({@code us-east-1a}) or the zone ID. */
    public InetSocketAddress address(String zone) {
        return interfaces.stream().filter(i -> i.zoneName().equals(zone) || i.zoneId().equals(zone)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("endpoint " + id + " has no interface in " + zone
                        + "; it has " + interfaces.stream().map(Interface::zoneName).toList()))
                .address();
    }
}
