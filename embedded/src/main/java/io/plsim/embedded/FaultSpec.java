package io.plsim.embedded;

import io.plsim.core.model.Fault;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fault to put in force, built in code: a kind from one of the factories, then where it applies
 * and how often. The same faults as {@code plsim fault add} and the admin API, checked the same
 * way when added.
 *
 * <pre>{@code
 * world.addFault(FaultSpec.latency(Duration.ofMillis(100)).jitter(Duration.ofMillis(20)).inZone("use1-az1"));
 * world.addFault(FaultSpec.azOutage("use1-az2").named("outage"));
 * }</pre>
 */
public final class FaultSpec {

    private final Map<String, String> fields = new LinkedHashMap<>();
    private String name;

    private FaultSpec(String kind) {
        fields.put("fault", kind);
    }

    // ---------------------------------------------------------------- connection faults

    /**
     * Every write delayed by {@code latency} in both directions unless {@link #stream} says
     * otherwise: a request and its answer each wait, so a round trip takes about twice
     * {@code latency}.
     */
    public static FaultSpec latency(Duration latency) {
        return new FaultSpec("latency").param("latency", latency.toMillis());
    }

    /** The stream limited to {@code kilobytesPerSecond}. */
    public static FaultSpec bandwidth(long kilobytesPerSecond) {
        return new FaultSpec("bandwidth").param("rate", kilobytesPerSecond);
    }

    /** The close delayed by {@code delay}. */
    public static FaultSpec slowClose(Duration delay) {
        return new FaultSpec("slow-close").param("delay", delay.toMillis());
    }

    /** No data through; closed after {@code after} (zero: never). */
    public static FaultSpec timeout(Duration after) {
        return new FaultSpec("timeout").param("timeout", after.toMillis());
    }

    /** A TCP reset {@code after} the connection opened (or the fault reached it). */
    public static FaultSpec resetPeer(Duration after) {
        return new FaultSpec("reset-peer").param("timeout", after.toMillis());
    }

    /** Writes cut into pieces of about {@code averageSize} bytes. */
    public static FaultSpec slicer(long averageSize) {
        return new FaultSpec("slicer").param("averageSize", averageSize);
    }

    /** The connection closed once {@code bytes} have gone through. */
    public static FaultSpec limitData(long bytes) {
        return new FaultSpec("limit-data").param("bytes", bytes);
    }

    /** The first {@code count} new connections reset. */
    public static FaultSpec refuseFirst(long count) {
        return new FaultSpec("refuse-first-n").param("count", count);
    }

    // ---------------------------------------------------------------- zone and component faults

    /** A zone out (by AZ ID): its interfaces and node silent, its targets unreachable. */
    public static FaultSpec azOutage(String zoneId) {
        return new FaultSpec("az-outage").inZone(zoneId);
    }

    /** One NLB node down, by its IP. */
    public static FaultSpec nodeDown(String nodeIp) {
        return new FaultSpec("node-down").onNode(nodeIp);
    }

    /** A target refusing connections, by {@code host:port}. */
    public static FaultSpec targetDown(String target) {
        return new FaultSpec("target-down").onTarget(target);
    }

    /** A target accepting but never answering. */
    public static FaultSpec targetBlackhole(String target) {
        return new FaultSpec("target-blackhole").onTarget(target);
    }

    /** A target failing its health checks while it still serves. */
    public static FaultSpec targetUnhealthy(String target) {
        return new FaultSpec("target-unhealthy").onTarget(target);
    }

    // ---------------------------------------------------------------- parameters and scope

    /** Latency's spread: plus or minus this much. */
    public FaultSpec jitter(Duration jitter) {
        return param("jitter", jitter.toMillis());
    }

    /** Slicer's spread of sizes, in bytes. */
    public FaultSpec sizeVariation(long bytes) {
        return param("sizeVariation", bytes);
    }

    /** Slicer's delay between pieces. */
    public FaultSpec sliceDelay(Duration delay) {
        return param("delay", delay.toNanos() / 1000);
    }

    /** Which direction a connection fault acts on. */
    public enum Direction {
        /** Consumer to target. */
        UPSTREAM,
        /** Target to consumer. */
        DOWNSTREAM,
        BOTH
    }

    /** Which direction a connection fault acts on (default {@link Direction#BOTH}). */
    public FaultSpec stream(Direction direction) {
        return stream(Fault.Stream.valueOf(direction.name()));
    }

    /**
     * Which direction a connection fault acts on.
     *
     * @deprecated use {@link #stream(Direction)}, which needs no import from plsim's core
     */
    @Deprecated
    public FaultSpec stream(Fault.Stream stream) {
        fields.put("stream", stream.wire());
        return this;
    }

    /** The share of new connections a connection fault hits, from 0 to 1. */
    public FaultSpec toxicity(double toxicity) {
        fields.put("toxicity", String.valueOf(toxicity));
        return this;
    }

    /** Only in this zone, by AZ ID ({@code use1-az1}). */
    public FaultSpec inZone(String zoneId) {
        fields.put("az", zoneId);
        return this;
    }

    /** Only on this endpoint ({@code vpce-...}). */
    public FaultSpec onEndpoint(String endpointId) {
        fields.put("endpoint", endpointId);
        return this;
    }

    /** Only on this endpoint network interface, by its IP. */
    public FaultSpec onInterface(String ip) {
        fields.put("interface", ip);
        return this;
    }

    /** Only through this NLB node, by its IP. */
    public FaultSpec onNode(String nodeIp) {
        fields.put("node", nodeIp);
        return this;
    }

    /** Only on this target, {@code host:port}. */
    public FaultSpec onTarget(String target) {
        fields.put("target", target);
        return this;
    }

    /** A name to update and remove it by, unique among the faults in force. */
    public FaultSpec named(String name) {
        this.name = name;
        return this;
    }

    private FaultSpec param(String key, long value) {
        fields.put(key, String.valueOf(value));
        return this;
    }

    String name() {
        return name;
    }

    /** @throws PlsimException naming the field that is wrong */
    Fault toFault() {
        try {
            return Fault.parse(fields);
        } catch (IllegalArgumentException e) {
            throw new PlsimException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return fields + (name == null ? "" : " named " + name);
    }
}
