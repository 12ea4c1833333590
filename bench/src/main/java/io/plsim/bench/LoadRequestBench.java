package io.plsim.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.plsim.app.load.HttpResponseFramer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.SingleWriterRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code plsim load --http} does per keep-alive request outside the sockets: the request's bytes
 * as a retained duplicate of the run's encoded GET (what is written), the answer framed where it lies
 * (nginx's {@code 200} with a three-byte body), and its latency recorded. Goal: 0 B/op
 * ({@code bench/jmh.sh LoadRequestBench}: {@code gc.alloc.rate.norm}), so a run's own garbage does not
 * grow with its requests. {@code nettyDecoder} frames the same answer with Netty's
 * {@code HttpResponseDecoder}, which plsim load used before, as the peer. Benchmark threads are {@code FastThreadLocalThread}s, as event loops are, so
 * the duplicate comes from Netty's recycler as it does on a loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {
    "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.plsim.bench.EventLoopThreadExecutor",
    "-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Thread)
public class LoadRequestBench {

    private static final String GET = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: plsim-load\r\n"
            + "Accept: */*\r\nConnection: keep-alive\r\n\r\n";
    private static final String ANSWER = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 07 Dec 2026 12:00:00"
            + " GMT\r\nContent-Type: application/octet-stream\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nok\n";

    private ByteBuf request;
    private ByteBuf answer;
    private final HttpResponseFramer framer = new HttpResponseFramer();
    private final SingleWriterRecorder latency = new SingleWriterRecorder(1, TimeUnit.HOURS.toNanos(2), 3);
    private long ended;
    private final HttpResponseFramer.Listener listener = new HttpResponseFramer.Listener() {
        @Override
        public boolean begin() {
            return true;
        }

        @Override
        public void status(int code) {
        }

        @Override
        public void end() {
            ended++;
        }

        @Override
        public void malformed(String why) {
            throw new IllegalStateException(why);
        }
    };

    @Setup(Level.Trial)
    public void setUp() {
        byte[] get = GET.getBytes(StandardCharsets.US_ASCII);
        request = PooledByteBufAllocator.DEFAULT.directBuffer(get.length).writeBytes(get);
        byte[] a = ANSWER.getBytes(StandardCharsets.US_ASCII);
        answer = Unpooled.directBuffer(a.length).writeBytes(a);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        request.release();
        answer.release();
    }

    /** The same answer through Netty's HTTP decoder, as plsim load read answers before: the peer. */
    private io.netty.channel.embedded.EmbeddedChannel decoder;

    @Setup(Level.Trial)
    public void setUpDecoder() {
        decoder = new io.netty.channel.embedded.EmbeddedChannel(new io.netty.handler.codec.http.HttpResponseDecoder());
    }

    @TearDown(Level.Trial)
    public void tearDownDecoder() {
        decoder.finishAndReleaseAll();
    }

    @Benchmark
    public long nettyDecoder() {
        long start = System.nanoTime();
        answer.readerIndex(0);
        decoder.writeInbound(answer.retainedDuplicate());
        for (Object m; (m = decoder.readInbound()) != null; ) {
            if (m instanceof io.netty.handler.codec.http.LastHttpContent) {
                ended++;
            }
            io.netty.util.ReferenceCountUtil.release(m);
        }
        latency.recordValue(Math.max(1, System.nanoTime() - start));
        return ended;
    }

    @Benchmark
    public long request() {
        long start = System.nanoTime();
        ByteBuf out = request.retainedDuplicate();
        int sent = out.readableBytes();
        out.release();
        answer.readerIndex(0);
        framer.feed(answer, listener);
        latency.recordValue(Math.max(1, System.nanoTime() - start));
        return ended + sent;
    }
}
