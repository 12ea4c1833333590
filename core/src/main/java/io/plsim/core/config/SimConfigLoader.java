package io.plsim.core.config;

import io.plsim.core.control.ControlEvent;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.control.ControlPlaneListener;
import io.plsim.core.control.TxtRecord;
import io.plsim.core.elb.LoadBalancing;
import io.plsim.core.model.Scenario;
import io.plsim.core.model.Simulation;
import io.plsim.core.model.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) limit + 1);
            }
            if (bytes.length > limit) {
                throw SimConfigException.ofFile(file.toString(), "the file is more than " + limit + " bytes long;"
                        + " a sim-config may be at most " + YamlWithLines.MAX_FILE_CHARS + " characters (1 MiB)");
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw SimConfigException.ofFile(file.toString(), "no such file");
        } catch (CharacterCodingException e) {
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
        private final ControlPlaneListener recorder = startupEvents::add;
        private Simulation simulation = Simulation.DEFAULT;

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

        /** Reads the sections in the order of the file's format, each after those it may name. */
        World read() throws SimConfigException {
            Node root = Node.root(yaml.root(), this);
            Map<String, Node> top = root.object(
                    Set.of("region", "simulation", "accounts", "vpcs", "loadBalancers", "services", "endpoints",
                            "topics", "scenario", "dns"),
                    Set.of("region", "accounts")).orElse(null);
            if (top == null) {
                throw new SimConfigException(problems.isEmpty()
                        ? List.of(new ConfigProblem(source, 1, "", "expected a mapping at the top of the file"))
                        : problems);
            }
            TopologyReader topologyReader = new TopologyReader();
            topologyReader.readRegion(root.get("region"));
            readSimulation(root.get("simulation"));
            List<TxtRecord> records = readDns(root.get("dns"));
            topologyReader.readAccounts(root.get("accounts"));
            topologyReader.readVpcs(root.get("vpcs"));
            LoadBalancerReader loadBalancerReader = new LoadBalancerReader(topologyReader.region(),
                    topologyReader::accountRef);
            root.get("loadBalancers").list().forEach(loadBalancerReader::read);
            TopicReader topics = new TopicReader();
            root.get("topics").list().forEach(topics::read);
            Scenario scenario = new ScenarioReader(simulation.seed(), topologyReader.accounts(),
                    loadBalancerReader.loadBalancers().values()).read(root.get("scenario")).orElse(null);
            // Services and endpoints are checked for shape and references even when the topology has
            // problems, so that one run reports them all; only a file without any reaches the control plane.
            Topology topology = null;
            ControlPlane cp = null;
            if (problems.isEmpty() && topologyReader.region() != null) {
                topology = topologyReader.topology(loadBalancerReader.loadBalancers());
                cp = new ControlPlane(topology, clock, simulation.seed());
                cp.retainDeleted(simulation.deletedEndpointRetention());
                cp.verificationDelay(simulation.dnsVerificationDelay());
                for (TxtRecord r : records) {
                    cp.publishTxtRecord(r.name(), r.value());
                }
                cp.addListener(recorder);
            }
            ControlPlaneSeeder seeder = new ControlPlaneSeeder(topologyReader, loadBalancerReader, cp,
                    problems::isEmpty);
            root.get("services").list().forEach(seeder::readService);
            root.get("endpoints").list().forEach(seeder::readEndpoint);
            if (!problems.isEmpty() || cp == null) {
                throw new SimConfigException(problems);
            }
            cp.removeListener(recorder);
            // After the seeding: the endpoints the file declares are in their states from the start.
            cp.acceptAfter(simulation.acceptDelay());
            cp.listAwsServices(simulation.awsServices());
            return new World(source, topology, cp, new LoadBalancing(topology), simulation, seeder.serviceIds(),
                    seeder.endpointIds(), topics.topics(), startupEvents, scenario);
        }

        private void readSimulation(Node node) {
            node.object(Set.of("seed", "admission", "deletedEndpointRetentionSeconds", "acceptDelaySeconds",
                    "awsServices", "dnsVerificationDelaySeconds", "crossZonePricePerGb"), Set.of()).ifPresent(f -> {
                long seed = Simulation.DEFAULT.seed();
                Simulation.Denial admission = Simulation.DEFAULT.admission();
                Duration retention = Simulation.DEFAULT_DELETED_RETENTION;
                Duration acceptDelay = Simulation.DEFAULT.acceptDelay();
                Duration verificationDelay = Simulation.DEFAULT_DNS_VERIFICATION_DELAY;
                if (f.containsKey("dnsVerificationDelaySeconds")) {
                    verificationDelay = f.get("dnsVerificationDelaySeconds").seconds(0, 86_400)
                            .map(Duration::ofMillis).orElse(verificationDelay);
                }
                if (f.containsKey("deletedEndpointRetentionSeconds")) {
                    retention = f.get("deletedEndpointRetentionSeconds").seconds(0, 7 * 86_400)
                            .map(Duration::ofMillis).orElse(retention);
                }
                if (f.containsKey("acceptDelaySeconds")) {
                    acceptDelay = f.get("acceptDelaySeconds").seconds(0, 3600).map(Duration::ofMillis)
                            .orElse(acceptDelay);
                }
                boolean awsServices = f.containsKey("awsServices")
                        && f.get("awsServices").bool().orElse(Simulation.DEFAULT.awsServices());
                double crossZonePrice = f.containsKey("crossZonePricePerGb")
                        ? f.get("crossZonePricePerGb").number(0, 1000).orElse(Simulation.AWS_CROSS_ZONE_PRICE_PER_GB)
                        : Simulation.AWS_CROSS_ZONE_PRICE_PER_GB;
                if (f.containsKey("seed")) {
                    seed = f.get("seed").integer(0, Integer.MAX_VALUE).orElse((int) seed);
                }
                if (f.containsKey("admission")) {
                    Node a = f.get("admission");
                    Optional<String> text = a.text();
                    if (text.isPresent()) {
                        switch (text.get()) {
                            case "reset" -> admission = Simulation.Denial.RESET;
                            case "blackhole" -> admission = Simulation.Denial.BLACKHOLE;
                            default -> a.problem("expected reset or blackhole, found " + text.get());
                        }
                    }
                }
                simulation = new Simulation(seed, admission, retention, acceptDelay, awsServices, verificationDelay,
                        crossZonePrice);
            });
        }

        /**
         * The world's public DNS: {@code records}, each a TXT record ({@code name}, {@code type: TXT},
         * {@code value}), as a provider publishes the record that verifies its private DNS name.
         */
        private List<TxtRecord> readDns(Node node) {
            List<TxtRecord> out = new ArrayList<>();
            node.object(Set.of("records"), Set.of()).ifPresent(f -> {
                if (!f.containsKey("records")) {
                    return;
                }
                for (Node r : f.get("records").list()) {
                    r.object(Set.of("name", "type", "value"), Set.of("name", "value")).ifPresent(rf -> {
                        Optional<String> type = rf.containsKey("type") ? rf.get("type").text() : Optional.of("TXT");
                        if (type.isPresent() && !type.get().equals("TXT")) {
                            rf.get("type").problem("expected TXT, the one type of record public DNS holds here, found "
                                    + type.get());
                            return;
                        }
                        Optional<String> name = rf.containsKey("name") ? rf.get("name").text() : Optional.empty();
                        Optional<String> value = rf.containsKey("value") ? rf.get("value").text() : Optional.empty();
                        if (name.isPresent() && value.isPresent()) {
                            try {
                                out.add(TxtRecord.of(name.get(), value.get()));
                            } catch (ControlPlaneException e) {
                                r.problem(e.getMessage());
                            }
                        }
                    });
                }
            });
            return out;
        }
    }
}
