package io.plsim.bench;

import io.plsim.core.control.EndpointState;
import io.plsim.dataplane.HotPaths;
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
 * The admission check of the hot path, {@code EndpointGate.isOpen()} (reached through {@link HotPaths#gate}),
 * which {@code EndpointGate.admit} runs on every accepted connection (for {@code Admission.decide}) and
 * {@code FrontendHandler} on every read: one volatile read of the endpoint state. Measured for an open gate
 * ({@code available}) and a closed one ({@code rejected}). Goals: under 20 ns, and with {@code -prof gc} a
 * {@code gc.alloc.rate.norm} of 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AdmissionBench {

    @Param({"AVAILABLE", "REJECTED"})
    public EndpointState state;

    private HotPaths.Gate gate;

    @Setup(Level.Trial)
    public void setUp() {
        gate = HotPaths.gate("vpce-0a1b2c3d4e5f67890", state);
    }

    @Benchmark
    public void isOpen(Blackhole bh) {
        bh.consume(gate.isOpen());
    }
}
