package io.plsim.bench;

import io.plsim.core.model.Fault;
import io.plsim.embedded.Endpoint;
import io.plsim.embedded.FaultSpec;
import io.plsim.embedded.PlsimWorld;
import io.plsim.embedded.WorldSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What connection faults in force cost a new connection: one request on a new connection through
 * an interface of an endpoint (connect, 16 bytes, their echo, close), with 0, 1, 10, 100 or 1,000
 * faults in force. {@code kinds} says which:
 * <ul>
 * <li>{@code latency}: latency 0 ms on that endpoint, toxicity 1: each applies and changes nothing;
 * <li>{@code mixed}: the same for five kinds in turn, latency 0 ms, limit-data 1 TiB, slow-close
 *     0 ms, bandwidth 10 GB/s and slicer 16 MiB;
 * <li>{@code elsewhere}: faults that cannot match the connection, scoped to another endpoint
 *     (latency, reset-peer, timeout) or to the target of the other zone (target-blackhole).
 * </ul>
 * Goals: 1,000 that apply cost at most twice what one does, as a connection pays once per kind of
 * fault; 1,000 elsewhere cost what none do. {@code bench/fault-cost.sh} runs it in rounds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class FaultCostBench {

    @Param({"0", "1", "10", "100", "1000"})
    int faults;

    @Param({"latency", "mixed", "elsewhere"})
    String kinds;

    /** Long enough that a slow connection is measured, not failed (a connection once took seconds here). */
    private static final int TIMEOUT_MILLIS = 60_000;

    private PlsimWorld world;
    private InetSocketAddress at;
    private final byte[] request = "sixteen bytes..\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final byte[] answer = new byte[16];

    @Setup(Level.Trial)
    public void start() {
        world = PlsimWorld.start(WorldSpec.builder().builtinTarget("us-east-1a", "echo")
                .builtinTarget("us-east-1b", "echo").service("svc", false).endpoint("ep").endpoint("elsewhere"));
        if (!world.awaitHealthy(Duration.ofSeconds(10))) {
            throw new IllegalStateException("targets not healthy");
        }
        Endpoint.Interface via = world.endpoint("ep").interfaces().get(0);
        at = via.address();
        String here = world.endpoint("ep").id();
        // Faults must name what the world has: another endpoint, and the target of the other zone,
        // which a connection through this interface never reaches with cross-zone load balancing off.
        String other = world.endpoint("elsewhere").id();
        String otherZonesTarget = world.stats().targets().stream().filter(t -> !t.zoneId().equals(via.zoneId()))
                .findFirst().orElseThrow().address();
        for (int i = 0; i < faults; i++) {
            world.addFault(switch (kinds) {
                case "latency" -> FaultSpec.latency(Duration.ZERO).stream(Fault.Stream.BOTH).onEndpoint(here);
                case "mixed" -> (switch (i % 5) {
                    case 0 -> FaultSpec.latency(Duration.ZERO);
                    case 1 -> FaultSpec.limitData(1L << 40);
                    case 2 -> FaultSpec.slowClose(Duration.ZERO);
                    case 3 -> FaultSpec.bandwidth(10_000_000);
                    default -> FaultSpec.slicer(16 << 20);
                }).stream(Fault.Stream.BOTH).onEndpoint(here);
                case "elsewhere" -> switch (i % 4) {
                    case 0 -> FaultSpec.latency(Duration.ofMillis(100)).onEndpoint(other);
                    case 1 -> FaultSpec.resetPeer(Duration.ZERO).onEndpoint(other);
                    case 2 -> FaultSpec.targetBlackhole(otherZonesTarget);
                    default -> FaultSpec.timeout(Duration.ZERO).onEndpoint(other);
                };
                default -> throw new IllegalArgumentException("kinds: " + kinds);
            });
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        world.close();
    }

    @Benchmark
    public int newConnectionRequest() throws IOException {
        try (Socket s = new Socket()) {
            s.setSoLinger(true, 0);
            s.connect(at, TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            out.write(request);
            InputStream in = s.getInputStream();
            int got = 0;
            while (got < answer.length) {
                int n = in.read(answer, got, answer.length - got);
                if (n < 0) {
                    throw new IOException("closed after " + got + " bytes");
                }
                got += n;
            }
            return got;
        }
    }
}
