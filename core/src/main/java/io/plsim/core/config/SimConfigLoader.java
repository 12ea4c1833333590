package io.plsim.core.config;

import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlEvent;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.elb.LoadBalancing;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.control.CreateEndpointRequest;
import io.plsim.core.control.CreateServiceRequest;
import io.plsim.core.control.EndpointState;
import io.plsim.core.control.ServiceConfiguration;
import io.plsim.core.control.Unsuccessful;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Account;
import io.plsim.core.model.Cidr;
import io.plsim.core.model.Ipv4;
import io.plsim.core.model.Principal;
import io.plsim.core.model.Simulation;
import io.plsim.core.model.Scenario;
import io.plsim.core.model.SecurityGroup;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Topology;
import io.plsim.core.model.Vpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a sim-config (YAML) into a {@link World}. The fixed part becomes a {@link Topology}; every
 * service, permission, notification and endpoint the file declares is then created through the
 * {@link ControlPlane}'s own operations, so a file obeys exactly the rules an API caller does.
 *
 * <p>Every problem names the file, the line and the path of the field; the loader reports all
 * problems of the file's shape and references at once, and then the first rule of the control plane
 * the file breaks.
 */
public final class SimConfigLoader {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern VPC_ID = Pattern.compile("vpc-[0-9a-z]{1,32}");
    private static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-z]{1,32}");
    private static final Pattern GROUP_ID = Pattern.compile("sg-[0-9a-z]{1,32}");
    private static final Pattern ZONE_ID = Pattern.compile("[a-z0-9]+-az\\d+");
    private static final Pattern IAM_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

    private SimConfigLoader() {
    }

    public static World load(Path file) throws SimConfigException {
        return load(file, Clock.systemUTC());
    }

    /** Loads a config file whose control plane tells time by {@code clock}. */
    public static World load(Path file, Clock clock) throws SimConfigException {
        return load(file.toString(), read(file), clock);
    }

    /** The text of a config file, or a problem naming the file: missing, unreadable, not UTF-8. */
    public static String read(Path file) throws SimConfigException {
        try {
            // Read at most a little past the limit: a huge file (or a pipe, whose size says nothing) is
            // refused at once, not after it fills the heap.
            long limit = 4L * YamlWithLines.MAX_FILE_CHARS;
            byte[] bytes;
            try (java.io.InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) limit + 1);
            }
            if (bytes.length > limit) {
                throw SimConfigException.ofFile(file.toString(), "the file is more than " + limit + " bytes long;"
                        + " a sim-config may be at most " + YamlWithLines.MAX_FILE_CHARS + " characters (1 MiB)");
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw SimConfigException.ofFile(file.toString(), "no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            // the JDK's own message is only "Input length = 1"
            throw SimConfigException.ofFile(file.toString(), "cannot read: not UTF-8 text");
        } catch (IOException e) {
            throw SimConfigException.ofFile(file.toString(), "cannot read: " + e.getMessage());
        }
    }

    /** Loads a config from text; {@code source} names it in problems. */
    public static World load(String source, String yaml) throws SimConfigException {
        return load(source, yaml, Clock.systemUTC());
    }

    public static World load(String source, String yaml, Clock clock) throws SimConfigException {
        return new Reader(source, YamlWithLines.parse(source, yaml), clock).read();
    }

    /**
     * The second octets of the 127.x.0.0/16 blocks a config's VPCs and load balancer nodes use,
     * for {@link #load(String, String, Clock, Map)} to move.
     */
    public static Set<Integer> addressBlocks(String source, String yaml) throws SimConfigException {
        return AddressMove.blocks(YamlWithLines.parse(source, yaml).root());
    }

    /**
     * Loads a config with some of its loopback blocks moved: every 127.A.b.c it writes with A a key
     * of {@code moved} is read as 127.{@code moved(A)}.b.c, except the address of a target that is
     * not built in (a service of the user's). Lines and paths of problems are the file's own.
     */
    public static World load(String source, String yaml, Clock clock, Map<Integer, Integer> moved)
            throws SimConfigException {
        YamlWithLines parsed = YamlWithLines.parse(source, yaml);
        AddressMove.apply(parsed.root(), moved);
        return new Reader(source, parsed, clock).read();
    }

    // ---------------------------------------------------------------- reading

    private static final class Reader implements Node.Source {
        private final String source;
        private final YamlWithLines yaml;
        private final Clock clock;
        private final List<ConfigProblem> problems = new ArrayList<>();
        private final List<ControlEvent> startupEvents = new ArrayList<>();
        private final io.plsim.core.control.ControlPlaneListener recorder = startupEvents::add;

        private String region;
        private Simulation simulation = Simulation.DEFAULT;
        private final Map<String, Account> accounts = new LinkedHashMap<>();
        private final Map<String, Vpc> vpcs = new LinkedHashMap<>();
        private final Map<String, Subnet> subnets = new LinkedHashMap<>();
        private final Map<String, SecurityGroup> securityGroups = new LinkedHashMap<>();
        private final Map<String, Node> subnetNodes = new HashMap<>();
        private LoadBalancerReader loadBalancerReader;
        /** Names of every service the file declares, even one with problems of its own. */
        private final Set<String> declaredServices = new HashSet<>();
        private final Set<String> declaredEndpoints = new HashSet<>();

        Reader(String source, YamlWithLines yaml, Clock clock) {
            this.source = source;
            this.yaml = yaml;
            this.clock = clock;
        }

        @Override
        public int line(String pointer) {
            return yaml.line(pointer);
        }

        @Override
        public void problem(int line, String path, String message) {
            problems.add(new ConfigProblem(source, line, path, message));
        }

        World read() throws SimConfigException {
            Node root = Node.root(yaml.root(), this);
            Map<String, Node> top = root.object(
                    Set.of("region", "simulation", "accounts", "vpcs", "loadBalancers", "services", "endpoints",
                            "topics", "scenario"),
                    Set.of("region", "accounts")).orElse(null);
            if (top == null) {
                throw new SimConfigException(problems.isEmpty()
                        ? List.of(new ConfigProblem(source, 1, "", "expected a mapping at the top of the file"))
                        : problems);
            }
            root.get("region").text().ifPresent(r -> {
                if (REGION.matcher(r).matches()) {
                    region = r;
                } else {
                    root.get("region").problem("not a region name like us-east-1: " + r);
                }
            });
            readSimulation(root.get("simulation"));
            List<Node> accountItems = root.get("accounts").list();
            accountItems.forEach(this::readAccount);
            if (accountItems.isEmpty() && root.get("accounts").isList()) {
                root.get("accounts").problem("at least one account is needed");
            }
            root.get("vpcs").list().forEach(this::readVpc);
            checkSubnetOverlaps();
            loadBalancerReader = new LoadBalancerReader(region, this::accountRef);
            root.get("loadBalancers").list().forEach(loadBalancerReader::read);
            TopicReader topics = new TopicReader();
            root.get("topics").list().forEach(topics::read);
            Scenario scenario = new ScenarioReader(simulation.seed(), accounts.values(),
                    loadBalancerReader.loadBalancers().values()).read(root.get("scenario")).orElse(null);
            // Services and endpoints are checked for shape and references even when the topology has
            // problems, so that one run reports them all; only a file without any reaches the control plane.
            Topology topology = null;
            ControlPlane cp = null;
            if (problems.isEmpty() && region != null) {
                topology = new Topology(region, accounts, vpcs, subnets, securityGroups,
                        loadBalancerReader.loadBalancers());
                cp = new ControlPlane(topology, clock, simulation.seed());
                cp.retainDeleted(simulation.deletedEndpointRetention());
                cp.addListener(recorder);
            }
            Map<String, String> serviceIds = new LinkedHashMap<>();
            Map<String, String> endpointIds = new LinkedHashMap<>();
            for (Node s : root.get("services").list()) {
                readService(s, cp, serviceIds);
            }
            for (Node e : root.get("endpoints").list()) {
                readEndpoint(e, cp, serviceIds, endpointIds);
            }
            if (!problems.isEmpty() || cp == null) {
                throw new SimConfigException(problems);
            }
            cp.removeListener(recorder);
            return new World(source, topology, cp, new LoadBalancing(topology), simulation, ordered(serviceIds),
                    ordered(endpointIds), topics.topics(), startupEvents, scenario);
        }

        private static Map<String, String> ordered(Map<String, String> map) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(map));
        }

        private void readSimulation(Node node) {
            node.object(Set.of("seed", "admission", "deletedEndpointRetentionSeconds"), Set.of()).ifPresent(f -> {
                long seed = Simulation.DEFAULT.seed();
                Simulation.Admission admission = Simulation.DEFAULT.admission();
                java.time.Duration retention = Simulation.DEFAULT_DELETED_RETENTION;
                if (f.containsKey("deletedEndpointRetentionSeconds")) {
                    retention = f.get("deletedEndpointRetentionSeconds").seconds(0, 7 * 86_400)
                            .map(java.time.Duration::ofMillis).orElse(retention);
                }
                if (f.containsKey("seed")) {
                    seed = f.get("seed").integer(0, Integer.MAX_VALUE).orElse((int) seed);
                }
                if (f.containsKey("admission")) {
                    Node a = f.get("admission");
                    Optional<String> text = a.text();
                    if (text.isPresent()) {
                        switch (text.get()) {
                            case "reset" -> admission = Simulation.Admission.RESET;
                            case "blackhole" -> admission = Simulation.Admission.BLACKHOLE;
                            default -> a.problem("expected reset or blackhole, found " + text.get());
                        }
                    }
                }
                simulation = new Simulation(seed, admission, retention);
            });
        }

        private void readAccount(Node node) {
            node.object(Set.of("id", "name", "users", "roles", "zones", "accessKeys"), Set.of("id", "zones"))
                    .ifPresent(f -> {
                        Optional<String> id = accountId(node.get("id"));
                        if (id.isEmpty()) {
                            return;
                        }
                        if (accounts.containsKey(id.get())) {
                            node.get("id").problem("account " + id.get() + " is declared twice");
                            return;
                        }
                        List<String> users = iamNames(node.get("users"));
                        List<String> roles = iamNames(node.get("roles"));
                        Map<String, String> zones = new LinkedHashMap<>();
                        readZones(node.get("zones"), zones);
                        Map<String, Principal> keys = new LinkedHashMap<>();
                        Account partial = new Account(id.get(), users, roles, zones, Map.of());
                        readAccessKeys(node.get("accessKeys"), partial, keys);
                        accounts.put(id.get(), new Account(id.get(), users, roles, zones, keys));
                    });
        }

        private void readZones(Node node, Map<String, String> zones) {
            Map<String, Node> entries = node.entries("a mapping of zone names to zone IDs, like us-east-1a: use1-az1");
            if (entries.isEmpty() && node.isMapping()) {
                node.problem("an account needs at least one zone, like us-east-1a: use1-az1");
            }
            Set<String> ids = new LinkedHashSet<>();
            entries.forEach((name, child) -> {
                if (!name.matches("[a-z]{2}(-[a-z]+)+-\\d[a-z]") || (region != null && !name.startsWith(region))) {
                    child.problem("zone name " + name + " is not a zone of region " + region + " (like " + region + "a)");
                    return;
                }
                child.text().ifPresent(zoneId -> {
                    if (!ZONE_ID.matcher(zoneId).matches()) {
                        child.problem("not a zone ID like use1-az1: " + zoneId);
                    } else if (!ids.add(zoneId)) {
                        child.problem("zone ID " + zoneId + " is mapped from two zone names of this account");
                    } else {
                        zones.put(name, zoneId);
                    }
                });
            });
        }

        private void readAccessKeys(Node node, Account account, Map<String, Principal> keys) {
            node.entries("a mapping of access key IDs to principals (root, user/<name>, role/<name>)")
                    .forEach((key, child) -> {
                if (!key.matches("[A-Z0-9]{12,128}")) {
                    child.problem("access key ID " + key + " must be 12 to 128 capital letters and digits");
                    return;
                }
                if (accounts.values().stream().anyMatch(a -> a.accessKeys().containsKey(key))) {
                    child.problem("access key ID " + key + " is already used by another account");
                    return;
                }
                child.text().ifPresent(value -> {
                    Principal p = switch (value) {
                        case "root" -> Principal.root(account.id());
                        default -> {
                            Optional<Principal> parsed = value.startsWith("arn:")
                                    ? Principal.parse(value)
                                    : Principal.parse("arn:aws:iam::" + account.id() + ":" + value);
                            yield parsed.orElse(null);
                        }
                    };
                    if (p == null || p.kind() == Principal.Kind.ALL) {
                        child.problem("expected root, user/<name> or role/<name>, found " + value);
                    } else if (!account.has(p)) {
                        child.problem(p.arn() + " is not a principal of account " + account.id()
                                + "; declare the user or role under users/roles");
                    } else {
                        keys.put(key, p);
                    }
                });
            });
        }

        private List<String> iamNames(Node node) {
            List<String> names = new ArrayList<>();
            for (Node item : node.list()) {
                item.text().ifPresent(n -> {
                    if (!IAM_NAME.matcher(n).matches()) {
                        item.problem("not an IAM name (letters, digits and +=,.@_-, at most 64): " + n);
                    } else if (names.contains(n)) {
                        item.problem(n + " is listed twice");
                    } else {
                        names.add(n);
                    }
                });
            }
            return names;
        }

        private Optional<String> accountId(Node node) {
            return node.text().flatMap(id -> {
                if (!ACCOUNT_ID.matcher(id).matches()) {
                    node.problem("an account ID is 12 digits, found " + id + " (quote it: \"111122223333\")");
                    return Optional.empty();
                }
                return Optional.of(id);
            });
        }

        private Optional<Account> accountRef(Node node) {
            return accountId(node).flatMap(id -> {
                Account a = accounts.get(id);
                if (a == null) {
                    node.problem("no account " + id + " is declared under accounts");
                }
                return Optional.ofNullable(a);
            });
        }

        private void readVpc(Node node) {
            node.object(Set.of("id", "account", "cidr", "subnets", "securityGroups"), Set.of("id", "account", "cidr"))
                    .ifPresent(f -> {
                Optional<String> id = node.get("id").text();
                Optional<Account> account = accountRef(node.get("account"));
                Optional<Cidr> cidr = loopbackCidr(node.get("cidr"));
                if (id.isPresent() && !VPC_ID.matcher(id.get()).matches()) {
                    node.get("id").problem("not a VPC ID like vpc-0a1b2c3d: " + id.get());
                    return;
                }
                if (id.isPresent() && vpcs.containsKey(id.get())) {
                    node.get("id").problem("VPC " + id.get() + " is declared twice");
                    return;
                }
                if (id.isEmpty() || account.isEmpty() || cidr.isEmpty()) {
                    return;
                }
                Vpc vpc = new Vpc(id.get(), account.get().id(), cidr.get());
                vpcs.put(vpc.id(), vpc);
                for (Node s : node.get("subnets").list()) {
                    readSubnet(s, vpc, account.get());
                }
                addGroup(node.get("id"), SecurityGroup.defaultOf(vpc));
                for (Node g : node.get("securityGroups").list()) {
                    readSecurityGroup(g, vpc);
                }
            });
        }

        private void readSecurityGroup(Node node, Vpc vpc) {
            node.object(Set.of("id", "name", "description"), Set.of("id", "name")).ifPresent(f -> {
                Optional<String> id = node.get("id").text();
                Optional<String> name = node.get("name").text();
                String description = node.get("description").text().orElse(name.orElse(""));
                if (id.isPresent() && !GROUP_ID.matcher(id.get()).matches()) {
                    node.get("id").problem("not a security group ID like sg-0a1b2c3d: " + id.get());
                    return;
                }
                if (name.isPresent() && name.get().equalsIgnoreCase(SecurityGroup.DEFAULT_NAME)) {
                    node.get("name").problem("every VPC has its default group already (" + SecurityGroup.defaultOf(vpc).id()
                            + "); a declared group needs another name");
                    return;
                }
                if (id.isEmpty() || name.isEmpty()) {
                    return;
                }
                for (SecurityGroup other : securityGroups.values()) {
                    if (other.vpcId().equals(vpc.id()) && other.name().equals(name.get())) {
                        node.get("name").problem("VPC " + vpc.id() + " has a group named " + name.get() + " already");
                        return;
                    }
                }
                addGroup(node.get("id"), new SecurityGroup(id.get(), vpc.id(), vpc.accountId(), name.get(), description));
            });
        }

        private void addGroup(Node where, SecurityGroup group) {
            SecurityGroup twin = securityGroups.putIfAbsent(group.id(), group);
            if (twin != null) {
                where.problem("security group " + group.id() + " is declared twice"
                        + (twin.isDefault() ? " (it is the default group of " + twin.vpcId() + ")" : ""));
            }
        }

        private void readSubnet(Node node, Vpc vpc, Account account) {
            node.object(Set.of("id", "zone", "cidr"), Set.of("id", "zone", "cidr")).ifPresent(f -> {
                Optional<String> id = node.get("id").text();
                Optional<String> zone = node.get("zone").text();
                Optional<Cidr> cidr = loopbackCidr(node.get("cidr"));
                if (id.isPresent() && !SUBNET_ID.matcher(id.get()).matches()) {
                    node.get("id").problem("not a subnet ID like subnet-0a1b2c3d: " + id.get());
                    return;
                }
                if (id.isPresent() && subnets.containsKey(id.get())) {
                    node.get("id").problem("subnet " + id.get() + " is declared twice");
                    return;
                }
                Optional<String> zoneId = zone.flatMap(z -> {
                    Optional<String> zid = account.zoneId(z);
                    if (zid.isEmpty()) {
                        node.get("zone").problem("account " + account.id() + " has no zone named " + z
                                + "; its zones: " + String.join(", ", new java.util.TreeSet<>(account.zones().keySet())));
                    }
                    return zid;
                });
                if (cidr.isPresent() && !vpc.cidr().contains(cidr.get())) {
                    node.get("cidr").problem(cidr.get() + " is not inside the VPC's " + vpc.cidr());
                    return;
                }
                if (cidr.isPresent() && cidr.get().prefixLength() > 28) {
                    node.get("cidr").problem("a subnet is /16 to /28, as in AWS; found " + cidr.get());
                    return;
                }
                if (id.isEmpty() || zoneId.isEmpty() || cidr.isEmpty()) {
                    return;
                }
                subnets.put(id.get(), new Subnet(id.get(), vpc.id(), account.id(), zone.get(), zoneId.get(), cidr.get()));
                subnetNodes.put(id.get(), node);
            });
        }

        private void checkSubnetOverlaps() {
            // Every address of the world is on one machine's loopback, so no two subnets may overlap,
            // even in different VPCs or accounts (AWS would allow that; here it would alias addresses).
            List<Subnet> all = new ArrayList<>(subnets.values());
            for (int i = 0; i < all.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (all.get(i).cidr().overlaps(all.get(j).cidr())) {
                        subnetNodes.get(all.get(i).id()).get("cidr").problem(all.get(i).cidr() + " overlaps "
                                + all.get(j).cidr() + " of " + all.get(j).id()
                                + "; every address lives on this machine's loopback, so subnets may not overlap");
                    }
                }
            }
        }

        private Optional<Cidr> loopbackCidr(Node node) {
            return node.text().flatMap(text -> {
                Optional<Cidr> cidr = Cidr.parse(text);
                if (cidr.isEmpty()) {
                    node.problem("not a CIDR block like 127.10.0.0/16 (host bits must be zero): " + text);
                } else if (!Ipv4.LOOPBACK.contains(cidr.get())) {
                    node.problem(text + " is outside 127.0.0.0/8; simulated addresses stay on loopback");
                    return Optional.empty();
                }
                return cidr;
            });
        }

        // ------------------------------------------------------------ through the control plane

        /**
         * Whether items may go to the control plane: only while the file has no problem, so that the
         * loader reports the first rule of the control plane the file breaks, and after it only
         * problems of shape and reference (a later item may depend on the refused one).
         */
        private boolean live(ControlPlane cp) {
            return cp != null && problems.isEmpty();
        }

        /** Runs an operation of the control plane; empty, with the refusal recorded at {@code at}, when refused. */
        private <T> Optional<T> apply(Node at, java.util.function.Supplier<T> op) {
            try {
                return Optional.of(op.get());
            } catch (ControlPlaneException e) {
                at.problem("refused by the control plane: " + e.code() + ": " + e.getMessage());
                return Optional.empty();
            }
        }

        private void applyBatch(Node at, java.util.function.Supplier<List<Unsuccessful>> op) {
            apply(at, op).filter(failed -> !failed.isEmpty()).ifPresent(failed -> {
                Unsuccessful u = failed.get(0);
                at.problem("refused by the control plane: " + u.code() + ": " + u.message());
            });
        }

        private Caller rootOf(Account account) {
            return new Caller(Principal.root(account.id()), region);
        }

        private void readService(Node node, ControlPlane cp, Map<String, String> serviceIds) {
            Map<String, Node> f = node.object(Set.of("name", "account", "loadBalancers", "acceptanceRequired",
                    "allowedPrincipals", "notifications"), Set.of("name", "account", "loadBalancers")).orElse(null);
            if (f == null) {
                return;
            }
            Optional<String> name = node.get("name").text();
            if (name.isPresent() && !declaredServices.add(name.get())) {
                node.get("name").problem("service " + name.get() + " is declared twice");
                name = Optional.empty();
            }
            Optional<Account> account = accountRef(node.get("account"));
            List<String> arns = new ArrayList<>();
            for (Node lb : node.get("loadBalancers").list()) {
                lb.text().ifPresent(ref -> {
                    String arn = ref.startsWith("arn:") ? ref : loadBalancerReader.arnOf(ref);
                    if (arn != null) {
                        arns.add(arn);
                    } else if (!loadBalancerReader.isDeclared(ref)) {
                        lb.problem("no load balancer named " + ref + " is declared under loadBalancers");
                    }
                });
            }
            Boolean acceptance = node.get("acceptanceRequired").bool().orElse(null);
            List<String> principals = node.get("allowedPrincipals").texts();
            if (!live(cp) || name.isEmpty() || account.isEmpty()) {
                readNotifications(node.get("notifications"), null, null, null, null);
                return;
            }
            Caller owner = rootOf(account.get());
            Optional<ServiceConfiguration> created = apply(node.get("loadBalancers"),
                    () -> cp.createServiceConfiguration(owner, new CreateServiceRequest(arns, acceptance, null, null, null)));
            if (created.isEmpty()) {
                readNotifications(node.get("notifications"), null, null, null, null);
                return;
            }
            String serviceId = created.get().serviceId();
            serviceIds.put(name.get(), serviceId);
            if (!principals.isEmpty()) {
                apply(node.get("allowedPrincipals"), () -> {
                    cp.modifyServicePermissions(owner, serviceId, principals, List.of());
                    return serviceId;
                });
            }
            readNotifications(node.get("notifications"), cp, owner, serviceId, null);
        }

        /** Checks the notifications of a service or endpoint, and creates them when {@code cp} may be used. */
        private void readNotifications(Node node, ControlPlane cp, Caller owner, String serviceId, String endpointId) {
            for (Node item : node.list()) {
                if (item.object(Set.of("topic", "events"), Set.of("topic", "events")).isEmpty()) {
                    continue;
                }
                Optional<String> topic = item.get("topic").text();
                List<String> events = item.get("events").texts();
                if (owner == null || topic.isEmpty() || !live(cp)) {
                    continue;
                }
                apply(item, () -> cp.createConnectionNotification(owner, serviceId, endpointId, topic.get(), events));
            }
        }

        private void readEndpoint(Node node, ControlPlane cp, Map<String, String> serviceIds,
                                  Map<String, String> endpointIds) {
            Map<String, Node> f = node.object(Set.of("name", "principal", "service", "vpc", "subnets", "state",
                    "tags", "notifications", "securityGroups"), Set.of("name", "principal", "service", "vpc", "subnets"))
                    .orElse(null);
            if (f == null) {
                return;
            }
            Optional<String> name = node.get("name").text();
            if (name.isPresent() && !declaredEndpoints.add(name.get())) {
                node.get("name").problem("endpoint " + name.get() + " is declared twice");
            }
            Optional<Principal> principal = node.get("principal").text().flatMap(text -> {
                Optional<Principal> p = Principal.parse(text).filter(x -> x.kind() != Principal.Kind.ALL);
                if (p.isEmpty()) {
                    node.get("principal").problem("expected the ARN of a root, user or role, found " + text);
                } else if (!accounts.containsKey(p.get().accountId()) || !accounts.get(p.get().accountId()).has(p.get())) {
                    node.get("principal").problem(text + " is not a principal of this world");
                    return Optional.empty();
                }
                return p;
            });
            // A service by its name under services, or by its full service name (com.amazonaws.vpce...);
            // empty when the named service was not created (it has problems of its own).
            Optional<String> serviceName = node.get("service").text().flatMap(ref -> {
                if (ref.startsWith("com.amazonaws.")) {
                    return Optional.of(ref);
                }
                if (!declaredServices.contains(ref)) {
                    node.get("service").problem("no service named " + ref + " is declared under services");
                    return Optional.empty();
                }
                return Optional.ofNullable(serviceIds.get(ref)).map(id -> "com.amazonaws.vpce." + region + "." + id);
            });
            Optional<String> vpc = node.get("vpc").text();
            List<String> subnetIds = node.get("subnets").texts();
            Map<String, String> tags = new LinkedHashMap<>();
            node.get("tags").entries("a mapping of tag keys to values")
                    .forEach((k, v) -> v.text().ifPresent(text -> tags.put(k, text)));
            Optional<EndpointState> state = node.get("state").text().flatMap(s -> {
                for (EndpointState st : List.of(EndpointState.PENDING_ACCEPTANCE, EndpointState.AVAILABLE,
                        EndpointState.REJECTED)) {
                    if (st.wire().equals(s)) {
                        return Optional.of(st);
                    }
                }
                node.get("state").problem("expected pendingAcceptance, available or rejected, found " + s);
                return Optional.empty();
            });
            if (!live(cp) || name.isEmpty() || principal.isEmpty() || serviceName.isEmpty() || vpc.isEmpty()) {
                readNotifications(node.get("notifications"), null, null, null, null);
                return;
            }
            Caller caller = new Caller(principal.get(), region);
            Optional<VpcEndpoint> made = apply(node, () -> cp.createVpcEndpoint(caller,
                    new CreateEndpointRequest(vpc.get(), serviceName.get(), subnetIds, null, null, null, tags,
                            node.get("securityGroups").texts())));
            if (made.isEmpty()) {
                readNotifications(node.get("notifications"), null, null, null, null);
                return;
            }
            VpcEndpoint created = made.get();
            endpointIds.put(name.get(), created.vpcEndpointId());
            readNotifications(node.get("notifications"), cp, new Caller(Principal.root(principal.get().accountId()),
                    region), null, created.vpcEndpointId());
            if (state.isPresent() && state.get() != created.state() && live(cp)) {
                ServiceConfiguration service = cp.services().stream()
                        .filter(s -> s.serviceId().equals(created.serviceId())).findFirst().orElseThrow();
                Caller owner = new Caller(Principal.root(service.ownerId()), region);
                List<String> ids = List.of(created.vpcEndpointId());
                switch (state.get()) {
                    case AVAILABLE -> applyBatch(node.get("state"),
                            () -> cp.acceptConnections(owner, service.serviceId(), ids));
                    case REJECTED -> applyBatch(node.get("state"),
                            () -> cp.rejectConnections(owner, service.serviceId(), ids));
                    default -> node.get("state").problem("the service accepts endpoints automatically, so this"
                            + " endpoint starts available and cannot be pendingAcceptance");
                }
            }
        }
    }
}
