package io.plsim.bench;

import io.plsim.core.model.LoadBalancer;
import io.plsim.dataplane.HotPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Target selection for a new flow, as {@code Admission.decide} does it: {@code FlowHash.of} over
 * the 5-tuple and the per-connection sequence, then {@code TargetSelector.select} by that hash over the
 * current health snapshot (both reached through {@link HotPaths}). The node sits in zone {@code use1-az1} of a
 * load balancer with two targets in each of two zones. Goal: under 50 ns.
 *
 * <ul>
 *   <li>{@code select}: hash plus pick, for every {@link Health} with cross-zone off and on. With the node's
 *       own zone down and cross-zone off the flow is refused (null), as on NLB.</li>
 *   <li>{@code flowHash}: the hash alone, to split the cost.</li>
 * </ul>
 * The flow inputs come from a precomputed table, a different entry each op, so nothing folds to a constant.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class TargetSelectionBench {

    private static final String LOCAL_ZONE = "use1-az1";
    private static final String OTHER_ZONE = "use1-az2";
    private static final int FLOWS = 1024;
    private static final int MASK = FLOWS - 1;

    /** Which targets the health checks currently report healthy. */
    public enum Health {
        /** All four targets. */
        ALL_HEALTHY,
        /** Only the two targets of the other zone: the node's own zone is down. */
        LOCAL_ZONE_DOWN
    }

    private final int[] srcIp = new int[FLOWS];
    private final int[] srcPort = new int[FLOWS];
    private final int[] dstIp = new int[FLOWS];
    private final int[] dstPort = new int[FLOWS];
    private final int[] sequence = new int[FLOWS];
    private int next;

    /** The node's selector in one health situation; only {@code select} uses (and varies) it. */
    @State(Scope.Thread)
    public static class Node {

        @Param({"ALL_HEALTHY", "LOCAL_ZONE_DOWN"})
        public Health health;

        @Param({"false", "true"})
        public boolean crossZone;

        HotPaths.Selection selector;

        @Setup(Level.Trial)
        public void setUp() {
            List<LoadBalancer.Target> all = new ArrayList<>();
            List<LoadBalancer.Target> healthy = new ArrayList<>();
            int index = 0;
            for (String zone : List.of(LOCAL_ZONE, OTHER_ZONE)) {
                for (int t = 0; t < 2; t++) {
                    LoadBalancer.Target target = new LoadBalancer.Target(
                            zone.equals(LOCAL_ZONE) ? "us-east-1a" : "us-east-1b", zone,
                            LoadBalancer.TargetKind.ADDRESS, "10.1." + index + ".10", 8080);
                    all.add(target);
                    if (health == Health.ALL_HEALTHY || !zone.equals(LOCAL_ZONE)) {
                        healthy.add(target);
                    }
                    index++;
                }
            }
            selector = HotPaths.selection(LOCAL_ZONE, all, healthy);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        int seq = random.nextInt();
        for (int i = 0; i < FLOWS; i++) {
            srcIp[i] = 0x0A000000 | random.nextInt(1 << 24);      // 10.0.0.0/8 clients
            srcPort[i] = 1024 + random.nextInt(65536 - 1024);     // ephemeral ports
            dstIp[i] = 0xAC100000 | random.nextInt(1 << 12);      // 172.16.0.0/20 endpoint interfaces
            dstPort[i] = random.nextBoolean() ? 443 : 8443;
            sequence[i] = seq;
            seq += 0x9e3779b9;                                    // as NlbNode.nextSequence() steps
        }
    }

    @Benchmark
    public void select(Node node, Blackhole bh) {
        int k = next++ & MASK;
        int hash = HotPaths.flowHash(srcIp[k], srcPort[k], dstIp[k], dstPort[k], sequence[k]);
        bh.consume(node.selector.select(hash, node.crossZone));
    }

    @Benchmark
    public void flowHash(Blackhole bh) {
        int k = next++ & MASK;
        bh.consume(HotPaths.flowHash(srcIp[k], srcPort[k], dstIp[k], dstPort[k], sequence[k]));
    }
}
