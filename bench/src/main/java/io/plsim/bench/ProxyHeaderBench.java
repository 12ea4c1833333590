package io.plsim.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.plsim.dataplane.proxy.ProxyHeaderWriter;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Proxy Protocol v2 header encoding, once per forwarded connection: {@code PROXY} TCP4, the AWS TLV with a
 * 22-character {@code vpce-} ID, and optionally the CRC32C TLV (61 bytes with it, 54 without).
 *
 * <ul>
 *   <li>{@code writeTo}: the encoding alone, into one reused pooled direct buffer cleared every op. Goal:
 *       under 100 ns.</li>
 *   <li>{@code writeAlloc}: {@code write(alloc)} plus {@code release()}, what a connection pays including the
 *       buffer, from the allocator Netty 4.2 channels use by default ({@code adaptive}) and from the pooled
 *       one. Benchmark threads are {@code FastThreadLocalThread}s, as event loops are (see
 *       {@link EventLoopThreadExecutor}).</li>
 * </ul>
 * Addresses and ports come from a precomputed table, a different entry each op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {
    "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.plsim.bench.EventLoopThreadExecutor"})
@State(Scope.Thread)
public class ProxyHeaderBench {

    /** A real-looking endpoint ID: {@code vpce-} and 17 hex digits. */
    static final String VPCE_ID = "vpce-0a1b2c3d4e5f67890";

    private static final int FLOWS = 1024;
    private static final int MASK = FLOWS - 1;

    /** {@code aws}: NLB's 100-byte header (CRC32C, AWS TLV, NOOP), the default; {@code minimal[-crc]}: the small one. */
    @Param({"aws", "minimal", "minimal-crc"})
    public String layout;

    private ProxyHeaderWriter writer;
    private ByteBuf reused;
    private final int[] srcIp = new int[FLOWS];
    private final int[] srcPort = new int[FLOWS];
    private final int[] dstIp = new int[FLOWS];
    private final int[] dstPort = new int[FLOWS];
    private int next;

    /** Which allocator {@code writeAlloc} takes its buffer from; only that benchmark varies it. */
    @State(Scope.Thread)
    public static class Alloc {

        @Param({"adaptive", "pooled"})
        public String allocator;

        ByteBufAllocator alloc;

        @Setup(Level.Trial)
        public void setUp() {
            alloc = switch (allocator) {
                // Netty 4.2's default, and what channel.alloc() returns unless configured otherwise.
                case "adaptive" -> ByteBufAllocator.DEFAULT;
                case "pooled" -> PooledByteBufAllocator.DEFAULT;
                default -> throw new IllegalArgumentException("allocator " + allocator);
            };
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        writer = switch (layout) {
            case "aws" -> ProxyHeaderWriter.aws(VPCE_ID);
            case "minimal" -> ProxyHeaderWriter.minimal(VPCE_ID, false);
            case "minimal-crc" -> ProxyHeaderWriter.minimal(VPCE_ID, true);
            default -> throw new IllegalArgumentException("layout " + layout);
        };
        reused = PooledByteBufAllocator.DEFAULT.directBuffer(256, 256);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < FLOWS; i++) {
            srcIp[i] = 0x0A000000 | random.nextInt(1 << 24);      // 10.0.0.0/8 clients
            srcPort[i] = 1024 + random.nextInt(65536 - 1024);     // ephemeral ports
            dstIp[i] = 0xAC100000 | random.nextInt(1 << 12);      // 172.16.0.0/20 endpoint interfaces
            dstPort[i] = random.nextBoolean() ? 443 : 8443;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reused.release();
    }

    @Benchmark
    public void writeTo(Blackhole bh) {
        int k = next++ & MASK;
        ByteBuf out = reused.clear();
        writer.writeTo(out, srcIp[k], srcPort[k], dstIp[k], dstPort[k]);
        bh.consume(out.writerIndex());
    }

    @Benchmark
    public void writeAlloc(Alloc a, Blackhole bh) {
        int k = next++ & MASK;
        ByteBuf out = writer.write(a.alloc, srcIp[k], srcPort[k], dstIp[k], dstPort[k]);
        bh.consume(out.writerIndex());
        out.release();
    }
}
