package io.plsim.core.config;

import io.plsim.core.model.Account;
import io.plsim.core.model.Cidr;
import io.plsim.core.model.Ipv4;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Principal;
import io.plsim.core.model.SecurityGroup;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Topology;
import io.plsim.core.model.Vpc;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the fixed part of a sim-config's world, less its load balancers: the region, the accounts with
 * their users, roles, zones and access keys, and the VPCs with their subnets and security groups.
 *
 * <p>Invariant: only what is well formed and unique is kept (an item with a problem is recorded on its
 * node and left out), every CIDR block is inside 127.0.0.0/8, and no two subnets of the world overlap,
 * since every address lives on this machine's loopback. The region is read first: zone names are
 * checked against it.
 */
final class TopologyReader {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern VPC_ID = Pattern.compile("vpc-[0-9a-z]{1,32}");
    private static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-z]{1,32}");
    private static final Pattern GROUP_ID = Pattern.compile("sg-[0-9a-z]{1,32}");
    private static final Pattern ZONE_ID = Pattern.compile("[a-z0-9]+-az\\d+");
    private static final Pattern IAM_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

    private String region;
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<String, Vpc> vpcs = new LinkedHashMap<>();
    private final Map<String, Subnet> subnets = new LinkedHashMap<>();
    private final Map<String, SecurityGroup> securityGroups = new LinkedHashMap<>();
    private final Map<String, Node> subnetNodes = new HashMap<>();

    /** The region of the file; null while it is missing or not a region name. */
    String region() {
        return region;
    }

    /** The accounts kept, in the order of the file. */
    Collection<Account> accounts() {
        return Collections.unmodifiableCollection(accounts.values());
    }

    /** Whether {@code p} is a root, user or role of an account kept. */
    boolean isPrincipal(Principal p) {
        Account a = accounts.get(p.accountId());
        return a != null && a.has(p);
    }

    /** The topology of what was kept, with the load balancers read beside it. */
    Topology topology(Map<String, LoadBalancer> loadBalancers) {
        return new Topology(region, accounts, vpcs, subnets, securityGroups, loadBalancers);
    }

    void readRegion(Node node) {
        node.text().ifPresent(r -> {
            if (REGION.matcher(r).matches()) {
                region = r;
            } else {
                node.problem("not a region name like us-east-1: " + r);
            }
        });
    }

    /** Reads the {@code accounts} section, which needs at least one. */
    void readAccounts(Node node) {
        List<Node> items = node.list();
        items.forEach(this::readAccount);
        if (items.isEmpty() && node.isList()) {
            node.problem("at least one account is needed");
        }
    }

    /** Reads the {@code vpcs} section, then checks that no two subnets overlap. */
    void readVpcs(Node node) {
        node.list().forEach(this::readVpc);
        checkSubnetOverlaps();
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
                    accounts.put(id.get(), new Account(id.get(), users, roles, zones, keys,
                            node.get("name").text().orElse(null)));
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

    /** The declared account a node names; empty, with a problem recorded on it, when there is none. */
    Optional<Account> accountRef(Node node) {
        return accountId(node).flatMap(id -> {
            Account a = accounts.get(id);
            if (a == null) {
                node.problem("no account " + id + " is declared under accounts");
            }
            return Optional.ofNullable(a);
        });
    }

    /**
     * Whether an ID read (or missing: the missing key is reported already) is of its kind's form and not
     * declared before; false, with the problem recorded on {@code at}, when it is not.
     */
    private static boolean isNewId(Node at, Optional<String> id, Pattern form, String kind, String example,
                                   Map<String, ?> declared) {
        if (id.isPresent() && !form.matcher(id.get()).matches()) {
            at.problem("not a " + kind + " ID like " + example + ": " + id.get());
            return false;
        }
        if (id.isPresent() && declared.containsKey(id.get())) {
            at.problem(kind + " " + id.get() + " is declared twice");
            return false;
        }
        return true;
    }

    private static Optional<Cidr> loopbackCidr(Node node) {
        return node.loopback("a CIDR block like 127.10.0.0/16 (host bits must be zero)", Cidr::parse,
                Ipv4.LOOPBACK::contains);
    }

    private void readVpc(Node node) {
        node.object(Set.of("id", "account", "cidr", "subnets", "securityGroups"), Set.of("id", "account", "cidr"))
                .ifPresent(f -> {
            Optional<String> id = node.get("id").text();
            Optional<Account> account = accountRef(node.get("account"));
            Optional<Cidr> cidr = loopbackCidr(node.get("cidr"));
            if (!isNewId(node.get("id"), id, VPC_ID, "VPC", "vpc-0a1b2c3d", vpcs)) {
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
            if (!isNewId(node.get("id"), id, SUBNET_ID, "subnet", "subnet-0a1b2c3d", subnets)) {
                return;
            }
            Optional<String> zoneId = zone.flatMap(z -> {
                Optional<String> zid = account.zoneId(z);
                if (zid.isEmpty()) {
                    node.get("zone").problem("account " + account.id() + " has no zone named " + z
                            + "; its zones: " + String.join(", ", new TreeSet<>(account.zones().keySet())));
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
}
