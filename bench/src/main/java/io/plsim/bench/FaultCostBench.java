package io.plsim.bench;

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
 * What faults in force cost a new connection that none of them covers: one request on a new
 * connection through an endpoint (connect, 16 bytes, their echo, close), with 0 or 1,000 faults in
 * force scoped to another endpoint (latency, reset-peer, target and zone faults mixed). Goal: the
 * same cost with 1,000 as with none.
 * {@code java -jar bench/target/benchmarks.jar FaultCostBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class FaultCostBench {

    @Param({"0", "1000"})
    int faults;

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
        // Faults must name what the world has: another endpoint, and the target of the other zone,
        // which a connection through this interface never reaches with cross-zone load balancing off.
        String other = world.endpoint("elsewhere").id();
        String otherZonesTarget = world.stats().targets().stream().filter(t -> !t.zoneId().equals(via.zoneId()))
                .findFirst().orElseThrow().address();
        for (int i = 0; i < faults; i++) {
            FaultSpec f = switch (i % 4) {
                case 0 -> FaultSpec.latency(Duration.ofMillis(100)).onEndpoint(other);
                case 1 -> FaultSpec.resetPeer(Duration.ZERO).onEndpoint(other);
                case 2 -> FaultSpec.targetBlackhole(otherZonesTarget);
                default -> FaultSpec.timeout(Duration.ZERO).onEndpoint(other);
            };
            world.addFault(f);
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
            s.connect(at, 2000);
            s.setSoTimeout(2000);
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
