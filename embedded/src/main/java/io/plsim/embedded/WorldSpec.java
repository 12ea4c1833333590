package io.plsim.embedded;

import java.util.ArrayList;
import java.util.List;

/**
 * A world described in code rather than in a sim-config: a provider account with one Network Load
 * Balancer in two zones, its targets, the endpoint service in front of it, and a consumer account
 * whose endpoints connect to it. It is written as a sim-config and read by the same loader, so every
 * rule of a file applies and a problem is said the same way.
 *
 * <pre>{@code
 * PlsimWorld world = PlsimWorld.start(WorldSpec.builder()
 *         .loadBalancer("nlb", 443).target("us-east-1a", "127.0.0.1:9001").target("us-east-1b", "127.0.0.1:9002")
 *         .proxyProtocol(true).service("svc", false).endpoint("ep"));
 * }</pre>
 *
 * <p>The zones are {@code us-east-1a} and {@code us-east-1b}: {@code use1-az1} and {@code use1-az2}
 * for the provider, the other way round for the consumer, as AWS maps zone names per account.
 */
public final class WorldSpec {

    private String provider = "111122223333";
    private String consumer = "444455556666";
    private String loadBalancer = "nlb";
    private List<Integer> listeners = List.of(7000);
    private final List<String> targets = new ArrayList<>();
    private boolean proxyProtocol;
    private boolean crossZone;
    private String healthCheck = "{intervalSeconds: 0.2, timeoutSeconds: 0.2, healthyThreshold: 2, unhealthyThreshold: 2}";
    private String service = "svc";
    private boolean acceptanceRequired;
    private final List<String> endpoints = new ArrayList<>();
    private long seed = 1;

    private WorldSpec() {
    }

    public static WorldSpec builder() {
        return new WorldSpec();
    }

    /** The provider's account ID (default 111122223333). */
    public WorldSpec provider(String accountId) {
        this.provider = accountId;
        return this;
    }

    /** The consumer's account ID (default 444455556666). */
    public WorldSpec consumer(String accountId) {
        this.consumer = accountId;
        return this;
    }

    /** The load balancer's name and its TCP listener ports (default {@code nlb} on 7000). */
    public WorldSpec loadBalancer(String name, int... ports) {
        this.loadBalancer = name;
        List<Integer> ps = new ArrayList<>();
        for (int p : ports) {
            ps.add(p);
        }
        this.listeners = ps.isEmpty() ? List.of(7000) : ps;
        return this;
    }

    /** A target in a zone ({@code us-east-1a} or {@code us-east-1b}): a service of yours at {@code host:port}. */
    public WorldSpec target(String zone, String hostPort) {
        targets.add("{zone: " + zone + ", address: \"" + hostPort + "\"}");
        return this;
    }

    /** A target in a zone at an address given in code: a server the test started on a free port. */
    public WorldSpec target(String zone, java.net.InetSocketAddress address) {
        return target(zone, address.getHostString() + ":" + address.getPort());
    }

    /** A target in a zone on 127.0.0.1 at {@code port}. */
    public WorldSpec target(String zone, int port) {
        return target(zone, "127.0.0.1:" + port);
    }

    /** A built-in target in a zone: {@code echo} or {@code pp2-inspect}. */
    public WorldSpec builtinTarget(String zone, String builtin) {
        targets.add("{zone: " + zone + ", builtin: " + builtin + "}");
        return this;
    }

    /** Proxy Protocol v2 to the targets, as NLB sends it (default off). */
    public WorldSpec proxyProtocol(boolean on) {
        this.proxyProtocol = on;
        return this;
    }

    /** Cross-zone load balancing (default off, as for every NLB). */
    public WorldSpec crossZone(boolean on) {
        this.crossZone = on;
        return this;
    }

    /**
     * Health checks: every {@code intervalSeconds}, unhealthy after {@code unhealthyThreshold}
     * failures (default every 0.2 s, 2 and 2, so tests see failover in well under a second; AWS's
     * defaults are 30 s and 2).
     */
    public WorldSpec healthCheck(double intervalSeconds, int healthyThreshold, int unhealthyThreshold) {
        this.healthCheck = "{intervalSeconds: " + intervalSeconds + ", timeoutSeconds: " + Math.min(intervalSeconds, 10)
                + ", healthyThreshold: " + healthyThreshold + ", unhealthyThreshold: " + unhealthyThreshold + "}";
        return this;
    }

    /** The endpoint service's name and whether it requires acceptance (default {@code svc}, not required). */
    public WorldSpec service(String name, boolean acceptanceRequired) {
        this.service = name;
        this.acceptanceRequired = acceptanceRequired;
        return this;
    }

    /** A consumer endpoint to the service, with an interface in both zones. */
    public WorldSpec endpoint(String name) {
        endpoints.add(name);
        return this;
    }

    /** Seeds every generated ID and DNS name (default 1). */
    public WorldSpec seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The sim-config this builder describes. */
    public String toYaml() {
        StringBuilder y = new StringBuilder();
        y.append("region: us-east-1\nsimulation: {seed: ").append(seed).append("}\naccounts:\n")
                .append("  - id: \"").append(provider).append("\"\n    zones: {us-east-1a: use1-az1, us-east-1b: use1-az2}\n")
                .append("  - id: \"").append(consumer).append("\"\n    zones: {us-east-1a: use1-az2, us-east-1b: use1-az1}\n")
                .append("vpcs:\n")
                .append("  - id: vpc-0e0e0e0e0e0e00001\n    account: \"").append(provider).append("\"\n")
                .append("    cidr: 127.61.0.0/16\n    subnets:\n")
                .append("      - {id: subnet-0e0e0e0e0e0e00011, zone: us-east-1a, cidr: 127.61.1.0/24}\n")
                .append("      - {id: subnet-0e0e0e0e0e0e00012, zone: us-east-1b, cidr: 127.61.2.0/24}\n")
                .append("  - id: vpc-0f0f0f0f0f0f00002\n    account: \"").append(consumer).append("\"\n")
                .append("    cidr: 127.62.0.0/16\n    subnets:\n")
                .append("      - {id: subnet-0f0f0f0f0f0f00021, zone: us-east-1a, cidr: 127.62.1.0/24}\n")
                .append("      - {id: subnet-0f0f0f0f0f0f00022, zone: us-east-1b, cidr: 127.62.2.0/24}\n")
                .append("loadBalancers:\n  - name: ").append(loadBalancer).append("\n    account: \"").append(provider)
                .append("\"\n    nodes:\n      - {zone: us-east-1a, ip: 127.61.1.10}\n")
                .append("      - {zone: us-east-1b, ip: 127.61.2.10}\n    listeners: ").append(listeners).append('\n')
                .append("    targets:");
        if (targets.isEmpty()) {
            y.append(" []\n");
        } else {
            y.append('\n');
            targets.forEach(t -> y.append("      - ").append(t).append('\n'));
        }
        y.append("    proxyProtocol: ").append(proxyProtocol).append('\n')
                .append("    crossZone: ").append(crossZone).append('\n')
                .append("    healthCheck: ").append(healthCheck).append('\n')
                .append("services:\n  - name: ").append(service).append("\n    account: \"").append(provider)
                .append("\"\n    loadBalancers: [").append(loadBalancer).append("]\n    acceptanceRequired: ")
                .append(acceptanceRequired).append("\n    allowedPrincipals: [\"arn:aws:iam::").append(consumer)
                .append(":root\"]\n");
        if (!endpoints.isEmpty()) {
            y.append("endpoints:\n");
            for (String e : endpoints) {
                y.append("  - name: ").append(e).append("\n    principal: arn:aws:iam::").append(consumer)
                        .append(":root\n    service: ").append(service).append("\n    vpc: vpc-0f0f0f0f0f0f00002\n")
                        .append("    subnets: [subnet-0f0f0f0f0f0f00021, subnet-0f0f0f0f0f0f00022]\n");
            }
        }
        return y.toString();
    }
}
