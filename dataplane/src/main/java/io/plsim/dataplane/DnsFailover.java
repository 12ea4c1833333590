package io.plsim.dataplane;

import io.netty.util.concurrent.EventExecutor;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.EndpointState;
import io.plsim.core.control.VpcEndpoint;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * NLB's DNS failover for the endpoints' names: a zonal name always gives its own interface's IP;
 * the regional name gives the IPs of the interfaces whose node has a healthy target to send to, or
 * all of them when none has (fail open), starting one address further on at each query. Whether a node serves is the data plane's to say; this
 * class holds the policy and records each change of a regional answer in the event log.
 */
final class DnsFailover {

    private final ControlPlane controlPlane;
    private final Predicate<EndpointInterface> serves;
    private final EventLog events;
    /** Regional DNS answers as last seen, by endpoint, to record each change once. */
    private final Map<String, List<String>> lastServing = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    /** Queries of each endpoint's regional name so far: where the next answer starts. */
    private final Map<String, AtomicLong> rotation = new ConcurrentHashMap<>();

    DnsFailover(ControlPlane controlPlane, Predicate<EndpointInterface> serves, EventLog events) {
        this.controlPlane = controlPlane;
        this.serves = serves;
        this.events = events;
    }

    /** The A records of an endpoint DNS name; empty for a name that is no endpoint's. */
    Optional<List<String>> answer(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        for (VpcEndpoint e : controlPlane.endpoints()) {
            if (e.state() == EndpointState.DELETED || e.state() == EndpointState.DELETING) {
                continue;
            }
            for (DnsEntry d : e.dnsEntries()) {
                if (d.dnsName().equals(n)) {
                    return Optional.of(answer(e, d));
                }
            }
        }
        return Optional.empty();
    }

    /** The A records of one of an endpoint's DNS entries, from a snapshot the caller holds. */
    List<String> answer(VpcEndpoint e, DnsEntry d) {
        if (d.zoneName() != null) {
            return e.interfaces().stream()
                    .filter(i -> i.zoneName().equals(d.zoneName())).map(EndpointInterface::privateIp).toList();
        }
        return rotated(e.vpcEndpointId(), serving(e).stream().map(EndpointInterface::privateIp).toList());
    }

    /**
     * A regional answer in the order of this query: each query of a name starts one address further
     * on (round robin), so clients that take the first address, as most do, spread over the zones.
     * Route 53 shuffles multi-value answers; a rotation spreads the same way and can be checked.
     */
    private List<String> rotated(String endpointId, List<String> ips) {
        if (ips.size() < 2) {
            return ips;
        }
        int shift = (int) Math.floorMod(rotation.computeIfAbsent(endpointId, id -> new AtomicLong())
                .getAndIncrement(), (long) ips.size());
        List<String> out = new java.util.ArrayList<>(ips.subList(shift, ips.size()));
        out.addAll(ips.subList(0, shift));
        return out;
    }

    /** The zone IDs whose interfaces the regional name of an endpoint answers now. */
    List<String> servingZones(String endpointId) {
        for (VpcEndpoint e : controlPlane.endpoints()) {
            if (e.vpcEndpointId().equals(endpointId)) {
                return servingZones(e);
            }
        }
        return List.of();
    }

    /** The zone IDs whose interfaces an endpoint's regional name answers now, from a snapshot the caller holds. */
    List<String> servingZones(VpcEndpoint e) {
        return serving(e).stream().map(EndpointInterface::zoneId).toList();
    }

    /** The interfaces the regional name answers: those that serve, or every one when none does. */
    private List<EndpointInterface> serving(VpcEndpoint e) {
        List<EndpointInterface> up = e.interfaces().stream().filter(serves).toList();
        return up.isEmpty() ? e.interfaces() : up;
    }

    /** How many times a regional answer changed. */
    long changes() {
        return changes.get();
    }

    /**
     * Watches, every 100 ms on {@code executor}, which zones each endpoint's regional name answers,
     * and records every change (failover and recovery) in the event log.
     */
    void watch(EventExecutor executor) {
        executor.scheduleAtFixedRate(() -> {
            for (VpcEndpoint e : controlPlane.endpoints()) {
                if (e.state() == EndpointState.DELETED) {
                    lastServing.remove(e.vpcEndpointId());
                    rotation.remove(e.vpcEndpointId());
                    continue;
                }
                // From the snapshot in hand: looking each endpoint up again would read the whole
                // world once per endpoint, every tick.
                List<String> now = servingZones(e);
                List<String> before = lastServing.put(e.vpcEndpointId(), now);
                if (before != null && !before.equals(now)) {
                    changes.incrementAndGet();
                    events.record("dns", "endpoint", e.vpcEndpointId(), "zones", String.join(" ", now),
                            "before", String.join(" ", before));
                }
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
    }
}
