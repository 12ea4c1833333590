package io.plsim.dataplane;

import java.util.Map;

/**
 * The counters of one endpoint network interface at one moment, for metrics: a reading of its
 * live counters, which only grow from one reading to the next (the open count excepted).
 */
public record InterfaceStats(String endpointId, String serviceId, String zoneName, String zoneId, String ip,
                             long admitted, Map<String, Long> denied, long open, long bytesUp, long bytesDown,
                             long idleTimeouts, long bytesDropped, ConnectTimes.Snapshot connectTimes) {

    static InterfaceStats of(EndpointInterfaceRuntime i) {
        InterfaceCounters s = i.counters();
        return new InterfaceStats(i.endpointId(), i.serviceId(), i.eni().zoneName(), i.eni().zoneId(),
                i.eni().privateIp(), s.admitted.sum(), s.denied(), s.open.sum(), s.bytesUp.sum(), s.bytesDown.sum(),
                s.idleTimeouts.sum(), s.bytesDropped.sum(), s.connectTimes.snapshot());
    }
}
