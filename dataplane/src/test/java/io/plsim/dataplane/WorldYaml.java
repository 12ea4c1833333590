package io.plsim.dataplane;

import io.plsim.core.config.SimConfigException;
import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sim-config YAML of a test world, the one address plan that {@link TestWorld} and the API
 * tests' world are written in. A provider (111122223333) and a consumer (444455556666) in
 * us-east-1, with two or three zones each, named differently by the two as the AWS documentation
 * warns: the zone the consumer names <i>k</i>-th is the one the provider names <i>k+1</i>-th, so
 * with two zones
 * <pre>
 *   zone ID    provider     consumer
 *   use1-az1   us-east-1a   us-east-1b
 *   use1-az2   us-east-1b   us-east-1a
 * </pre>
 * and with three the consumer's us-east-1a, -1b, -1c are use1-az2, -az3, -az1.
 *
 * <p>Every address lives in {@code 127.<octet>.0.0/16}, so worlds of different octets never collide:
 * <pre>
 *   provider VPC  vpc-0a0a0a0a0a0a0N  127.N.0.0/17
 *     subnet-0a0a0a0a0a0a1N  us-east-1a  127.N.1.0/24     NLB nodes 127.N.1.h
 *     subnet-0a0a0a0a0a0a2N  us-east-1b  127.N.2.0/24     NLB nodes 127.N.2.h
 *   consumer VPC  vpc-0b0b0b0b0b0b0N  127.N.128.0/17
 *     subnet-0b0b0b0b0b0b1N  us-east-1a  127.N.129.0/24
 *     subnet-0b0b0b0b0b0b2N  us-east-1b  127.N.130.0/24
 *     subnet-0b0b0b0b0b0b3N  us-east-1c  127.N.131.0/24   (three zones only)
 *     and, if asked for, a second subnet in us-east-1a next in line (with three zones
 *     subnet-0b0b0b0b0b0b4N, 127.N.132.0/24)
 * </pre>
 * The provider's VPC has subnets in two zones only, whatever the number of zones: the worlds'
 * NLBs have no node in a third. Then the NLBs (all the provider's), at most one service and one
 * endpoint, and whatever YAML the test appends (topics, a scenario).
 */
public final class WorldYaml {

    public static final String PROVIDER_ACCOUNT = "111122223333";
    public static final String CONSUMER_ACCOUNT = "444455556666";
    public static final String CONSUMER_ROOT_ARN = "arn:aws:iam::" + CONSUMER_ACCOUNT + ":root";

    private final int octet;
    private long seed;
    private String admission = "reset";
    private int zones = 2;
    private Account provider = new Account(null);
    private Account consumer = new Account(null);
    private boolean secondConsumerSubnet;
    private final List<Nlb> nlbs = new ArrayList<>();
    private String service;
    private List<String> serviceNlbs = List.of();
    private boolean acceptanceRequired;
    private String endpoint;
    private List<String> endpointZones = List.of();
    private String appended = "";

    private WorldYaml(int octet) {
        this.octet = octet;
    }

    /** A world in {@code 127.<octet>.0.0/16}; the octet ranges of the test classes are their builders' to keep. */
    public static WorldYaml in(int octet) {
        return new WorldYaml(octet);
    }

    public WorldYaml seed(long seed) {
        this.seed = seed;
        return this;
    }

    public WorldYaml admission(String resetOrBlackhole) {
        this.admission = resetOrBlackhole;
        return this;
    }

    /** Two zones (the default) or three per account. */
    public WorldYaml zones(int twoOrThree) {
        if (twoOrThree != 2 && twoOrThree != 3) {
            throw new IllegalArgumentException("a test world has two or three zones, not " + twoOrThree);
        }
        this.zones = twoOrThree;
        return this;
    }

    public WorldYaml provider(Account account) {
        this.provider = account;
        return this;
    }

    public WorldYaml consumer(Account account) {
        this.consumer = account;
        return this;
    }

    /** Gives the consumer a second subnet in its us-east-1a, for tests of one endpoint subnet per zone. */
    public WorldYaml withSecondConsumerSubnet() {
        this.secondConsumerSubnet = true;
        return this;
    }

    public WorldYaml nlb(Nlb nlb) {
        nlbs.add(nlb);
        return this;
    }

    /** A service of the provider in front of the named NLBs, that allows the consumer's root. */
    public WorldYaml service(String name, boolean acceptanceRequired, String... nlbNames) {
        this.service = name;
        this.acceptanceRequired = acceptanceRequired;
        this.serviceNlbs = List.of(nlbNames);
        return this;
    }

    /** An interface endpoint of the consumer's root to the service, in its subnets of these zones. */
    public WorldYaml endpoint(String name, String... consumerZoneNames) {
        this.endpoint = name;
        this.endpointZones = List.of(consumerZoneNames);
        return this;
    }

    /** YAML to append at the top level, e.g. {@code topics:} or {@code scenario:}. */
    public WorldYaml append(String yaml) {
        this.appended = yaml;
        return this;
    }

    // ---------------------------------------------------------------- the names of the plan

    public String providerVpc() {
        return "vpc-0a0a0a0a0a0a0" + octet;
    }

    public String consumerVpc() {
        return "vpc-0b0b0b0b0b0b0" + octet;
    }

    /** The consumer's first subnet in one of its zones. */
    public String consumerSubnet(String consumerZoneName) {
        return "subnet-0b0b0b0b0b0b" + zoneNumber(consumerZoneName) + octet;
    }

    /** The consumer's second subnet in its us-east-1a, see {@link #withSecondConsumerSubnet()}. */
    public String secondConsumerSubnet() {
        return "subnet-0b0b0b0b0b0b" + (zones + 1) + octet;
    }

    /** The IP of an NLB node, by the provider's zone name and the node's last byte. */
    public String nodeIp(String providerZoneName, int host) {
        return "127." + octet + "." + providerSubnetNumber(providerZoneName) + "." + host;
    }

    private int zoneNumber(String zoneName) {
        for (int k = 1; k <= zones; k++) {
            if (zoneName(k).equals(zoneName)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no zone " + zoneName + " among " + zones);
    }

    private int providerSubnetNumber(String providerZoneName) {
        int k = zoneNumber(providerZoneName);
        if (k > 2) {
            throw new IllegalArgumentException("the provider has subnets in us-east-1a and us-east-1b only");
        }
        return k;
    }

    private static String zoneName(int k) {
        return "us-east-1" + (char) ('a' + k - 1);
    }

    // ---------------------------------------------------------------- the YAML

    public String yaml() {
        StringBuilder y = new StringBuilder();
        y.append("region: us-east-1\n");
        y.append("simulation: {seed: ").append(seed).append(", admission: ").append(admission).append("}\n");
        y.append("accounts:\n");
        provider.write(y, PROVIDER_ACCOUNT, zoneMap(0));
        consumer.write(y, CONSUMER_ACCOUNT, zoneMap(1));
        y.append("vpcs:\n");
        List<String> providerSubnets = new ArrayList<>();
        for (int k = 1; k <= 2; k++) {
            providerSubnets.add(subnet("0a", k, k, k));
        }
        vpc(y, providerVpc(), PROVIDER_ACCOUNT, 0, providerSubnets);
        List<String> consumerSubnets = new ArrayList<>();
        for (int k = 1; k <= zones; k++) {
            consumerSubnets.add(subnet("0b", k, k, 128 + k));
        }
        if (secondConsumerSubnet) {
            consumerSubnets.add(subnet("0b", zones + 1, 1, 128 + zones + 1));
        }
        vpc(y, consumerVpc(), CONSUMER_ACCOUNT, 128, consumerSubnets);
        if (!nlbs.isEmpty()) {
            y.append("loadBalancers:\n");
            nlbs.forEach(nlb -> nlb.write(y, this));
        }
        if (service != null) {
            y.append("services:\n");
            y.append("  - name: ").append(service).append('\n');
            y.append("    account: \"").append(PROVIDER_ACCOUNT).append("\"\n");
            y.append("    loadBalancers: [").append(String.join(", ", serviceNlbs)).append("]\n");
            y.append("    acceptanceRequired: ").append(acceptanceRequired).append('\n');
            y.append("    allowedPrincipals: [\"").append(CONSUMER_ROOT_ARN).append("\"]\n");
        }
        if (endpoint != null) {
            if (service == null) {
                throw new IllegalStateException("endpoint " + endpoint + " needs the world's service");
            }
            y.append("endpoints:\n");
            y.append("  - name: ").append(endpoint).append('\n');
            y.append("    principal: ").append(CONSUMER_ROOT_ARN).append('\n');
            y.append("    service: ").append(service).append('\n');
            y.append("    vpc: ").append(consumerVpc()).append('\n');
            y.append("    subnets: [").append(String.join(", ", endpointZones.stream().map(this::consumerSubnet).toList()))
                    .append("]\n");
        }
        return y.append(appended).toString();
    }

    /** The world, or an AssertionError that shows the YAML it could not load. */
    public World load(String source) {
        String yaml = yaml();
        try {
            return SimConfigLoader.load(source, yaml);
        } catch (SimConfigException e) {
            throw new AssertionError("test world does not load:\n" + e.getMessage() + "\n" + yaml, e);
        }
    }

    /** The flow mapping of zone names to IDs; the consumer's is the provider's turned by one. */
    private String zoneMap(int turn) {
        List<String> entries = new ArrayList<>();
        for (int k = 1; k <= zones; k++) {
            entries.add(zoneName(k) + ": use1-az" + ((k - 1 + turn) % zones + 1));
        }
        return "{" + String.join(", ", entries) + "}";
    }

    private String subnet(String owner, int number, int zone, int third) {
        return "{id: subnet-" + owner.repeat(6) + number + octet + ", zone: " + zoneName(zone) + ", cidr: 127."
                + octet + "." + third + ".0/24}";
    }

    private void vpc(StringBuilder y, String id, String account, int third, List<String> subnets) {
        y.append("  - id: ").append(id).append('\n');
        y.append("    account: \"").append(account).append("\"\n");
        y.append("    cidr: 127.").append(octet).append('.').append(third).append(".0/17\n");
        y.append("    subnets:\n");
        subnets.forEach(s -> y.append("      - ").append(s).append('\n'));
    }

    /** An account's name, IAM users and access keys; its ID and zones are the plan's. */
    public static final class Account {
        private final String name;
        private final List<String> users = new ArrayList<>();
        private final Map<String, String> accessKeys = new LinkedHashMap<>();

        private Account(String name) {
            this.name = name;
        }

        public static Account named(String name) {
            return new Account(name);
        }

        public Account users(String... names) {
            users.addAll(List.of(names));
            return this;
        }

        /** An access key of the account's {@code root} or of {@code user/<name>}. */
        public Account accessKey(String accessKeyId, String rootOrUser) {
            accessKeys.put(accessKeyId, rootOrUser);
            return this;
        }

        private void write(StringBuilder y, String id, String zoneMap) {
            y.append("  - id: \"").append(id).append("\"\n");
            if (name != null) {
                y.append("    name: ").append(name).append('\n');
            }
            if (!users.isEmpty()) {
                y.append("    users: [").append(String.join(", ", users)).append("]\n");
            }
            y.append("    zones: ").append(zoneMap).append('\n');
            if (!accessKeys.isEmpty()) {
                List<String> keys = new ArrayList<>();
                accessKeys.forEach((key, who) -> keys.add(key + ": " + who));
                y.append("    accessKeys: {").append(String.join(", ", keys)).append("}\n");
            }
        }
    }

    /**
     * A network load balancer of the provider with one TCP listener. What is not set is left to
     * the loader's defaults, but for the health check: one every 100 ms with thresholds of 2, so
     * that tests do not wait for the default's tens of seconds.
     */
    public static final class Nlb {
        public static final String FAST_HEALTH_CHECK =
                "{intervalSeconds: 0.1, timeoutSeconds: 0.1, healthyThreshold: 2, unhealthyThreshold: 2}";

        private final String name;
        private String id;
        private final List<String> nodeZones = new ArrayList<>();
        private final List<Integer> nodeHosts = new ArrayList<>();
        private int listenerPort;
        private final List<String> targets = new ArrayList<>();
        private Boolean crossZone;
        private String proxyProtocol;
        private String healthCheck = FAST_HEALTH_CHECK;
        private Integer idleTimeoutSeconds;

        private Nlb(String name) {
            this.name = name;
        }

        public static Nlb named(String name) {
            return new Nlb(name);
        }

        /** A fixed load balancer ID (the part of the ARN after the name) instead of a seeded one. */
        public Nlb id(String id) {
            this.id = id;
            return this;
        }

        /** A node in a zone of the provider's, at {@code 127.N.<its subnet>.<host>}. */
        public Nlb node(String providerZoneName, int host) {
            nodeZones.add(providerZoneName);
            nodeHosts.add(host);
            return this;
        }

        public Nlb listener(int port) {
            this.listenerPort = port;
            return this;
        }

        /** A target in a zone of the provider's, e.g. {@code target("us-east-1a", "builtin: echo")}. */
        public Nlb target(String providerZoneName, String what) {
            targets.add("{zone: " + providerZoneName + ", " + what + "}");
            return this;
        }

        public Nlb crossZone(boolean on) {
            this.crossZone = on;
            return this;
        }

        /** The {@code proxyProtocol} value as YAML, e.g. {@code false} or {@code {v2: true, crc32c: false}}. */
        public Nlb proxyProtocol(String yaml) {
            this.proxyProtocol = yaml;
            return this;
        }

        /** The {@code healthCheck} value as a YAML flow mapping. */
        public Nlb healthCheck(String yaml) {
            this.healthCheck = yaml;
            return this;
        }

        public Nlb idleTimeoutSeconds(int seconds) {
            this.idleTimeoutSeconds = seconds;
            return this;
        }

        private void write(StringBuilder y, WorldYaml world) {
            if (targets.isEmpty()) {
                throw new IllegalStateException("NLB " + name + " needs at least one target");
            }
            y.append("  - name: ").append(name).append('\n');
            y.append("    account: \"").append(PROVIDER_ACCOUNT).append("\"\n");
            if (id != null) {
                y.append("    id: ").append(id).append('\n');
            }
            y.append("    nodes:\n");
            for (int i = 0; i < nodeZones.size(); i++) {
                y.append("      - {zone: ").append(nodeZones.get(i)).append(", ip: ")
                        .append(world.nodeIp(nodeZones.get(i), nodeHosts.get(i))).append("}\n");
            }
            y.append("    listeners: [").append(listenerPort).append("]\n");
            y.append("    targets:\n");
            targets.forEach(t -> y.append("      - ").append(t).append('\n'));
            if (crossZone != null) {
                y.append("    crossZone: ").append(crossZone).append('\n');
            }
            if (proxyProtocol != null) {
                y.append("    proxyProtocol: ").append(proxyProtocol).append('\n');
            }
            y.append("    healthCheck: ").append(healthCheck).append('\n');
            if (idleTimeoutSeconds != null) {
                y.append("    idleTimeoutSeconds: ").append(idleTimeoutSeconds).append('\n');
            }
        }
    }
}
