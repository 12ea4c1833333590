package io.plsim.app.api;

import io.plsim.dataplane.CrossZoneTraffic;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.InterfaceStats;
import io.plsim.dataplane.TargetView;
import io.plsim.app.notify.NotificationHub;
import java.util.List;
import java.util.Map;

/** The Prometheus text exposition (format 0.0.4) of a running world's counters. */
final class Metrics {

    private final StringBuilder out = new StringBuilder(4096);
    private final Map<Double, String> upperBounds = new java.util.HashMap<>();

    private Metrics() {
    }

    static String render(DataPlane dp, NotificationHub hub) {
        Metrics m = new Metrics();
        List<InterfaceStats> ifaces = dp.interfaceStats();
        m.help("plsim_connections_admitted_total", "counter", "Connections relayed to a target, by endpoint interface.");
        ifaces.forEach(i -> m.sample("plsim_connections_admitted_total", i.admitted(), iface(i)));
        m.help("plsim_connections_denied_total", "counter", "Connections not relayed, by endpoint interface and reason.");
        ifaces.forEach(i -> i.denied().forEach((reason, n) -> m.sample("plsim_connections_denied_total", n,
                iface(i) + ",reason=\"" + esc(reason) + "\"")));
        m.help("plsim_connections_open", "gauge", "Connections open now, by endpoint interface.");
        ifaces.forEach(i -> m.sample("plsim_connections_open", i.open(), iface(i)));
        m.help("plsim_bytes_total", "counter", "Bytes relayed, by endpoint interface and direction.");
        ifaces.forEach(i -> {
            m.sample("plsim_bytes_total", i.bytesUp(), iface(i) + ",direction=\"consumer_to_target\"");
            m.sample("plsim_bytes_total", i.bytesDown(), iface(i) + ",direction=\"target_to_consumer\"");
        });
        m.help("plsim_bytes_dropped_total", "counter", "Bytes read and dropped while a fault stalled their flow.");
        ifaces.forEach(i -> m.sample("plsim_bytes_dropped_total", i.bytesDropped(), iface(i)));
        m.crossZone(dp);
        m.help("plsim_idle_timeouts_total", "counter", "Connections reset by the idle timeout, by endpoint interface.");
        ifaces.forEach(i -> m.sample("plsim_idle_timeouts_total", i.idleTimeouts(), iface(i)));
        m.help("plsim_connect_seconds", "histogram", "From a consumer's connection being accepted by an interface to"
                + " the node's connection to the target being up.");
        ifaces.forEach(i -> m.histogram("plsim_connect_seconds", i.connectTimes(), iface(i)));
        m.help("plsim_target_connect_seconds", "histogram", "How long a node's connect to the target took.");
        dp.targets().forEach(t -> m.histogram("plsim_target_connect_seconds", t.connectTimes(), "load_balancer=\""
                + esc(t.loadBalancer()) + "\",target=\"" + t.address() + "\",az_id=\"" + t.zoneId() + "\""));
        m.help("plsim_target_flows_total", "counter", "Flows a target received, by the endpoint they came through.");
        m.help("plsim_target_healthy", "gauge", "1 when the node of node_zone_id sees the target healthy.");
        for (TargetView t : dp.targets()) {
            String labels = "load_balancer=\"" + esc(t.loadBalancer()) + "\",target=\"" + t.address() + "\",az_id=\""
                    + t.zoneId() + "\"";
            t.flowsByEndpoint().forEach((endpoint, n) -> m.sample("plsim_target_flows_total", n,
                    labels + ",endpoint=\"" + esc(endpoint) + "\""));
            t.healthByNodeZoneId().forEach((zone, h) -> m.sample("plsim_target_healthy",
                    h == io.plsim.dataplane.TargetHealth.HEALTHY ? 1 : 0, labels + ",node_zone_id=\"" + zone + "\""));
        }
        m.help("plsim_health_transitions_total", "counter", "Health state changes a node saw, by target and new state.");
        for (Map.Entry<List<String>, Long> e : dp.healthTransitions().entrySet()) {
            List<String> k = e.getKey();
            m.sample("plsim_health_transitions_total", e.getValue(), "load_balancer=\"" + esc(k.get(0))
                    + "\",node_zone_id=\"" + k.get(1) + "\",target=\"" + k.get(2) + "\",state=\"" + k.get(3) + "\"");
        }
        m.help("plsim_faults_active", "gauge", "Faults in force now.");
        m.sample("plsim_faults_active", dp.faults().size(), "");
        m.help("plsim_fault_hits_total", "counter", "Connections or checks each fault in force has hit.");
        dp.faults().forEach(f -> m.sample("plsim_fault_hits_total", f.hits(), "id=\"" + f.id() + "\",fault=\""
                + f.fault().kind().wire() + "\""));
        m.help("plsim_dns_changes_total", "counter", "Changes of an endpoint's regional DNS answer (failover, recovery).");
        m.sample("plsim_dns_changes_total", dp.dnsChanges(), "");
        List<NotificationHub.SubscriberStats> subs = hub.stats();
        m.help("plsim_notifications_delivered_total", "counter", "Notifications delivered, by topic and subscriber.");
        subs.forEach(s -> m.sample("plsim_notifications_delivered_total", s.delivered(), sub(s)));
        m.help("plsim_notifications_dropped_total", "counter", "Notifications dropped (queue full, retries exhausted).");
        subs.forEach(s -> m.sample("plsim_notifications_dropped_total", s.dropped(), sub(s)));
        m.help("plsim_notification_failed_attempts_total", "counter", "Delivery attempts that failed and were retried.");
        subs.forEach(s -> m.sample("plsim_notification_failed_attempts_total", s.failedAttempts(), sub(s)));
        return m.out.toString();
    }

    /**
     * The bytes between an endpoint interface and a target in another zone, each way, labelled by the zones
     * they left and reached; and what they cost at the sim-config's price, each way, as AWS bills them.
     */
    private void crossZone(DataPlane dp) {
        List<CrossZoneTraffic> traffic = dp.crossZoneTraffic();
        double price = dp.crossZonePricePerGb();
        help("plsim_cross_zone_bytes_total", "counter", "Bytes between an endpoint interface and a target in"
                + " another zone, by endpoint, load balancer, zone they left and reached, and direction.");
        for (CrossZoneTraffic t : traffic) {
            String labels = "endpoint=\"" + esc(t.endpointId()) + "\",load_balancer=\"" + esc(t.loadBalancer()) + "\"";
            sample("plsim_cross_zone_bytes_total", t.bytesToTarget(), labels + ",from_zone=\"" + t.interfaceZoneId()
                    + "\",to_zone=\"" + t.targetZoneId() + "\",direction=\"consumer_to_target\"");
            sample("plsim_cross_zone_bytes_total", t.bytesToConsumer(), labels + ",from_zone=\"" + t.targetZoneId()
                    + "\",to_zone=\"" + t.interfaceZoneId() + "\",direction=\"target_to_consumer\"");
        }
        help("plsim_cross_zone_price_usd_per_gb", "gauge", "The price cross-zone bytes are estimated at, each way"
                + " (simulation.crossZonePricePerGb; a GB is 2^30 bytes).");
        decimal("plsim_cross_zone_price_usd_per_gb", price, "");
        help("plsim_cross_zone_cost_usd", "gauge", "What the cross-zone bytes cost at that price, by endpoint and"
                + " load balancer, both directions.");
        Map<List<String>, Long> byEndpoint = new java.util.TreeMap<>(java.util.Comparator.comparing(List::toString));
        traffic.forEach(t -> byEndpoint.merge(List.of(t.endpointId(), t.loadBalancer()), t.bytes(), Long::sum));
        byEndpoint.forEach((k, bytes) -> decimal("plsim_cross_zone_cost_usd", CrossZoneTraffic.cost(bytes, price),
                "endpoint=\"" + esc(k.get(0)) + "\",load_balancer=\"" + esc(k.get(1)) + "\""));
    }

    private void decimal(String name, double value, String labels) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(java.math.BigDecimal.valueOf(value).toPlainString()).append('\n');
    }

    private static String iface(InterfaceStats i) {
        return "endpoint=\"" + i.endpointId() + "\",service=\"" + i.serviceId() + "\",az=\"" + i.zoneName()
                + "\",az_id=\"" + i.zoneId() + "\",ip=\"" + i.ip() + "\"";
    }

    private static String sub(NotificationHub.SubscriberStats s) {
        return "topic=\"" + esc(s.topicArn()) + "\",subscriber=\"" + esc(s.subscriber()) + "\"";
    }

    private static String esc(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private void help(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void histogram(String name, io.plsim.dataplane.ConnectTimes.Snapshot h, String labels) {
        // Written straight into the text, each bound's label worked out once a scrape: a world of
        // thousands of interfaces has tens of thousands of bucket lines.
        for (int i = 0; i < h.bounds().size(); i++) {
            bucket(name, labels, upperBounds.computeIfAbsent(h.bounds().get(i),
                    b -> java.math.BigDecimal.valueOf(b).toPlainString()), h.cumulative().get(i));
        }
        bucket(name, labels, "+Inf", h.count());
        out.append(name).append("_sum{").append(labels).append("} ").append(java.math.BigDecimal.valueOf(h.sumSeconds())
                .toPlainString()).append('\n');
        sample(name + "_count", h.count(), labels);
    }

    private void bucket(String name, String labels, String upperBound, long value) {
        out.append(name).append("_bucket{").append(labels).append(",le=\"").append(upperBound).append("\"} ")
                .append(value).append('\n');
    }

    private void sample(String name, long value, String labels) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(value).append('\n');
    }
}
