package io.plsim.dataplane;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.plsim.core.control.EndpointState;

/**
 * Admission of one interface endpoint, driven by the control plane's listener: connections pass
 * only while the endpoint is {@code available}. When it stops being available (rejected, deleted),
 * every open connection is reset.
 *
 * <p>{@link #admit} registers a connection and then checks the state again, so a connection that
 * races a rejection is either seen by the rejection's reset pass or refused by the second check;
 * none slips through once {@link #update} has returned.
 */
final class EndpointGate {

    final String endpointId;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile EndpointState state;

    EndpointGate(String endpointId, EndpointState state) {
        this.endpointId = endpointId;
        this.state = state;
    }

    /** The admission check of the hot path: one volatile read, no allocation. */
    boolean isOpen() {
        return state == EndpointState.AVAILABLE;
    }

    EndpointState state() {
        return state;
    }

    boolean admit(Channel ch) {
        if (!isOpen()) {
            return false;
        }
        connections.add(ch);
        if (!isOpen()) {
            connections.remove(ch);
            return false;
        }
        return true;
    }

    void update(EndpointState now) {
        state = now;
        if (now != EndpointState.AVAILABLE) {
            reset(ch -> true);
        }
    }

    /** Resets the open connections that {@code which} picks, whatever the state. */
    void reset(java.util.function.Predicate<Channel> which) {
        for (Channel ch : connections) {
            if (which.test(ch)) {
                Flow.of(ch).ifPresentOrElse(Flow::reset, () -> Flow.rst(ch));
            }
        }
    }

    int openConnections() {
        return connections.size();
    }
}
