package io.plsim.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A fault to inject: what goes wrong, where, and how often.
 *
 * <p>Connection faults ({@link Kind#isConnectionFault()}) act on the bytes of a connection in one
 * {@link Stream} and hit a new connection with probability {@code toxicity}; zone and component
 * faults act on whole zones, nodes and targets. A {@link Scope} narrows where a fault applies; an
 * empty scope means everywhere.
 *
 * @param params the kind's numeric parameters, by name (see {@link Kind#params()})
 */
public record Fault(Kind kind, Stream stream, double toxicity, Scope scope, Map<String, Long> params) {

    public Fault {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** What goes wrong. Parameter names are in milliseconds, bytes or counts as named. */
    public enum Kind {
        /** Delays every write by {@code latency} ms, plus or minus up to {@code jitter} ms. */
        LATENCY("latency", List.of("latency"), List.of("jitter"), true),
        /** Limits the rate to {@code rate} KB/s. */
        BANDWIDTH("bandwidth", List.of("rate"), List.of(), true),
        /** Delays the close of the connection by {@code delay} ms. */
        SLOW_CLOSE("slow-close", List.of("delay"), List.of(), true),
        /** Lets no data through; closes after {@code timeout} ms, or never when 0. */
        TIMEOUT("timeout", List.of(), List.of("timeout"), true),
        /** Resets the connection (TCP RST) {@code timeout} ms after it opened (0: at once). */
        RESET_PEER("reset-peer", List.of(), List.of("timeout"), true),
        /** Cuts writes into pieces of {@code averageSize} +- {@code sizeVariation} bytes, {@code delay} us apart. */
        SLICER("slicer", List.of("averageSize"), List.of("sizeVariation", "delay"), true),
        /** Closes the connection once {@code bytes} bytes have gone through. */
        LIMIT_DATA("limit-data", List.of("bytes"), List.of(), true),
        /** Resets the first {@code count} new connections, for testing retries. */
        REFUSE_FIRST_N("refuse-first-n", List.of("count"), List.of(), false),
        /** The zone is out: its endpoint interfaces and NLB node stop answering, its targets are unreachable. */
        AZ_OUTAGE("az-outage", List.of(), List.of(), false),
        /** One NLB node is down: connections through it go nowhere, its zone leaves DNS. */
        NODE_DOWN("node-down", List.of(), List.of(), false),
        /** A target stops accepting: connections to it are refused, health checks fail, its flows reset. */
        TARGET_DOWN("target-down", List.of(), List.of(), false),
        /** A target accepts but never answers: health checks pass, data goes nowhere. */
        TARGET_BLACKHOLE("target-blackhole", List.of(), List.of(), false),
        /** A target fails its health checks while it still serves. */
        TARGET_UNHEALTHY("target-unhealthy", List.of(), List.of(), false);

        private final String wire;
        private final List<String> required;
        private final List<String> optional;
        private final boolean connectionFault;

        Kind(String wire, List<String> required, List<String> optional, boolean connectionFault) {
            this.wire = wire;
            this.required = required;
            this.optional = optional;
            this.connectionFault = connectionFault;
        }

        public String wire() {
            return wire;
        }

        public boolean isConnectionFault() {
            return connectionFault;
        }

        /**
         * The scope keys that can narrow a fault of this kind, as {@link Fault#parse} takes them: an
         * az-outage is a zone's; a node-down names its node; a target fault names a target or a zone;
         * refuse-first-n acts before a target is chosen; a connection fault may be narrowed by any.
         */
        public List<String> scopeKeys() {
            return switch (this) {
                case AZ_OUTAGE -> List.of("az");
                case NODE_DOWN -> List.of("node", "az");
                case TARGET_DOWN, TARGET_BLACKHOLE, TARGET_UNHEALTHY -> List.of("target", "az");
                case REFUSE_FIRST_N -> List.of("az", "endpoint", "interface", "node");
                default -> List.of("az", "endpoint", "interface", "node", "target");
            };
        }

        /** The parameters a fault of this kind cannot be made without. */
        public List<String> required() {
            return required;
        }

        /** Every parameter name of this kind, required first. */
        public List<String> params() {
            List<String> all = new java.util.ArrayList<>(required);
            all.addAll(optional);
            return all;
        }

        public static Optional<Kind> ofWire(String text) {
            for (Kind k : values()) {
                if (k.wire.equals(text) || k.name().equalsIgnoreCase(text)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }

        static String names() {
            return String.join(", ", java.util.Arrays.stream(values()).map(Kind::wire).toList());
        }

        /**
         * The largest value a parameter takes: an hour of latency or delay, a day of timeout, 10 GB/s,
         * 16 MiB slices 60 s apart, a TiB of data, a billion connections. Beyond these nothing a
         * simulation does differs, and the arithmetic of the faults (in nanoseconds, bytes per tick)
         * stays far from overflowing.
         */
        public long max(String param) {
            return switch (param) {
                case "latency", "jitter" -> 3_600_000L;
                case "rate" -> 10_000_000L;
                case "delay" -> this == SLICER ? 60_000_000L : 3_600_000L;
                case "timeout" -> 86_400_000L;
                case "averageSize", "sizeVariation" -> 16L << 20;
                case "bytes" -> 1L << 40;
                case "count" -> 1_000_000_000L;
                default -> Long.MAX_VALUE;
            };
        }

        /** The unit a parameter is written in. */
        public String unit(String param) {
            return switch (param) {
                case "latency", "jitter", "timeout" -> "ms";
                case "delay" -> this == SLICER ? "us" : "ms";
                case "rate" -> "KB/s";
                case "averageSize", "sizeVariation", "bytes" -> "bytes";
                default -> "";
            };
        }
    }

    /** Which direction of a connection a connection fault acts on. */
    public enum Stream {
        /** Consumer to target. */
        UPSTREAM,
        /** Target to consumer. */
        DOWNSTREAM,
        BOTH;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Where a fault applies; every given field must match, and an empty scope matches everything.
     *
     * @param zoneId     an AZ ID, the same in every account
     * @param endpointId an endpoint ({@code vpce-...})
     * @param interfaceIp an endpoint network interface, by private IP
     * @param node       an NLB node, by private IP
     * @param target     a target, as {@code host:port}
     */
    public record Scope(String zoneId, String endpointId, String interfaceIp, String node, String target) {
        public static final Scope EVERYWHERE = new Scope(null, null, null, null, null);

        public boolean isEverywhere() {
            return zoneId == null && endpointId == null && interfaceIp == null && node == null && target == null;
        }

        /**
         * Whether this scope covers a place: every field the scope gives equals the place's. A field
         * the place does not have (null) is not compared, because that part does not exist there:
         * a target has no endpoint, a node no interface. This is the one definition of scope
         * matching; the data plane asks it of its connections, nodes and targets, and the admin API
         * of the world's, to say what a fault applies to.
         */
        public boolean matches(Location at) {
            return same(zoneId, at.zoneId()) && same(endpointId, at.endpointId())
                    && same(interfaceIp, at.interfaceIp()) && same(node, at.node()) && same(target, at.target());
        }

        private static boolean same(String wanted, String actual) {
            return wanted == null || actual == null || wanted.equals(actual);
        }

        /** The scope's keys as {@link Fault#parse} reads them, those it gives, in a fixed order. */
        public Map<String, String> fields() {
            Map<String, String> out = new LinkedHashMap<>();
            putIf(out, "az", zoneId);
            putIf(out, "endpoint", endpointId);
            putIf(out, "interface", interfaceIp);
            putIf(out, "node", node);
            putIf(out, "target", target);
            return out;
        }

        public String describe() {
            StringBuilder b = new StringBuilder();
            fields().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
            return b.length() == 0 ? "everywhere" : b.substring(1);
        }
    }

    /**
     * Where something is, in the terms of a {@link Scope}: a connection (its interface's zone,
     * endpoint and IP, its node, and its target once chosen), a node, or a target. Fields that do
     * not apply are null.
     *
     * @param zoneId      the AZ ID: of the interface for a connection, of the node or target itself
     * @param endpointId  the endpoint of a connection
     * @param interfaceIp the endpoint network interface's private IP
     * @param node        the NLB node's IP
     * @param target      the target, as {@code host:port}
     */
    public record Location(String zoneId, String endpointId, String interfaceIp, String node, String target) {

        /** A connection on an endpoint network interface, forwarded by a node, before its target is chosen. */
        public static Location ofInterface(String zoneId, String endpointId, String interfaceIp, String node) {
            return new Location(zoneId, endpointId, interfaceIp, node, null);
        }

        /** An NLB node in its zone. */
        public static Location ofNode(String zoneId, String node) {
            return new Location(zoneId, null, null, node, null);
        }

        /** A target in its zone. */
        public static Location ofTarget(String zoneId, String target) {
            return new Location(zoneId, null, null, null, target);
        }

        /** This connection, once the node chose its target. */
        public Location withTarget(String target) {
            return new Location(zoneId, endpointId, interfaceIp, node, target);
        }
    }

    /** The keys a fault is described by, besides the kind's own parameters. */
    public static final Set<String> COMMON_KEYS = Set.of("fault", "stream", "toxicity", "az", "endpoint", "interface",
            "node", "target");

    /**
     * Builds a fault from text fields, as the sim-config, the admin API and the command line give
     * them: {@code fault} (the kind), the kind's parameters, {@code stream}, {@code toxicity}, and the
     * scope keys {@code az}, {@code endpoint}, {@code interface}, {@code node}, {@code target}.
     *
     * @throws IllegalArgumentException naming the field that is wrong and why
     */
    public static Fault parse(Map<String, String> fields) {
        String kindText = fields.get("fault");
        if (kindText == null || kindText.isBlank()) {
            throw new IllegalArgumentException("fault: missing; one of " + Kind.names());
        }
        Kind kind = Kind.ofWire(kindText).orElseThrow(() -> new IllegalArgumentException(
                "fault: unknown kind " + kindText + "; one of " + Kind.names()));
        Set<String> allowed = new TreeSet<>(COMMON_KEYS);
        allowed.addAll(kind.params());
        for (String key : fields.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(key + ": not a field of a " + kind.wire() + " fault; expected "
                        + String.join(", ", allowed));
            }
        }
        Map<String, Long> params = new TreeMap<>();
        for (String p : kind.params()) {
            String v = fields.get(p);
            if (v == null) {
                if (kind.required.contains(p)) {
                    throw new IllegalArgumentException(p + ": missing; a " + kind.wire() + " fault needs "
                            + String.join(", ", kind.required));
                }
                continue;
            }
            long n;
            try {
                n = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(p + ": expected a whole number, found " + v);
            }
            if (n < 0) {
                throw new IllegalArgumentException(p + ": must not be negative, found " + v);
            }
            long max = kind.max(p);
            if (n > max) {
                throw new IllegalArgumentException(p + ": must be from 0 to " + max + " " + kind.unit(p) + ", found " + v);
            }
            params.put(p, n);
        }
        if (kind == Kind.BANDWIDTH && params.get("rate") == 0) {
            throw new IllegalArgumentException("rate: must be at least 1 KB/s");
        }
        if (kind == Kind.SLICER && params.get("averageSize") == 0) {
            throw new IllegalArgumentException("averageSize: must be at least 1 byte");
        }
        Stream stream = Stream.BOTH;
        String s = fields.get("stream");
        if (s != null) {
            if (!kind.isConnectionFault()) {
                throw new IllegalArgumentException("stream: only connection faults have a stream; " + kind.wire()
                        + " acts on whole " + (kind == Kind.AZ_OUTAGE ? "zones" : "components"));
            }
            stream = switch (s.toLowerCase(Locale.ROOT)) {
                case "upstream" -> Stream.UPSTREAM;
                case "downstream" -> Stream.DOWNSTREAM;
                case "both" -> Stream.BOTH;
                default -> throw new IllegalArgumentException("stream: expected upstream, downstream or both, found " + s);
            };
        }
        double toxicity = 1.0;
        String t = fields.get("toxicity");
        if (t != null) {
            if (!kind.isConnectionFault()) {
                throw new IllegalArgumentException("toxicity: only connection faults have a toxicity");
            }
            try {
                toxicity = Double.parseDouble(t.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("toxicity: expected a probability from 0 to 1, found " + t);
            }
            if (!(toxicity >= 0 && toxicity <= 1)) {
                throw new IllegalArgumentException("toxicity: expected a probability from 0 to 1, found " + t);
            }
        }
        Scope scope = new Scope(blankToNull(fields.get("az")), blankToNull(fields.get("endpoint")),
                blankToNull(fields.get("interface")), blankToNull(fields.get("node")), blankToNull(fields.get("target")));
        switch (kind) {
            case AZ_OUTAGE -> {
                if (scope.zoneId() == null || scope.endpointId() != null || scope.interfaceIp() != null
                        || scope.node() != null || scope.target() != null) {
                    throw new IllegalArgumentException("az: an az-outage takes exactly one scope, the AZ ID (az: use1-az1)");
                }
            }
            case NODE_DOWN -> {
                if (scope.node() == null) {
                    throw new IllegalArgumentException("node: a node-down fault names the node by its IP (node: 127.1.1.10)");
                }
            }
            case TARGET_DOWN, TARGET_BLACKHOLE, TARGET_UNHEALTHY -> {
                if (scope.target() == null && scope.zoneId() == null) {
                    throw new IllegalArgumentException("target: a " + kind.wire()
                            + " fault names a target (target: 127.0.0.1:9001) or a zone (az: use1-az1)");
                }
            }
            case REFUSE_FIRST_N -> {
                if (scope.target() != null) {
                    // It acts when a connection arrives, before the node picks a target: a target never matches.
                    throw new IllegalArgumentException("target: a refuse-first-n fault acts when a connection arrives,"
                            + " before a target is chosen; scope it by az, endpoint, interface or node");
                }
            }
            default -> {
                // connection faults may apply anywhere
            }
        }
        return new Fault(kind, stream, toxicity, scope, params);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public long param(String name) {
        return params.getOrDefault(name, 0L);
    }

    /** The fields {@link #parse} reads, that give this fault back: the ground an update changes. */
    public Map<String, String> fields() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        out.put("fault", kind.wire());
        params.forEach((k, v) -> out.put(k, String.valueOf(v)));
        if (kind.isConnectionFault()) {
            out.put("stream", stream.wire());
            out.put("toxicity", String.valueOf(toxicity));
        }
        out.putAll(scope.fields());
        return out;
    }

    private static void putIf(Map<String, String> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    /** One line: kind, parameters, stream, toxicity, scope. */
    /**
     * For a latency fault, what a request-and-answer round trip gains, which its direction decides: the
     * delay applies to every write of each direction it covers, so {@code stream=both} (the default)
     * adds it twice. Empty for other kinds.
     */
    public java.util.Optional<String> roundTripNote() {
        if (kind != Kind.LATENCY) {
            return java.util.Optional.empty();
        }
        long ms = params.getOrDefault("latency", 0L);
        long jitter = params.getOrDefault("jitter", 0L);
        int ways = stream == Stream.BOTH ? 2 : 1;
        String each = stream == Stream.BOTH ? ms + " ms each way" : ms + " ms " + stream.wire() + " only";
        return java.util.Optional.of("a round trip gains " + ways * ms + " ms (" + each
                + (jitter > 0 ? ", +- " + ways * jitter + " ms of jitter" : "") + ")");
    }

    public String describe() {
        StringBuilder b = new StringBuilder(kind.wire());
        params.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        if (kind.isConnectionFault()) {
            b.append(" stream=").append(stream.wire()).append(" toxicity=").append(toxicity);
        }
        return b.append(" on ").append(scope.describe()).toString();
    }
}
