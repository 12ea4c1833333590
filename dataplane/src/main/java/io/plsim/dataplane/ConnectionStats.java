package io.plsim.dataplane;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data plane's connection counters at one moment, summed over every interface listener ever
 * started: connections relayed, denied by reason, reset by idle timeout, and open now. The first
 * three only grow from one reading to the next; the denials are a copy that does not change.
 */
public record ConnectionStats(long admitted, Map<String, Long> denied, long idleTimeouts, int openConnections) {

    public ConnectionStats {
        denied = Map.copyOf(denied);
    }

    public long deniedTotal() {
        return denied.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Reads and sums the live counters of every interface. */
    static ConnectionStats of(List<EndpointInterfaceRuntime> interfaces) {
        long admitted = 0;
        long idle = 0;
        long open = 0;
        Map<String, Long> denied = new TreeMap<>();
        for (EndpointInterfaceRuntime i : interfaces) {
            admitted += i.counters().admitted.sum();
            idle += i.counters().idleTimeouts.sum();
            open += i.counters().open.sum();
            i.counters().denied().forEach((k, v) -> denied.merge(k, v, Long::sum));
        }
        return new ConnectionStats(admitted, denied, idle, (int) open);
    }
}
