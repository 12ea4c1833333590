package io.plsim.dataplane;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the data plane; cheap to bump from any event loop. */
final class DataPlaneStats {

    /** Why a connection to an endpoint interface was not relayed. */
    /** Prefix of the reason for an endpoint that is not available, followed by its state. */
    static final String DENIED_ENDPOINT = "endpoint-";
    static final String DENIED_NO_TARGET = "no-healthy-target";
    static final String DENIED_TARGET_UNREACHABLE = "target-unreachable";

    final LongAdder admitted = new LongAdder();
    final LongAdder idleTimeouts = new LongAdder();
    private final Map<String, LongAdder> denied = new ConcurrentHashMap<>();

    void deny(String reason) {
        denied.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    Map<String, Long> denied() {
        Map<String, Long> out = new TreeMap<>();
        denied.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
