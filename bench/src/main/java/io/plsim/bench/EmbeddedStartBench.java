package io.plsim.bench;

import io.plsim.embedded.PlsimWorld;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long a test waits for a world: from asking for it to the first request answered through its
 * endpoint, for {@code sim-configs/az-outage.yaml} (built-in echo targets, acceptance not required).
 *
 * <ul>
 *   <li>{@code inJvm}: {@link PlsimWorld#start} in this JVM, one line echoed through the endpoint's
 *       first interface, then {@code close()}.</li>
 *   <li>{@code separateProcess}, the peer: what a test does without embedding, {@code java -jar
 *       app/target/plsim.jar run} (free API and DNS ports), connecting until the same line comes
 *       back, then stopping the process.</li>
 * </ul>
 * Run from the repository's root, after {@code mvn -B install -DskipTests}:
 * {@code java -jar bench/target/benchmarks.jar EmbeddedStartBench}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class EmbeddedStartBench {

    private static final Path WORLD = Path.of("sim-configs", "az-outage.yaml");
    private static final Path JAR = Path.of("app", "target", "plsim.jar");
    /** The first interface of the file's endpoint, where a separate plsim listens. */
    private static final InetSocketAddress FILE_INTERFACE = new InetSocketAddress("127.32.1.4", 7000);

    @Benchmark
    @Warmup(iterations = 5)
    @Measurement(iterations = 20)
    public void inJvm() throws IOException {
        try (PlsimWorld world = PlsimWorld.start(WORLD)) {
            InetSocketAddress at = world.endpoint("outage-endpoint").address();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // The endpoint listens when start returns; its targets may not be healthy yet (the first
            // health checks), and a connection before then fails open or waits: try until answered.
            while (!echo(at) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
    }

    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 5)
    public void separateProcess() throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("no " + JAR + ": run from the repository's root after mvn -B install");
        }
        Process p = new ProcessBuilder("java", "-jar", JAR.toString(), "run", WORLD.toString(), "--api-port", "0",
                "--dns-port", "0").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!echo(FILE_INTERFACE)) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new IllegalStateException("the plsim process never answered");
                }
                Thread.sleep(5);
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** One line through {@code at} and back within a second. */
    private static boolean echo(InetSocketAddress at) {
        try (Socket s = new Socket()) {
            s.connect(at, 1000);
            s.setSoTimeout(1000);
            byte[] line = "ready?\n".getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(line);
            InputStream in = s.getInputStream();
            return in.readNBytes(line.length).length == line.length;
        } catch (IOException e) {
            return false;
        }
    }
}
