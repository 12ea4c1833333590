package io.plsim.dataplane;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the endpoint network interfaces of one zone (by zone ID) have counted since the data plane
 * started, those since removed included: counters, which never drop when an endpoint is deleted or a
 * subnet removed from it.
 */
public record ZoneTotals(String zoneId, long admitted, Map<String, Long> denied, long bytesUp, long bytesDown) {

    public ZoneTotals {
        denied = java.util.Collections.unmodifiableMap(new TreeMap<>(denied));
    }

    static ZoneTotals of(InterfaceStats i) {
        return new ZoneTotals(i.zoneId(), i.admitted(), i.denied(), i.bytesUp(), i.bytesDown());
    }

    ZoneTotals plus(ZoneTotals o) {
        Map<String, Long> both = new TreeMap<>(denied);
        o.denied.forEach((k, v) -> both.merge(k, v, Long::sum));
        return new ZoneTotals(zoneId, admitted + o.admitted, both, bytesUp + o.bytesUp, bytesDown + o.bytesDown);
    }
}
