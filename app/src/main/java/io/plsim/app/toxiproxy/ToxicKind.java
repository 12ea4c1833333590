package io.plsim.app.toxiproxy;

import io.plsim.core.model.Fault;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Toxiproxy toxic type and the plsim connection fault it is, attribute by attribute: the same
 * meaning and units (milliseconds, KB/s, bytes; the slicer's delay in microseconds), Toxiproxy's
 * snake_case names on the wire.
 */
enum ToxicKind {
    LATENCY("latency", Fault.Kind.LATENCY, "latency", "latency", "jitter", "jitter"),
    BANDWIDTH("bandwidth", Fault.Kind.BANDWIDTH, "rate", "rate"),
    SLOW_CLOSE("slow_close", Fault.Kind.SLOW_CLOSE, "delay", "delay"),
    TIMEOUT("timeout", Fault.Kind.TIMEOUT, "timeout", "timeout"),
    SLICER("slicer", Fault.Kind.SLICER, "average_size", "averageSize", "size_variation", "sizeVariation", "delay",
            "delay"),
    LIMIT_DATA("limit_data", Fault.Kind.LIMIT_DATA, "bytes", "bytes"),
    RESET_PEER("reset_peer", Fault.Kind.RESET_PEER, "timeout", "timeout");

    final String wire;
    final Fault.Kind fault;
    /** Toxiproxy's attribute names mapped to plsim's parameter names, in Toxiproxy's order. */
    final Map<String, String> attributes = new LinkedHashMap<>();

    ToxicKind(String wire, Fault.Kind fault, String... pairs) {
        this.wire = wire;
        this.fault = fault;
        for (int i = 0; i < pairs.length; i += 2) {
            attributes.put(pairs[i], pairs[i + 1]);
        }
    }

    static Optional<ToxicKind> ofWire(String type) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(type)).findFirst();
    }

    static Optional<ToxicKind> of(Fault.Kind kind) {
        return Arrays.stream(values()).filter(k -> k.fault == kind).findFirst();
    }

    static String names() {
        return String.join(", ", Arrays.stream(values()).map(k -> k.wire).toList());
    }
}
