package io.plsim.dataplane.fault;

/** {@code reset-peer}: resets the connection (TCP RST) {@code timeout} milliseconds after it opened. */
final class ResetPeer {

    private ResetPeer() {
    }

    static void install(FaultInForce f, Link link) {
        link.schedule(() -> {
            if (f.active()) {
                link.reset();
            }
        }, f.param("timeout"));
    }
}
