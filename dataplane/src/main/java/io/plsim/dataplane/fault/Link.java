package io.plsim.dataplane.fault;

import io.netty.channel.ChannelHandler;

/**
 * What a connection fault sees of the connection it acts on: the two directions it may put a
 * handler in, a clock to act later on the connection's own event loop, and the two ways to end it.
 * Nothing else of the data plane is visible through it, so a fault cannot reach the runtime.
 */
public interface Link {

    /**
     * Puts a handler at the socket end of the consumer-to-target direction: it sees every write
     * towards the target after the handlers added before it.
     */
    void addUpstream(ChannelHandler handler);

    /** Puts a handler at the socket end of the target-to-consumer direction. */
    void addDownstream(ChannelHandler handler);

    /** Runs {@code task} on the connection's event loop after {@code delayMillis}. */
    void schedule(Runnable task, long delayMillis);

    /** Ends both sides with a TCP RST. */
    void reset();

    /** Ends both sides gracefully, once what was written to each is flushed. */
    void close();
}
