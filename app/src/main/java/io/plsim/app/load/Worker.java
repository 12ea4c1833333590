package io.plsim.app.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.plsim.dataplane.proxy.ProxyHeaderWriter;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything one event loop does for a run: its share of the connections (lane {@code k} belongs
 * to worker {@code k % workers}), its share of the timetable, the timeout sweep, and two latency
 * recorders that only this loop writes to (so recording is a few plain stores, no contention).
 *
 * <p>The timetable: request {@code i} goes to lane {@code i % connections}, at
 * {@link LoadRun#intended(long)}. The worker walks the indices of its own lanes in order and
 * schedules itself for the intended time of the next one; everything due when it wakes is handed
 * to its lane, which sends it at once or, if busy, queues it, and either way its latency counts
 * from the intended time.
 */
final class Worker implements Runnable {

    /** Latencies are recorded in nanoseconds up to two hours (any larger value is recorded as two hours). */
    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(2);
    static final int DIGITS = 3;
    static final int BULK_CHUNK = 64 * 1024;
    private static final ProxyHeaderWriter PROXY = ProxyHeaderWriter.minimal(null, false);
    /** At most this many requests per wake-up, so a generator that fell behind still serves its sockets. */
    private static final int BATCH = 4096;

    final int id;
    final int workers;
    final EventLoop loop;
    final LoadRun run;
    final Bootstrap bootstrap;
    /** What every request sends ({@code rr}, {@code closed}, {@code churn}), or one bulk chunk; owned by this loop. */
    final ByteBuf payload;
    final SingleWriterRecorder latency = new SingleWriterRecorder(1, HIGHEST_NANOS, DIGITS);
    final SingleWriterRecorder service = new SingleWriterRecorder(1, HIGHEST_NANOS, DIGITS);
    /** Open loop: how late each request was handed to its lane, after its intended time (the generator's own lateness). */
    final SingleWriterRecorder lateness = new SingleWriterRecorder(1, HIGHEST_NANOS, DIGITS);
    /** Recycled by the coordinator thread between interval reads. */
    Histogram latencyInterval;
    Histogram serviceInterval;
    /**
     * Per address connected to, the latencies of its answered requests, when the target is a name
     * (its answers are reported apart); written only by this loop's lanes, read by the coordinator.
     */
    final Map<InetSocketAddress, SingleWriterRecorder> byAddress = new ConcurrentHashMap<>();
    /** Recycled by the coordinator thread, per address. */
    final Map<InetSocketAddress, Histogram> byAddressInterval = new HashMap<>();

    /**
     * Counters only this loop writes (a plain read and an ordered store: no contention, no CAS);
     * the coordinator reads them for the live lines and the report.
     */
    final AtomicLong issued = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    /** The most the timetable ran late: how long after its intended time a request was handed to its lane. */
    final AtomicLong maxLagNanos = new AtomicLong();
    /** This loop's CPU time from {@link #kick} to {@link #abort}, read by the coordinator after the abort. */
    final AtomicLong cpuNanos = new AtomicLong();
    private long cpuAtKick = -1;

    Lane[] lanes = new Lane[0];
    BulkLane[] bulkLanes = new BulkLane[0];
    private Lane[] all;
    private long nextIndex;
    private boolean stopped;
    private ScheduledFuture<?> sweeper;

    Worker(int id, int workers, EventLoop loop, LoadRun run) {
        this.id = id;
        this.workers = workers;
        this.loop = loop;
        this.run = run;
        LoadSpec spec = run.spec;
        boolean bulk = spec.mode() == LoadMode.BULK;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .remoteAddress(spec.target().address())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, spec.timeout().toMillis()))
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, bulk)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        bulk ? new WriteBufferWaterMark(256 * 1024, 1024 * 1024) : WriteBufferWaterMark.DEFAULT);
        if (spec.target().address().getAddress() instanceof java.net.Inet4Address) {
            bootstrap.channelFactory(spec.transport().ipv4SocketChannelFactory());
        } else {
            bootstrap.channel(spec.transport().socketChannel());
        }
        if (spec.http()) {
            byte[] get = httpGet(spec).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            this.payload = PooledByteBufAllocator.DEFAULT.directBuffer(get.length).writeBytes(get);
        } else {
            int size = bulk ? BULK_CHUNK : spec.payloadSize();
            this.payload = PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(size, 1));
            byte[] pattern = "plsim load payload ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int i = 0; i < size; i++) {
                payload.writeByte(i % 64 == 63 ? '\n' : pattern[i % pattern.length]);
            }
        }
    }

    /** The HTTP/1.1 GET every {@code --http} request sends, encoded once for the run. */
    static String httpGet(LoadSpec spec) {
        return "GET " + spec.httpPath() + " HTTP/1.1\r\nHost: " + spec.target().host() + ":"
                + spec.target().address().getPort() + "\r\nUser-Agent: plsim-load\r\nAccept: */*\r\n"
                + "Connection: keep-alive\r\n\r\n";
    }

    void setLanes(Lane[] lanes, Lane[] all) {
        this.lanes = lanes;
        this.all = all;
    }

    /** Records one answered request: latency from the intended send time, service time from the actual one. */
    void record(long latencyNanos, long serviceNanos) {
        latency.recordValue(clamp(latencyNanos));
        service.recordValue(clamp(serviceNanos));
        completed.lazySet(completed.get() + 1);
    }

    /** The recorder of one address's latencies, made on first use. */
    SingleWriterRecorder recorderFor(InetSocketAddress a) {
        return byAddress.computeIfAbsent(a, x -> new SingleWriterRecorder(1, HIGHEST_NANOS, DIGITS));
    }

    /** Bulk: one more connection streamed to the end. */
    void countCompleted() {
        completed.lazySet(completed.get() + 1);
    }

    void countIssued() {
        issued.lazySet(issued.get() + 1);
    }

    void countSent() {
        sent.lazySet(sent.get() + 1);
    }

    static long clamp(long v) {
        return v < 0 ? 0 : Math.min(v, HIGHEST_NANOS);
    }

    /**
     * Connects {@code b} to {@code to} (the target's address, or the next of its name's latest DNS answer),
     * counts the outcome against that address, then calls {@code then}. The one way every lane opens a
     * connection, so each one opened or failed counts to exactly one address.
     */
    ChannelFuture connect(Bootstrap b, InetSocketAddress to, ChannelFutureListener then) {
        return b.connect(to).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                run.addresses.opened(to);
            } else {
                run.addresses.failed(to);
            }
            then.operationComplete(f);
        });
    }

    /**
     * With {@code --proxy-header v2}: the connection's PROXY header, straight to the socket in front of any
     * codec (an HTTP encoder takes no raw bytes), counted as sent; not flushed.
     */
    void writeProxyHeader(Channel ch) {
        if (!run.spec.proxyV2()) {
            return;
        }
        InetSocketAddress src = (InetSocketAddress) ch.localAddress();
        InetSocketAddress dst = (InetSocketAddress) ch.remoteAddress();
        ByteBuf header = PROXY.write(ch.alloc(), ProxyHeaderWriter.ipv4(src), src.getPort(),
                ProxyHeaderWriter.ipv4(dst), dst.getPort());
        run.bytesOut.add(header.readableBytes());
        ch.pipeline().firstContext().write(header, ch.voidPromise());
    }

    /** Connects every lane ahead of the run ({@code rr}, {@code closed}). */
    void connectAll() {
        for (Lane l : lanes) {
            l.connectAhead();
        }
    }

    /** Starts the run on this loop: the timetable, the closed loops or the bulk streams, and the sweep. */
    void kick() {
        cpuAtKick = CpuUse.currentThreadNanos();
        long sweepNanos = Math.max(1_000_000L, Math.min(run.timeoutNanos / 10, 50_000_000L));
        sweeper = loop.scheduleAtFixedRate(this::sweep, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
        if (run.spec.mode() == LoadMode.BULK) {
            for (BulkLane b : bulkLanes) {
                b.start();
            }
        } else if (run.spec.openLoop()) {
            nextIndex = nextOwned(0);
            run();
        } else {
            for (Lane l : lanes) {
                l.pump();
            }
        }
    }

    /** The timetable: hands every request that is due to its lane, then sleeps until the next one. */
    @Override
    public void run() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        long i = nextIndex;
        int batch = BATCH;
        int c = all.length;
        if (i < run.planned && now - run.intended(i) > maxLagNanos.get()) {
            maxLagNanos.lazySet(now - run.intended(i)); // the oldest due request is the latest one
        }
        while (i < run.planned) {
            long t = run.intended(i);
            if (t - now > 0) {
                nextIndex = i;
                loop.schedule(this, t - now, TimeUnit.NANOSECONDS);
                return;
            }
            if (--batch == 0) {
                nextIndex = i;
                loop.execute(this);
                return;
            }
            run.issue();
            countIssued();
            lateness.recordValue(clamp(now - t));
            all[(int) (i % c)].submit(t);
            i = nextOwned(i + 1);
        }
        nextIndex = i;
    }

    /** The first request index from {@code i} on whose lane belongs to this worker. */
    private long nextOwned(long i) {
        int c = all.length;
        while (i < run.planned && (int) (i % c) % workers != id) {
            i++;
        }
        return i;
    }

    /** Requests of this worker's share of the timetable that were never handed out (the run was cut short). */
    long unissued() {
        if (!run.spec.openLoop()) {
            return 0;
        }
        long n = 0;
        for (long i = nextIndex; i < run.planned; i = nextOwned(i + 1)) {
            n++;
        }
        return n;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Lane l : lanes) {
            l.sweep(now);
        }
    }

    /** Closed loop and bulk: the duration is over; lanes finish what they have and stop. */
    void stop() {
        for (BulkLane b : bulkLanes) {
            b.stop();
        }
    }

    /**
     * Ends the run on this loop: whatever is still outstanding or never left the timetable counts
     * as timed out, and every connection is closed.
     */
    void abort() {
        stopped = true;
        long cpuNow = CpuUse.currentThreadNanos();
        if (cpuAtKick >= 0 && cpuNow >= cpuAtKick) {
            cpuNanos.set(cpuNow - cpuAtKick);
        }
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        long never = unissued();
        for (long k = 0; k < never; k++) {
            run.issue();
            countIssued();
            run.error(ErrorKind.TIMEOUT);
            run.resolved();
        }
        nextIndex = run.planned;
        for (Lane l : lanes) {
            l.abort();
        }
        for (BulkLane b : bulkLanes) {
            b.abort();
        }
    }
}
