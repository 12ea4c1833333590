package io.plsim.dataplane.fault;

import io.netty.channel.ChannelHandler;
import io.plsim.core.model.Fault;

/**
 * The stages a connection's faults act through: in each direction, one handler per kind, made when
 * the first fault of that kind reaches the connection and joined by the others, which it then acts
 * for together (each kind says how); and one {@link Deadline} each for timeout's close and
 * reset-peer's reset. So a connection pays once per kind of fault that applies to it however many
 * do, and a kind's place in the pipeline is where its first fault put it. Only used on the
 * connection's event loop.
 */
public final class FaultStages {

    /** A kind's handler in one direction of a connection, acting for every fault of the kind that joined it. */
    interface Stage extends ChannelHandler {

        /** Another fault of this stage's kind reached the connection: from now on it acts too. */
        void join(FaultInForce f);
    }

    private static final int KINDS = Fault.Kind.values().length;

    private final Link link;
    private final Stage[] upstream = new Stage[KINDS];
    private final Stage[] downstream = new Stage[KINDS];
    private Deadline close;
    private Deadline reset;
    /** The serial of the last fault this connection was shown. */
    private long seen;

    public FaultStages(Link link) {
        this.link = link;
    }

    /**
     * Shows the connection a fault in force; false when it was shown that fault (or a later one)
     * before, so that a fault reaches a connection once.
     */
    boolean show(FaultInForce e) {
        if (e.serial <= seen) {
            return false;
        }
        seen = e.serial;
        return true;
    }

    /** Puts a connection fault that applies to the connection to work on it. */
    void add(FaultInForce e) {
        Fault f = e.fault();
        switch (f.kind()) {
            case RESET_PEER -> {
                if (reset == null) {
                    reset = new Deadline(link, link::reset);
                }
                reset.add(e, f.param("timeout"));
            }
            case TIMEOUT -> {
                join(f.stream(), e);
                if (f.param("timeout") > 0) {
                    if (close == null) {
                        close = new Deadline(link, link::close);
                    }
                    close.add(e, f.param("timeout"));
                }
            }
            case LATENCY, SLICER, LIMIT_DATA, SLOW_CLOSE, BANDWIDTH -> join(f.stream(), e);
            default -> throw new IllegalArgumentException(f.kind() + " is not a connection fault");
        }
    }

    private void join(Fault.Stream stream, FaultInForce e) {
        if (stream != Fault.Stream.DOWNSTREAM) {
            join(upstream, e, true);
        }
        if (stream != Fault.Stream.UPSTREAM) {
            join(downstream, e, false);
        }
    }

    private void join(Stage[] stages, FaultInForce e, boolean towardsTarget) {
        int k = e.fault().kind().ordinal();
        if (stages[k] != null) {
            stages[k].join(e);
            return;
        }
        Stage s = switch (e.fault().kind()) {
            case LATENCY -> new Latency(e);
            case SLICER -> new Slicer(e);
            case LIMIT_DATA -> new LimitData(e, link);
            case SLOW_CLOSE -> new SlowClose(e);
            case BANDWIDTH -> new Bandwidth(e);
            case TIMEOUT -> new Timeout(e);
            default -> throw new IllegalArgumentException(e.fault().kind() + " has no stage");
        };
        stages[k] = s;
        if (towardsTarget) {
            link.addUpstream(s);
        } else {
            link.addDownstream(s);
        }
    }
}
