package io.plsim.dataplane;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one load balancer's flows carried between an endpoint network interface in one zone and a
 * target in another: the regional data transfer AWS bills when cross-zone load balancing sends a
 * flow out of its zone. A flow whose zones match never reaches it.
 */
final class CrossZoneLedger {

    /** One endpoint's bytes between one interface zone and one target zone, each way. */
    static final class Account {
        final LongAdder toTarget = new LongAdder();
        final LongAdder toConsumer = new LongAdder();
    }

    private record Key(String endpointId, String interfaceZoneId, String targetZoneId) {
    }

    private final ConcurrentHashMap<Key, Account> accounts = new ConcurrentHashMap<>();

    /** The account a new flow adds to, or null when its interface and target share a zone. */
    Account accountOf(String endpointId, String interfaceZoneId, String targetZoneId) {
        if (interfaceZoneId.equals(targetZoneId)) {
            return null;
        }
        return accounts.computeIfAbsent(new Key(endpointId, interfaceZoneId, targetZoneId), k -> new Account());
    }

    /** A deleted endpoint's accounts go, as its other flow counters do. */
    void forget(String endpointId) {
        accounts.keySet().removeIf(k -> k.endpointId().equals(endpointId));
    }

    void readInto(String loadBalancer, List<CrossZoneTraffic> out) {
        List<CrossZoneTraffic> mine = new ArrayList<>();
        accounts.forEach((k, a) -> mine.add(new CrossZoneTraffic(k.endpointId(), loadBalancer, k.interfaceZoneId(),
                k.targetZoneId(), a.toTarget.sum(), a.toConsumer.sum())));
        mine.sort(CrossZoneTraffic.ORDER);
        out.addAll(mine);
    }
}
