package io.plsim.core.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.plsim.core.control.EndpointState;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Sim-configs that must be refused, each with the problem's line, field path and message. Every
 * file is built from a text block; the line numbers in the comments were counted by hand.
 */
class SimConfigProblemsTest {

    static final String SOURCE = "bad.yaml";

    /**
     * Lines 1-8: a region and two accounts whose zone names map to different zone IDs. Files that
     * start with it begin their own part at line 9.
     */
    static final String ACCOUNTS = """
            region: us-east-1
            accounts:
              - id: "111122223333"
                users: [alice]
                zones: {us-east-1a: use1-az1, us-east-1b: use1-az2}
              - id: "444455556666"
                users: [bob]
                zones: {us-east-1a: use1-az2, us-east-1b: use1-az1}
            """;

    /**
     * Lines 1-22: {@link #ACCOUNTS}, a consumer VPC with two subnets in the consumer's us-east-1a
     * (use1-az2) and one in its us-east-1b (use1-az1), and a provider NLB with a node in both zones.
     * Files that start with it begin their own part at line 23.
     */
    static final String NETWORK = ACCOUNTS + """
            vpcs:
              - id: vpc-1
                account: "444455556666"
                cidr: 127.2.0.0/16
                subnets:
                  - {id: subnet-1, zone: us-east-1a, cidr: 127.2.1.0/24}
                  - {id: subnet-2, zone: us-east-1a, cidr: 127.2.2.0/24}
                  - {id: subnet-3, zone: us-east-1b, cidr: 127.2.3.0/24}
            loadBalancers:
              - name: nlb
                account: "111122223333"
                nodes:
                  - {zone: us-east-1a, ip: 127.1.1.10}
                  - {zone: us-east-1b, ip: 127.1.2.10}
            """;

    static World loads(String yaml) {
        try {
            return SimConfigLoader.load(SOURCE, yaml);
        } catch (SimConfigException e) {
            return fail("should load, but:\n" + e.getMessage());
        }
    }

    static List<ConfigProblem> problems(String yaml) {
        SimConfigException e = assertThrows(SimConfigException.class, () -> SimConfigLoader.load(SOURCE, yaml));
        List<ConfigProblem> problems = e.problems();
        assertFalse(problems.isEmpty(), "refused without a problem");
        for (ConfigProblem p : problems) {
            assertEquals(SOURCE, p.source(), p.toString());
        }
        assertEquals(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")),
                e.getMessage());
        return problems;
    }

    /** The file has exactly one problem, at this line and path, with this fragment in its message. */
    static ConfigProblem only(String yaml, int line, String path, String fragment) {
        List<ConfigProblem> problems = problems(yaml);
        assertEquals(1, problems.size(), () -> "expected one problem, got:\n" + lines(problems));
        assertProblem(problems.get(0), line, path, fragment);
        return problems.get(0);
    }

    static void assertProblem(ConfigProblem p, int line, String path, String fragment) {
        assertAll(p.toString(),
                () -> assertEquals(line, p.line(), "line"),
                () -> assertEquals(path, p.path(), "path"),
                () -> assertTrue(p.message().contains(fragment), "message should contain: " + fragment));
    }

    static String lines(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }

    // ---------------------------------------------------------------- the building blocks are valid

    @Test
    void theSharedPrefixesAreValidAndAsLongAsTheCommentsSay() {
        assertEquals(8, ACCOUNTS.lines().count());
        assertEquals(22, NETWORK.lines().count());
        loads(ACCOUNTS);
        World w = loads(NETWORK);
        assertEquals(3, w.topology().subnets().size());
        assertEquals(1, w.topology().loadBalancers().size());
    }

    @Test
    void aServiceAndEndpointOnTheNetworkLoad() {
        World w = loads(NETWORK + """
                services:
                  - name: svc
                    account: "111122223333"
                    loadBalancers: [nlb]
                    allowedPrincipals: ["*"]
                endpoints:
                  - name: ep
                    principal: arn:aws:iam::444455556666:root
                    service: svc
                    vpc: vpc-1
                    subnets: [subnet-1, subnet-3]
                    state: rejected
                """);
        assertEquals(EndpointState.REJECTED, w.controlPlane().endpoints().get(0).state());
    }

    // ---------------------------------------------------------------- unknown keys

    @Nested
    class UnknownKeys {

        @Test
        void atTheTopLevel() {
            only(ACCOUNTS + """
                    regoin: us-west-2
                    """, 9, "regoin", "unknown key; expected one of: accounts, dns, endpoints, loadBalancers, region,");
        }

        @Test
        void insideALoadBalancer() {
            ConfigProblem p = only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                        listners: [80]
                    """, 13, "loadBalancers[0].listners", "unknown key");
            assertTrue(p.message().contains("listeners"), "names the keys it knows: " + p);
        }

        @Test
        void insideATarget() {
            only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                        targets:
                          - {zone: us-east-1a, builtin: echo}
                          - zone: us-east-1a
                            builtin: echo
                            weight: 2
                    """, 17, "loadBalancers[0].targets[1].weight", "unknown key; expected one of: address, builtin, zone");
        }

        @Test
        void insideAnEndpoint() {
            only(NETWORK + """
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                    endpoints:
                      - name: ep
                        principal: arn:aws:iam::444455556666:root
                        service: svc
                        vpc: vpc-1
                        subnets: [subnet-1]
                        privateDns: true
                    """, 33, "endpoints[0].privateDns", "unknown key");
        }
    }

    // ---------------------------------------------------------------- wrong types

    @Nested
    class WrongTypes {

        @Test
        void aStringWhereAListIsExpected() {
            only("""
                    region: us-east-1
                    accounts:
                      - id: "111122223333"
                        users: alice
                        zones: {us-east-1a: use1-az1}
                    """, 4, "accounts[0].users", "expected a list, found \"alice\"");
        }

        @Test
        void aListWhereAMappingIsExpected() {
            // one mistake, one problem: not also "an account needs at least one zone"
            only("""
                    region: us-east-1
                    accounts:
                      - id: "111122223333"
                        zones: [us-east-1a, use1-az1]
                    """, 4, "accounts[0].zones", "expected a mapping of zone names to zone IDs");
        }

        @Test
        void aListWhereTheLoadBalancerMappingIsExpected() {
            only(ACCOUNTS + """
                    loadBalancers:
                      - [nlb, "111122223333"]
                    """, 10, "loadBalancers[0]", "expected a mapping of keys (account, crossZone,");
        }

        @Test
        void crossZoneAsAString() {
            only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                        crossZone: "yes"
                    """, 13, "loadBalancers[0].crossZone", "expected true or false, found \"yes\"");
        }

        @Test
        void aListenerPortAsAWord() {
            only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                        listeners: [80, http]
                    """, 13, "loadBalancers[0].listeners[1]", "expected a whole number from 1 to 65535");
        }

        @Test
        void nodesAsAStringIsOneProblem() {
            // not also "a load balancer needs a node in at least one zone"
            only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes: us-east-1a
                    """, 12, "loadBalancers[0].nodes", "expected a list, found \"us-east-1a\"");
        }

        @Test
        void accountsAsAStringIsOneProblem() {
            // not also "at least one account is needed"
            only("""
                    region: us-east-1
                    accounts: "111122223333"
                    """, 2, "accounts", "expected a list");
        }

        @Test
        void theTopOfTheFileAsAList() {
            only("""
                    - region: us-east-1
                    """, 1, "", "expected a mapping of keys");
        }

        @Test
        void anEmptyListItemIsReportedNotDropped() {
            only(NETWORK + """
                    services:
                      - ~
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                    """, 24, "services[0]", "an empty item");
        }
    }

    // ---------------------------------------------------------------- missing keys

    @Nested
    class MissingKeys {

        @Test
        void aLoadBalancerWithoutItsAccount() {
            only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                    """, 10, "loadBalancers[0]", "missing required key 'account'");
        }

        @Test
        void aFileWithoutAccounts() {
            only("""
                    region: us-east-1
                    """, 1, "", "missing required key 'accounts'");
        }

        @Test
        void anEndpointWithoutSubnets() {
            only(NETWORK + """
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                    endpoints:
                      - name: ep
                        principal: arn:aws:iam::444455556666:root
                        service: svc
                        vpc: vpc-1
                    """, 28, "endpoints[0]", "missing required key 'subnets'");
        }

        @Test
        void severalMissingKeysOfOneItemComeInAStableOrder() {
            List<ConfigProblem> problems = problems(ACCOUNTS + """
                    services:
                      - name: svc
                    """);
            assertEquals(2, problems.size(), () -> lines(problems));
            assertProblem(problems.get(0), 10, "services[0]", "missing required key 'account'");
            assertProblem(problems.get(1), 10, "services[0]", "missing required key 'loadBalancers'");
        }
    }

    // ---------------------------------------------------------------- references

    @Nested
    class DanglingReferences {

        @Test
        void aServiceNamingAnUndeclaredLoadBalancer() {
            only(NETWORK + """
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb, nlb-2]
                    """, 26, "services[0].loadBalancers[1]", "no load balancer named nlb-2 is declared");
        }

        @Test
        void anEndpointNamingAnUndeclaredService() {
            only(NETWORK + """
                    endpoints:
                      - name: ep
                        principal: arn:aws:iam::444455556666:root
                        service: svc
                        vpc: vpc-1
                        subnets: [subnet-1]
                    """, 26, "endpoints[0].service", "no service named svc is declared");
        }

        @Test
        void aVpcOfAnUndeclaredAccount() {
            only(ACCOUNTS + """
                    vpcs:
                      - id: vpc-1
                        account: "777788889999"
                        cidr: 127.2.0.0/16
                    """, 11, "vpcs[0].account", "no account 777788889999 is declared");
        }

        @Test
        void aSubnetZoneNotAmongTheAccountsZones() {
            only(ACCOUNTS + """
                    vpcs:
                      - id: vpc-1
                        account: "444455556666"
                        cidr: 127.2.0.0/16
                        subnets:
                          - {id: subnet-1, zone: us-east-1c, cidr: 127.2.1.0/24}
                    """, 14, "vpcs[0].subnets[0].zone", "account 444455556666 has no zone named us-east-1c; its zones: us-east-1a, us-east-1b");
        }

        @Test
        void aTargetInAZoneWhereTheLoadBalancerHasNoNode() {
            only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                        targets: [{zone: us-east-1b, builtin: echo}]
                    """, 13, "loadBalancers[0].targets[0].zone", "has no node in us-east-1b");
        }

        @Test
        void anEndpointPrincipalThatIsNotOfThisWorld() {
            only(NETWORK + """
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                    endpoints:
                      - name: ep
                        principal: arn:aws:iam::444455556666:user/mallory
                        service: svc
                        vpc: vpc-1
                        subnets: [subnet-1]
                    """, 29, "endpoints[0].principal", "is not a principal of this world");
        }
    }

    // ---------------------------------------------------------------- the loopback

    @Nested
    class Addresses {

        @Test
        void overlappingSubnetsOfOneVpc() {
            only(ACCOUNTS + """
                    vpcs:
                      - id: vpc-1
                        account: "444455556666"
                        cidr: 127.2.0.0/16
                        subnets:
                          - {id: subnet-1, zone: us-east-1a, cidr: 127.2.1.0/24}
                          - {id: subnet-2, zone: us-east-1b, cidr: 127.2.1.128/25}
                    """, 15, "vpcs[0].subnets[1].cidr", "127.2.1.128/25 overlaps 127.2.1.0/24 of subnet-1");
        }

        @Test
        void overlappingSubnetsOfTwoVpcsOfDifferentAccounts() {
            only(ACCOUNTS + """
                    vpcs:
                      - id: vpc-1
                        account: "111122223333"
                        cidr: 127.1.0.0/16
                        subnets:
                          - {id: subnet-1, zone: us-east-1a, cidr: 127.1.1.0/24}
                      - id: vpc-2
                        account: "444455556666"
                        cidr: 127.0.0.0/14
                        subnets:
                          - {id: subnet-2, zone: us-east-1a, cidr: 127.1.0.0/16}
                    """, 19, "vpcs[1].subnets[0].cidr", "127.1.0.0/16 overlaps 127.1.1.0/24 of subnet-1");
        }

        @Test
        void aVpcCidrOutsideTheLoopback() {
            only(ACCOUNTS + """
                    vpcs:
                      - id: vpc-1
                        account: "444455556666"
                        cidr: 10.2.0.0/16
                    """, 12, "vpcs[0].cidr", "10.2.0.0/16 is outside 127.0.0.0/8");
        }

        @Test
        void aSubnetCidrOutsideTheLoopback() {
            only(ACCOUNTS + """
                    vpcs:
                      - id: vpc-1
                        account: "444455556666"
                        cidr: 127.2.0.0/16
                        subnets:
                          - {id: subnet-1, zone: us-east-1a, cidr: 10.2.1.0/24}
                    """, 14, "vpcs[0].subnets[0].cidr", "10.2.1.0/24 is outside 127.0.0.0/8");
        }

        @Test
        void aNodeIpOutsideTheLoopback() {
            only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes:
                          - {zone: us-east-1a, ip: 127.1.1.10}
                          - {zone: us-east-1b, ip: 10.1.2.10}
                    """, 14, "loadBalancers[0].nodes[1].ip", "10.1.2.10 is outside 127.0.0.0/8");
        }

        @Test
        void aNodeRefusedForItsIpStillCountsForItsZone() {
            // one mistake, one problem: the target in us-east-1b is not also "in a zone without a node",
            // and the second node in us-east-1b is still a second node there
            List<ConfigProblem> problems = problems(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes:
                          - {zone: us-east-1b, ip: 10.1.2.10}
                          - {zone: us-east-1b, ip: 127.1.2.11}
                        targets: [{zone: us-east-1b, builtin: echo}]
                    """);
            assertEquals(2, problems.size(), () -> lines(problems));
            assertProblem(problems.get(0), 13, "loadBalancers[0].nodes[0].ip", "10.1.2.10 is outside 127.0.0.0/8");
            assertProblem(problems.get(1), 14, "loadBalancers[0].nodes[1].zone", "already has a node in us-east-1b");
        }

        @Test
        void aTargetAddressOutsideTheLoopback() {
            only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                        targets:
                          - {zone: us-east-1a, address: "192.168.1.5:8080"}
                    """, 14, "loadBalancers[0].targets[0].address", "192.168.1.5:8080 is outside 127.0.0.0/8");
        }

        @Test
        void aTargetAddressWithoutAPort() {
            ConfigProblem p = only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                        targets:
                          - {zone: us-east-1a, address: "127.0.0.1:9001"}
                          - {zone: us-east-1a, builtin: echo}
                          - {zone: us-east-1a, address: "127.0.0.1"}
                    """, 16, "loadBalancers[0].targets[2].address", "not host:port");
            assertTrue(p.toString().startsWith("bad.yaml:16: loadBalancers[0].targets[2].address: not host:port"), p.toString());
            assertTrue(p.message().endsWith(": 127.0.0.1"), p.toString());
        }

        @Test
        void aUdpListener() {
            only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                        listeners:
                          - {port: 443, protocol: TCP}
                          - {port: 53, protocol: UDP}
                    """, 15, "loadBalancers[0].listeners[1].protocol", "only TCP listeners are supported");
        }
    }

    // ---------------------------------------------------------------- not YAML, or nothing

    @Nested
    class ProxyProtocolSettings {

        private io.plsim.core.model.LoadBalancer.ProxyProtocol read(String value) {
            return loads(NETWORK + "    proxyProtocol: " + value + "\n").topology().loadBalancers().values()
                    .iterator().next().proxyProtocol();
        }

        @Test
        void trueAndV2AreTheHeadersNlbSendsWhereItSendsThem() {
            var aws = io.plsim.core.model.LoadBalancer.ProxyProtocol.AWS;
            assertEquals(aws, read("true"));
            assertEquals(aws, read("{v2: true}"));
            assertEquals(aws, read("{v2: true, crc32c: true, layout: aws, headerPlacement: on-first-ack-with-payload}"));
            assertFalse(read("false").enabled());
        }

        @Test
        void minimalLayoutHasTheChecksumOnlyWhenAsked() {
            var minimal = read("{v2: true, layout: minimal}");
            assertEquals(io.plsim.core.model.LoadBalancer.ProxyProtocol.Layout.MINIMAL, minimal.layout());
            assertFalse(minimal.crc32c());
            assertTrue(read("{v2: true, layout: minimal, crc32c: true}").crc32c());
        }

        @Test
        void onFirstAckIsTheOtherPlacement() {
            assertEquals(io.plsim.core.model.LoadBalancer.ProxyProtocol.HeaderPlacement.ON_FIRST_ACK,
                    read("{v2: true, headerPlacement: on-first-ack}").placement());
        }

        @Test
        void theAwsLayoutRefusesToDropTheChecksum() {
            only(NETWORK + "    proxyProtocol: {v2: true, crc32c: false}\n", 23, "loadBalancers[0].proxyProtocol.crc32c",
                    "add layout: minimal");
        }

        @Test
        void unknownLayoutsAndPlacementsNameTheChoices() {
            only(NETWORK + "    proxyProtocol: {v2: true, layout: compact}\n", 23,
                    "loadBalancers[0].proxyProtocol.layout", "expected one of: aws, minimal");
            only(NETWORK + "    proxyProtocol: {v2: true, headerPlacement: on_first_ack}\n", 23,
                    "loadBalancers[0].proxyProtocol.headerPlacement",
                    "expected one of: on-first-ack-with-payload, on-first-ack");
            // An unknown layout is the one problem, not also the checksum a known one would refuse.
            only(NETWORK + "    proxyProtocol: {v2: true, layout: compact, crc32c: false}\n", 23,
                    "loadBalancers[0].proxyProtocol.layout", "expected one of: aws, minimal");
        }
    }

    @Nested
    class Syntax {

        static void assertNoStackTrace(ConfigProblem p) {
            assertFalse(p.message().contains("\n"), "one line: " + p);
            assertFalse(p.message().contains("Exception"), p.toString());
            assertFalse(p.message().contains("at com."), p.toString());
            assertFalse(p.message().contains("at org."), p.toString());
        }

        @Test
        void aFileOverTheSizeLimitIsRefusedBeforeItIsRead() {
            String huge = "region: us-east-1\nnote: \"" + "x".repeat(16 << 20) + "\"\n";
            long t0 = System.nanoTime();
            ConfigProblem p = only(huge, 0, "", "a sim-config may be at most 1048576 characters (1 MiB)");
            System.out.printf("a 16 MiB scalar refused in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertNoStackTrace(p);
        }

        @Test
        void aScalarOverTheLimitIsRefusedWithItsLine() {
            only("region: us-east-1\nsimulation:\n  note: " + "y".repeat(100_000) + "\n", 3, "",
                    "a value of 100000 characters; a value may be at most 65536");
        }

        @Test
        void nestingDeeperThanTheLimitIsRefusedWithALine() {
            String deep = "region: us-east-1\nx: " + "[".repeat(2000) + "]".repeat(2000) + "\n";
            ConfigProblem p = only(deep, 2, "", "nested deeper than 64 levels");
            assertNoStackTrace(p);
        }

        @Test
        void longKeysUnderDeepNestingAreReadInTimeLinearInTheFile() {
            // 60 levels of 200-character keys, then 20,000 entries under the deepest: a map of whole paths
            // would hold 20,000 copies of a 12,000-character prefix; the file's own problem is still found.
            StringBuilder y = new StringBuilder("region: us-east-1\nnonsense: ");
            for (int d = 0; d < 60; d++) {
                y.append("{").append("k".repeat(199)).append(d % 10).append(": ");
            }
            y.append("{");
            for (int i = 0; i < 20_000; i++) {
                y.append(i == 0 ? "" : ", ").append("e").append(i).append(": 1");
            }
            y.append("}".repeat(61)).append("\n");
            long t0 = System.nanoTime();
            List<ConfigProblem> ps = problems(y.toString());
            System.out.printf("%d characters, 60 levels of long keys, 20,000 entries: read in %d ms%n", y.length(),
                    (System.nanoTime() - t0) / 1_000_000);
            assertTrue(ps.stream().anyMatch(p -> p.line() == 2 && p.path().equals("nonsense")), ps.toString());
        }

        @Test
        void aYamlAliasIsRefusedNotReadAsItsName() {
            only(ACCOUNTS + """
                    endpoints:
                      - name: &cons e1
                        principal: *cons
                    """, 11, "endpoints.0.principal", "YAML aliases (*cons) are not supported");
        }

        @Test
        void aProblemQuotesOnlyTheStartOfALongValue() {
            List<ConfigProblem> ps = problems(ACCOUNTS + "scenario:\n  duration: " + "9".repeat(5000) + "x\n"
                    + "  timeline: []\n");
            assertFalse(ps.isEmpty());
            ps.forEach(p -> assertTrue(p.message().length() <= ConfigProblem.MAX_MESSAGE, p.toString()));
            assertTrue(ps.get(0).message().endsWith("more characters)"), ps.get(0).toString());
        }

        @Test
        void aDuplicateTopLevelKey() {
            ConfigProblem p = only("""
                    region: us-east-1
                    accounts:
                      - id: "111122223333"
                        zones: {us-east-1a: use1-az1}
                    region: us-west-2
                    """, 5, "", "not valid YAML: duplicate key 'region'");
            assertNoStackTrace(p);
        }

        @Test
        void aDuplicateKeyInsideALoadBalancer() {
            only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        name: nlb-2
                    """, 12, "", "not valid YAML: duplicate key 'name'");
        }

        @Test
        void badIndentationNamesTheLineOfTheMistake() {
            ConfigProblem p = only("""
                    region: us-east-1
                    accounts:
                      - id: "111122223333"
                         zones: {us-east-1a: use1-az1}
                    """, 4, "", "not valid YAML");
            assertNoStackTrace(p);
            assertTrue(p.message().contains("expected <block end>"), p.toString());
        }

        @Test
        void aTabForIndentation() {
            ConfigProblem p = only("region: us-east-1\naccounts:\n\t- id: \"111122223333\"\n", 3, "", "not valid YAML");
            assertNoStackTrace(p);
        }

        @Test
        void anUnclosedQuote() {
            ConfigProblem p = only("""
                    region: us-east-1
                    accounts:
                      - id: "111122223333
                        zones: {us-east-1a: use1-az1}
                    """, 5, "", "not valid YAML");
            assertNoStackTrace(p);
            assertTrue(p.message().contains("line 3"), "names where the quote opens: " + p);
        }

        @Test
        void anEmptyFile() {
            ConfigProblem p = only("", 0, "", "the file is empty");
            assertEquals("bad.yaml: the file is empty; a sim-config needs at least 'region' and 'accounts'",
                    p.toString());
        }

        @Test
        void aFileOfOnlyCommentsAndBlankLines() {
            only("# nothing yet\n\n   \n", 0, "", "the file is empty");
        }
    }

    // ---------------------------------------------------------------- rules of the control plane

    @Nested
    class ControlPlaneRules {

        @Test
        void anEndpointWithAGroupThatDoesNotExist() {
            only(NETWORK + """
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                        allowedPrincipals: ["*"]
                    endpoints:
                      - name: ep
                        principal: arn:aws:iam::444455556666:root
                        service: svc
                        vpc: vpc-1
                        subnets: [subnet-1]
                        securityGroups: [sg-0a1b2c3d]
                    """, 29, "endpoints[0]", "refused by the control plane: InvalidGroup.NotFound");
        }

        @Test
        void anEndpointTakesTheGroupsItNamesOrItsVpcsDefault() {
            World w = loads((NETWORK + """
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                        allowedPrincipals: ["*"]
                    endpoints:
                      - name: ep
                        principal: arn:aws:iam::444455556666:root
                        service: svc
                        vpc: vpc-1
                        subnets: [subnet-1]
                    """).replace("    subnets:\n      - {id: subnet-1", "    securityGroups:\n      - {id: sg-0a1b2c3d, name: web}\n    subnets:\n      - {id: subnet-1"));
            assertEquals(List.of("sg-1"), w.controlPlane().endpoints().get(0).groups().stream()
                    .map(io.plsim.core.model.SecurityGroup::id).toList(), "vpc-1's default group");
            assertEquals("web", w.topology().securityGroups().get("sg-0a1b2c3d").name());
        }

        @Test
        void aDeclaredGroupCannotBeNamedDefault() {
            only(ACCOUNTS + """
                    vpcs:
                      - id: vpc-1
                        account: "444455556666"
                        cidr: 127.2.0.0/16
                        securityGroups:
                          - {id: sg-0a1b2c3d, name: default}
                    """, 14, "vpcs[0].securityGroups[0].name", "every VPC has its default group already (sg-1)");
        }

        @Test
        void anEndpointWithTwoSubnetsInOneZone() {
            ConfigProblem p = only(NETWORK + """
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                        allowedPrincipals: ["*"]
                    endpoints:
                      - name: ep
                        principal: arn:aws:iam::444455556666:root
                        service: svc
                        vpc: vpc-1
                        subnets: [subnet-1, subnet-2]
                    """, 29, "endpoints[0]", "refused by the control plane: DuplicateSubnetsInSameZone");
            assertTrue(p.message().contains("subnet-2"), p.toString());
        }

        @Test
        void aServiceOnAnApplicationLoadBalancer() {
            only(ACCOUNTS + """
                    loadBalancers:
                      - name: alb
                        account: "111122223333"
                        type: application
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [alb]
                    """, 17, "services[0].loadBalancers",
                    "refused by the control plane: InvalidParameter: Load balancer"
                            + " arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/alb/");
        }

        @Test
        void anEndpointWhosePrincipalIsNotAllowed() {
            only(NETWORK + """
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                        allowedPrincipals: [arn:aws:iam::111122223333:root]
                    endpoints:
                      - name: ep
                        principal: arn:aws:iam::444455556666:user/bob
                        service: svc
                        vpc: vpc-1
                        subnets: [subnet-1]
                    """, 29, "endpoints[0]", "refused by the control plane: InvalidServiceName");
        }

        @Test
        void pendingAcceptanceOnAServiceThatAcceptsAutomatically() {
            only(NETWORK + """
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                        acceptanceRequired: false
                        allowedPrincipals: ["*"]
                    endpoints:
                      - name: ep
                        principal: arn:aws:iam::444455556666:root
                        service: svc
                        vpc: vpc-1
                        subnets: [subnet-1]
                        state: pendingAcceptance
                    """, 35, "endpoints[0].state", "cannot be pendingAcceptance");
        }
    }

    // ---------------------------------------------------------------- all at once

    @Nested
    class SeveralProblems {

        @Test
        void threeIndependentMistakesAreThreeProblems() {
            List<ConfigProblem> problems = problems("""
                    region: us-east-1
                    accounts:
                      - id: "111122223333"
                        zones: {us-east-1a: use1-az1}
                        colour: blue
                    vpcs:
                      - id: vpc-1
                        account: "111122223333"
                        cidr: 10.0.0.0/16
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                        crossZone: "yes"
                    """);
            assertEquals(3, problems.size(), () -> lines(problems));
            assertProblem(problems.get(0), 5, "accounts[0].colour", "unknown key");
            assertProblem(problems.get(1), 9, "vpcs[0].cidr", "is outside 127.0.0.0/8");
            assertProblem(problems.get(2), 14, "loadBalancers[0].crossZone", "expected true or false");
        }

        @Test
        void mistakesInTheTopologyServicesAndEndpointsAreAllReported() {
            List<ConfigProblem> problems = problems(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "111122223333"
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                        crossZone: "yes"
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                        colour: blue
                    endpoints:
                      - name: ep
                        principal: arn:aws:iam::444455556666:root
                        service: svc-2
                        vpc: vpc-1
                        subnets: [subnet-1]
                    """);
            assertEquals(3, problems.size(), () -> lines(problems));
            assertProblem(problems.get(0), 13, "loadBalancers[0].crossZone", "expected true or false");
            assertProblem(problems.get(1), 18, "services[0].colour", "unknown key");
            assertProblem(problems.get(2), 22, "endpoints[0].service", "no service named svc-2");
        }

        @Test
        void aMistakeInOneServiceDoesNotHideOneInTheNext() {
            List<ConfigProblem> problems = problems(NETWORK + """
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                        acceptanceRequired: "no"
                      - name: svc-2
                        account: "111122223333"
                        loadBalancers: [nlb-2]
                    """);
            assertEquals(2, problems.size(), () -> lines(problems));
            assertProblem(problems.get(0), 27, "services[0].acceptanceRequired", "expected true or false");
            assertProblem(problems.get(1), 30, "services[1].loadBalancers[0]", "no load balancer named nlb-2");
        }

        @Test
        void aLoadBalancerWithAProblemIsNotAlsoReportedAsUndeclared() {
            // the service names a load balancer that is declared, though refused for its own reason
            only(ACCOUNTS + """
                    loadBalancers:
                      - name: nlb
                        account: "999988887777"
                        nodes: [{zone: us-east-1a, ip: 127.1.1.10}]
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                    """, 11, "loadBalancers[0].account", "no account 999988887777");
        }

        @Test
        void aControlPlaneRefusalDoesNotHideALaterMistakeOfShape() {
            List<ConfigProblem> problems = problems(NETWORK + """
                    services:
                      - name: svc
                        account: "111122223333"
                        loadBalancers: [nlb]
                        allowedPrincipals: ["*"]
                    endpoints:
                      - name: ep
                        principal: arn:aws:iam::444455556666:root
                        service: svc
                        vpc: vpc-1
                        subnets: [subnet-1, subnet-2]
                      - name: ep-2
                        principal: arn:aws:iam::444455556666:root
                        service: svc
                        vpc: vpc-1
                        subnets: [subnet-3]
                        tags: [a, b]
                    """);
            assertEquals(2, problems.size(), () -> lines(problems));
            assertProblem(problems.get(0), 29, "endpoints[0]", "DuplicateSubnetsInSameZone");
            assertProblem(problems.get(1), 39, "endpoints[1].tags", "expected a mapping of tag keys to values");
        }
    }

    // ---------------------------------------------------------------- files

    @Nested
    class FromFiles {

        @org.junit.jupiter.api.io.TempDir
        java.nio.file.Path dir;

        List<ConfigProblem> problemsOf(java.nio.file.Path file) {
            return assertThrows(SimConfigException.class, () -> SimConfigLoader.load(file)).problems();
        }

        @Test
        void aMissingFile() {
            java.nio.file.Path file = dir.resolve("nope.yaml");
            assertEquals(List.of(new ConfigProblem(file.toString(), 0, "", "no such file")), problemsOf(file));
        }

        @Test
        void aFileThatIsNotUtf8() throws Exception {
            java.nio.file.Path file = dir.resolve("latin1.yaml");
            java.nio.file.Files.write(file, "region: us-east-1 # caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals(List.of(new ConfigProblem(file.toString(), 0, "", "cannot read: not UTF-8 text")),
                    problemsOf(file));
        }

        @Test
        void problemsOfAFileNameTheFile() throws Exception {
            java.nio.file.Path file = dir.resolve("broken.yaml");
            java.nio.file.Files.writeString(file, ACCOUNTS + "regoin: us-west-2\n");
            List<ConfigProblem> problems = problemsOf(file);
            assertEquals(1, problems.size(), () -> lines(problems));
            assertEquals(file + ":9: regoin: unknown key", problems.get(0).toString().substring(0,
                    problems.get(0).toString().indexOf(';')));
        }
    }

    // ---------------------------------------------------------------- how a problem reads

    @Test
    void aProblemReadsAsFileLinePathMessage() {
        assertEquals("f.yaml:4: a.b[1]: wrong", new ConfigProblem("f.yaml", 4, "a.b[1]", "wrong").toString());
        assertEquals("f.yaml:4: wrong", new ConfigProblem("f.yaml", 4, "", "wrong").toString());
        assertEquals("f.yaml: wrong", new ConfigProblem("f.yaml", 0, "", "wrong").toString());
    }

    // ---------------------------------------------------------------- the world's public DNS

    @Nested
    class PublicDns {
        @Test
        void aRecordOfAnotherTypeThanTxt() {
            only(ACCOUNTS + """
                    dns:
                      records:
                        - {name: api.example.test, type: A, value: 127.0.0.1}
                    """, 11, "dns.records[0].type", "expected TXT");
        }

        @Test
        void aNameThatIsNoDomainName() {
            only(ACCOUNTS + """
                    dns:
                      records:
                        - {name: "_x..example.test", value: "vpce:abc"}
                    """, 11, "dns.records[0]", "empty label");
        }

        @Test
        void aRecordWithoutValue() {
            only(ACCOUNTS + """
                    dns:
                      records:
                        - {name: _x.example.test}
                    """, 11, "dns.records[0]", "missing required key 'value'");
        }

        @Test
        void aDelayOutOfBounds() {
            only(ACCOUNTS + """
                    simulation: {dnsVerificationDelaySeconds: -1}
                    """, 9, "simulation.dnsVerificationDelaySeconds", "must be from");
        }
    }
}
