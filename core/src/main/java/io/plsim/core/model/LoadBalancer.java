package io.plsim.core.model;

import java.util.List;
import java.util.Optional;

/**
 * A load balancer of the provider, as the simulated data plane needs it.
 *
 * @param arn           the full ELBv2 ARN
 * @param type          {@code network}, or another ELBv2 type that an endpoint service refuses
 * @param nodes         one node per Availability Zone, each with its own private IP
 * @param listenerPorts TCP listener ports; every listener forwards to {@link #targets}
 * @param crossZone     whether each node spreads over healthy targets of all zones
 * @param proxyProtocol Proxy Protocol v2 settings of the target group
 * @param idleTimeoutSeconds TCP idle timeout of a flow; 350 s in AWS
 */
public record LoadBalancer(String arn, String name, String accountId, String type, List<NlbNodeSpec> nodes,
                           List<Integer> listenerPorts, List<Target> targets, boolean crossZone,
                           ProxyProtocol proxyProtocol, HealthCheck healthCheck, int idleTimeoutSeconds) {

    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 350;

    public LoadBalancer {
        nodes = List.copyOf(nodes);
        listenerPorts = List.copyOf(listenerPorts);
        targets = List.copyOf(targets);
    }

    public boolean isNetwork() {
        return "network".equals(type);
    }

    public Optional<NlbNodeSpec> nodeIn(String zoneId) {
        return nodes.stream().filter(n -> n.zoneId().equals(zoneId)).findFirst();
    }

    /** A load balancer node: the load balancer's presence in one Availability Zone. */
    public record NlbNodeSpec(String zoneName, String zoneId, int ip) {
        public String ipText() {
            return Ipv4.format(ip);
        }
    }

    /** What a target is: the user's own service at an address, or one plsim runs itself. */
    public enum TargetKind {
        ADDRESS("address"), ECHO("echo"), PP2_INSPECT("pp2-inspect");

        private final String configName;

        TargetKind(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public static Optional<TargetKind> ofConfigName(String name) {
            for (TargetKind k : values()) {
                if (k.configName.equals(name)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A registered target in one zone. A built-in target listens on {@code host:port}, or on a
     * free port of {@code host} when {@code port} is 0.
     */
    public record Target(String zoneName, String zoneId, TargetKind kind, String host, int port) {
        public String address() {
            return host + ":" + port;
        }
    }

    /**
     * Proxy Protocol v2 on the target group.
     *
     * @param enabled   whether the node puts a header in front of every connection and health check
     * @param crc32c    whether headers carry the CRC32C TLV; always true in the {@link Layout#AWS} layout
     * @param layout    the shape of the headers
     * @param placement when the header goes to the target
     */
    public record ProxyProtocol(boolean enabled, boolean crc32c, Layout layout, HeaderPlacement placement) {
        public static final ProxyProtocol OFF =
                new ProxyProtocol(false, true, Layout.AWS, HeaderPlacement.ON_FIRST_ACK_WITH_PAYLOAD);
        /** What {@code proxyProtocol: true} means: the headers NLB sends, where it sends them. */
        public static final ProxyProtocol AWS =
                new ProxyProtocol(true, true, Layout.AWS, HeaderPlacement.ON_FIRST_ACK_WITH_PAYLOAD);

        public ProxyProtocol {
            java.util.Objects.requireNonNull(layout, "layout");
            java.util.Objects.requireNonNull(placement, "placement");
            if (layout == Layout.AWS && !crc32c) {
                throw new IllegalArgumentException("the AWS layout always carries the CRC32C TLV");
            }
        }

        /** The shape of the headers. */
        public enum Layout {
            /**
             * As NLB sends them: CRC32C TLV first, then the AWS TLV, then a NOOP TLV padding the header to
             * 100 bytes; health checks get a 100-byte LOCAL header of family TCP over IPv4.
             */
            AWS("aws"),
            /** The AWS TLV alone (and the CRC32C TLV last, when asked), no padding; an empty UNSPEC LOCAL. */
            MINIMAL("minimal");

            private final String configName;

            Layout(String configName) {
                this.configName = configName;
            }

            public String configName() {
                return configName;
            }
        }

        /** NLB's target-group attribute {@code proxy_protocol_v2.client_to_server.header_placement}. */
        public enum HeaderPlacement {
            /** The header waits for the client's first bytes (or its FIN) and goes with them: NLB's default. */
            ON_FIRST_ACK_WITH_PAYLOAD("on-first-ack-with-payload"),
            /** The header goes as soon as the node's connection to the target is up. */
            ON_FIRST_ACK("on-first-ack");

            private final String configName;

            HeaderPlacement(String configName) {
                this.configName = configName;
            }

            public String configName() {
                return configName;
            }
        }
    }

    /**
     * TCP health check settings. AWS defaults: every 30 s, 10 s timeout, healthy after 5 successes,
     * unhealthy after 2 failures; a simulation may shorten them.
     *
     * @param port the port to check, or 0 for the target's own port
     */
    public record HealthCheck(long intervalMillis, long timeoutMillis, int healthyThreshold,
                              int unhealthyThreshold, int port) {
        public static final HealthCheck AWS_DEFAULT = new HealthCheck(30_000, 10_000, 5, 2, 0);
    }
}
