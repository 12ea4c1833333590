package io.plsim.dataplane.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.plsim.core.model.Fault;
import io.plsim.core.model.Fault.Location;
import io.plsim.dataplane.LeakCheck;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What many faults that apply to one connection put in its pipelines: one stage per kind and
 * direction, however many faults of that kind there are. The connection's two sides are embedded
 * channels; nothing is sent.
 */
@ExtendWith(LeakCheck.class)
class FaultStagesTest {

    private static final Location CONNECTION = Location.ofInterface("use1-az1", "vpce-0aaaaaaaaaaaaaaa1",
            "127.160.130.5", "127.160.1.10").withTarget("127.0.0.1:9001");
    /** One harmless fault of each kind that puts a handler in the pipeline. */
    private static final List<Map<String, String>> KINDS = List.of(
            Map.of("fault", "latency", "latency", "0"),
            Map.of("fault", "bandwidth", "rate", "10000000"),
            Map.of("fault", "slow-close", "delay", "0"),
            Map.of("fault", "timeout", "timeout", "0"),
            Map.of("fault", "slicer", "averageSize", String.valueOf(16 << 20)),
            Map.of("fault", "limit-data", "bytes", String.valueOf(1L << 40)),
            Map.of("fault", "reset-peer", "timeout", "86400000"));

    private final EmbeddedChannel upstream = new EmbeddedChannel();
    private final EmbeddedChannel downstream = new EmbeddedChannel();
    /** Timers the faults set on the connection. */
    private int timers;
    private final Link link = new Link() {
        @Override
        public void addUpstream(ChannelHandler handler) {
            upstream.pipeline().addFirst(handler);
        }

        @Override
        public void addDownstream(ChannelHandler handler) {
            downstream.pipeline().addFirst(handler);
        }

        @Override
        public void schedule(Runnable task, long delayMillis) {
            timers++;
            upstream.eventLoop().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void reset() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void close() {
        upstream.finishAndReleaseAll();
        downstream.finishAndReleaseAll();
    }

    private static Fault fault(Map<String, String> kind, String stream, String toxicity) {
        Map<String, String> fields = new TreeMap<>(kind);
        fields.put("stream", stream);
        fields.put("toxicity", toxicity);
        fields.put("endpoint", CONNECTION.endpointId());
        return Fault.parse(fields);
    }

    /** The handlers in a pipeline, by class name. */
    private static Map<String, Integer> handlers(EmbeddedChannel ch) {
        Map<String, Integer> out = new TreeMap<>();
        ch.pipeline().forEach(e -> out.merge(e.getValue().getClass().getSimpleName(), 1, Integer::sum));
        return out;
    }

    @Test
    void aThousandFaultsThatApplyPutOneHandlerPerKindInEachDirection() {
        FaultTable table = new FaultTable(1);
        // Kinds interleaved, both streams and one-way ones, and some that never apply (toxicity 0).
        String[] streams = {"both", "upstream", "downstream"};
        for (int i = 0; i < 1000; i++) {
            table.add(fault(KINDS.get(i % KINDS.size()), streams[i / KINDS.size() % 3], i % 10 == 9 ? "0" : "1"),
                    Instant.EPOCH);
        }
        table.install(CONNECTION, link);

        Map<String, Integer> oneEach = new TreeMap<>(Map.of("Latency", 1, "Bandwidth", 1, "SlowClose", 1, "Timeout", 1,
                "Slicer", 1, "LimitData", 1));
        assertEquals(oneEach, handlers(upstream), "consumer-to-target pipeline");
        assertEquals(oneEach, handlers(downstream), "target-to-consumer pipeline");
        assertEquals(1, timers, "timers set: one for the earliest reset-peer");
        for (FaultInForce e : table.list()) {
            assertEquals(e.fault().toxicity() > 0 ? 1 : 0, e.hits(), e.id() + " " + e.fault().describe());
        }
    }

    @Test
    void aRemovedFaultNoLongerCountsInTheStageItJoined() {
        FaultTable table = new FaultTable(1);
        FaultInForce small = table.add(fault(Map.of("fault", "limit-data", "bytes", "10"), "downstream", "1"),
                Instant.EPOCH);
        table.add(fault(Map.of("fault", "limit-data", "bytes", "1000"), "downstream", "1"), Instant.EPOCH);
        table.install(CONNECTION, link);

        downstream.writeOutbound(Unpooled.wrappedBuffer(new byte[5]));
        table.remove(small.id());
        downstream.writeOutbound(Unpooled.wrappedBuffer(new byte[20]));
        long through = 0;
        for (ByteBuf b; (b = downstream.readOutbound()) != null; b.release()) {
            through += b.readableBytes();
        }
        assertEquals(25, through, "bytes through once the limit of 10 was removed, with 1,000 left");
    }
}
