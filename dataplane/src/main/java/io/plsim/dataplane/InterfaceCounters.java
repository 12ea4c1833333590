package io.plsim.dataplane;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters of one endpoint network interface listener; cheap to bump from any event loop.
 * They only grow (the open count excepted), so they can be exported as Prometheus counters;
 * {@link InterfaceStats} and {@link ConnectionStats} are their readings.
 */
final class InterfaceCounters {

    /** Prefix of the reason for an endpoint that is not available, followed by its state. */
    static final String DENIED_ENDPOINT = "endpoint-";
    static final String DENIED_NO_TARGET = "no-healthy-target";
    static final String DENIED_TARGET_UNREACHABLE = "target-unreachable";
    /** Turned away while the process has few file descriptors left (see {@link FileDescriptors}). */
    static final String DENIED_FILE_LIMIT = "file-limit";

    final LongAdder admitted = new LongAdder();
    final LongAdder idleTimeouts = new LongAdder();
    final LongAdder open = new LongAdder();
    /** Bytes the consumer sent towards the target. */
    final LongAdder bytesUp = new LongAdder();
    /** Bytes the target sent towards the consumer. */
    final LongAdder bytesDown = new LongAdder();
    /** Bytes read and dropped, either way, while a fault stalled their flow. */
    final LongAdder bytesDropped = new LongAdder();
    private final Map<String, LongAdder> denied = new ConcurrentHashMap<>();
    /** From the consumer's connection being accepted to the node's connection to the target being up. */
    final ConnectTimes connectTimes = new ConnectTimes();

    void deny(String reason) {
        denied.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    Map<String, Long> denied() {
        Map<String, Long> out = new TreeMap<>();
        denied.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
