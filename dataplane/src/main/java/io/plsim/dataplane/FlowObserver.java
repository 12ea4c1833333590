package io.plsim.dataplane;

import io.plsim.core.model.Fault;
import java.net.InetSocketAddress;

/**
 * Told where each connection accepted on an endpoint interface went: the interface, node and
 * target the data plane chose for it, or why it was refused. A fault experiment uses it to know
 * which target a failed request reached, so that a failure is blamed only on a fault whose scope
 * covers it. Called on the connection's event loop, once per connection, before any of its bytes
 * are relayed; it must return at once.
 */
@FunctionalInterface
public interface FlowObserver {

    void placed(Placement placement);

    /**
     * Where one connection went.
     *
     * @param client       the consumer's address, as the interface saw it
     * @param at           the interface's zone, endpoint, interface and node, and the target once chosen
     * @param targetZoneId the chosen target's zone, or null when none was chosen
     * @param denied       the denial reason the counters record, or null when the connection was let in
     * @param acceptedNanos when it was accepted, on {@link System#nanoTime()}'s clock: a client that
     *                     reuses a port can tell its own connection from an earlier one's
     */
    record Placement(InetSocketAddress client, Fault.Location at, String targetZoneId, String denied,
                     long acceptedNanos) {
    }
}
