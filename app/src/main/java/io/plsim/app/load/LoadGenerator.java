package io.plsim.app.load;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs one load test: starts its own event loops (the spec's transport, one per core by default, never
 * more than connections), spreads the connections over them as {@link Worker}s, opens the
 * connections ahead where they are kept, starts the clock, prints a line every second, and stops
 * by itself: when every request is resolved, or at the hard deadline (duration + timeout + 1 s of
 * drain), when whatever is outstanding counts as timed out and every connection is closed.
 */
public final class LoadGenerator {

    private static final long SECOND = 1_000_000_000L;
    private static final long DRAIN_NANOS = SECOND;

    private final LoadSpec spec;
    private final PrintWriter live;
    private final LoadRun run;
    private final Histogram total = new Histogram(1, Worker.HIGHEST_NANOS, Worker.DIGITS);
    private final Histogram totalService = new Histogram(1, Worker.HIGHEST_NANOS, Worker.DIGITS);
    private final Histogram interval = new Histogram(1, Worker.HIGHEST_NANOS, Worker.DIGITS);
    private final List<LoadReport.Sample> timeline = new ArrayList<>();
    private Worker[] workers = new Worker[0];
    private long lastSampleNanos;
    private long lastCompleted;
    private long lastBytesOut;
    private long lastBytesIn;
    /** Connections opened per address at the last sample, for the live line's split. */
    private final Map<String, Long> lastOpened = new java.util.HashMap<>();
    /** Per address ({@code ip:port}), the latency of every answered request so far, when the target is a name. */
    private final Map<String, Histogram> totalByAddress = new java.util.TreeMap<>();

    private LoadGenerator(LoadSpec spec, PrintWriter live) {
        this.spec = spec;
        this.live = live;
        this.run = new LoadRun(spec);
    }

    /**
     * Runs the load described by {@code spec}, printing a live line every second to {@code live} (when
     * the spec asks for them), and answers what was measured.
     */
    public static LoadReport run(LoadSpec spec, PrintWriter live) throws InterruptedException {
        return new LoadGenerator(spec, live).go();
    }

    private LoadReport go() throws InterruptedException {
        int threads = spec.ioThreads() > 0 ? spec.ioThreads() : Runtime.getRuntime().availableProcessors();
        threads = Math.max(1, Math.min(threads, spec.connections()));
        EventLoopGroup group = spec.transport().newGroup(threads, "plsim-load");
        Instant startedAt = Instant.now();
        // What the plsim asked had counted across zones before the run, to tell the run's part.
        InterfaceDirectory.CrossZone crossZoneBefore = null;
        Reliability.Resources before = Reliability.Resources.now();
        boolean cutShort = false;
        long end;
        try {
            List<EventLoop> loops = new ArrayList<>();
            for (EventExecutor e : group) {
                loops.add((EventLoop) e);
            }
            int n = loops.size();
            workers = new Worker[n];
            for (int i = 0; i < n; i++) {
                workers[i] = new Worker(i, n, loops.get(i), run);
            }
            distribute(n);
            if (run.connectsAhead.getCount() > 0) {
                for (Worker w : workers) {
                    w.loop.execute(w::connectAll);
                }
                run.connectsAhead.await(run.timeoutNanos + SECOND, TimeUnit.NANOSECONDS);
            }
            crossZoneBefore = spec.api() == null ? null
                    : InterfaceDirectory.crossZone(spec.api(), java.time.Duration.ofSeconds(1)).orElse(null);
            long start = System.nanoTime();
            startedAt = Instant.now();
            run.startNanos = start;
            run.endNanos = start + spec.duration().toNanos();
            before = Reliability.Resources.now();
            run.started = true;
            lastSampleNanos = start;
            for (Worker w : workers) {
                w.loop.execute(w::kick);
            }
            cutShort = !monitor(start);
        } finally {
            // Whatever is still outstanding times out; every connection closes.
            List<Future<?>> aborts = new ArrayList<>();
            for (Worker w : workers) {
                aborts.add(w.loop.submit(w::abort));
            }
            for (Future<?> f : aborts) {
                f.await(2, TimeUnit.SECONDS);
            }
            end = run.finishNanos() != 0 && !cutShort ? run.finishNanos() : System.nanoTime();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            run.addresses.close();
            for (Worker w : workers) {
                w.payload.release();
            }
        }
        long last = System.nanoTime();
        sample(last, last, true);
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        for (ErrorKind k : ErrorKind.values()) {
            long v = run.errors[k.ordinal()].sum();
            if (v > 0) {
                errors.put(k, v);
            }
        }
        Reliability.Resources used = Reliability.Resources.now().since(before);
        long lag = 0;
        Histogram lateness = new Histogram(1, Worker.HIGHEST_NANOS, Worker.DIGITS);
        for (Worker w : workers) {
            lag = Math.max(lag, w.maxLagNanos.get());
            lateness.add(w.lateness.getIntervalHistogram());
        }
        Reliability reliability = spec.openLoop()
                ? Reliability.judge(lateness, total, used, (end - run.startNanos) / 1e9,
                        Runtime.getRuntime().availableProcessors())
                : Reliability.notMeasured();
        return new LoadReport(spec, startedAt, end - run.startNanos, cutShort, run.planned, sum(w -> w.issued),
                sum(w -> w.sent), sum(w -> w.completed), run.connections.sum(), run.bytesOut.sum(),
                run.bytesIn.sum(), errors, total, totalService, timeline, lag, lateness, reliability,
                new CpuUse(used.cpuNanos(), sum(w -> w.cpuNanos), used.jitMillis()),
                run.addresses.counts(), totalByAddress,
                run.addresses.resolutions(), run.addresses.resolutionFailures(),
                spec.api() == null ? Map.of() : InterfaceDirectory.fetch(spec.api(), java.time.Duration.ofSeconds(1)),
                crossZoneSince(crossZoneBefore));
    }

    /** What the plsim asked counted across zones since {@code before}; null when it could not be asked. */
    private InterfaceDirectory.CrossZone crossZoneSince(InterfaceDirectory.CrossZone before) {
        if (before == null) {
            return null;
        }
        return InterfaceDirectory.crossZone(spec.api(), java.time.Duration.ofSeconds(1)).map(a -> a.since(before))
                .orElse(null);
    }

    /** Lane {@code k} goes to worker {@code k % n}. */
    private void distribute(int n) {
        int c = spec.connections();
        if (spec.mode() == LoadMode.BULK) {
            List<List<BulkLane>> per = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                per.add(new ArrayList<>());
            }
            for (int k = 0; k < c; k++) {
                per.get(k % n).add(new BulkLane(workers[k % n]));
            }
            for (int i = 0; i < n; i++) {
                workers[i].bulkLanes = per.get(i).toArray(new BulkLane[0]);
            }
            return;
        }
        Lane[] all = new Lane[c];
        List<List<Lane>> per = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            per.add(new ArrayList<>());
        }
        for (int k = 0; k < c; k++) {
            all[k] = new Lane(workers[k % n]);
            per.get(k % n).add(all[k]);
        }
        for (int i = 0; i < n; i++) {
            workers[i].setLanes(per.get(i).toArray(new Lane[0]), all);
        }
    }

    /** Waits for the end, printing a line a second; false when the hard deadline cut the run short. */
    private boolean monitor(long start) throws InterruptedException {
        long hard = run.endNanos + run.timeoutNanos + DRAIN_NANOS;
        // A bulk stream half-closes at the duration and may take one more sample to drain, no longer:
        // a run ends at its duration in every mode.
        long bulkDrained = spec.mode() == LoadMode.BULK
                ? run.endNanos + Math.min(SECOND, run.timeoutNanos) : Long.MAX_VALUE;
        long next = start + SECOND;
        boolean stopped = false;
        while (!run.isFinished()) {
            long now = System.nanoTime();
            if (spec.mode() == LoadMode.BULK && now - bulkDrained >= 0) {
                return true;
            }
            if (!stopped && now - run.endNanos >= 0) {
                stopped = true;
                run.stopIssuing();
                for (Worker w : workers) {
                    w.loop.execute(w::stop);
                }
            }
            if (now - hard >= 0) {
                return false;
            }
            if (now - next >= 0) {
                sample(now, next, false);
                next += SECOND;
            }
            long wake = Math.min(next - now, hard - now);
            if (spec.mode() == LoadMode.BULK) {
                wake = Math.min(wake, bulkDrained - now);
            }
            if (!stopped) {
                wake = Math.min(wake, run.endNanos - now);
            }
            run.finished.await(Math.max(wake, 1), TimeUnit.NANOSECONDS);
        }
        return true;
    }

    /**
     * Collects the interval histograms of every worker, adds them to the totals, prints a live line.
     *
     * @param second the whole second this sample stands for (its time in the report), even when the
     *               monitor woke a little after it; the rates are over the time really elapsed
     */
    private void sample(long now, long second, boolean last) {
        interval.reset();
        for (Worker w : workers) {
            w.latencyInterval = w.latency.getIntervalHistogram(w.latencyInterval);
            w.serviceInterval = w.service.getIntervalHistogram(w.serviceInterval);
            interval.add(w.latencyInterval);
            totalService.add(w.serviceInterval);
        }
        total.add(interval);
        long completed = sum(w -> w.completed);
        long out = run.bytesOut.sum();
        long in = run.bytesIn.sum();
        double secs = (now - lastSampleNanos) / 1e9;
        // Read before a final sliver is dropped from the timeline: its answers belong in the totals of
        // their addresses as in the run's.
        Map<String, LoadReport.AddressSample> addresses = sampleAddresses(secs);
        if (last && secs < 0.2) {
            return; // the final sliver is in the totals; not worth a line of its own
        }
        double elapsed = (second - run.startNanos) / 1e9;
        LoadReport.Sample s = new LoadReport.Sample(elapsed, (completed - lastCompleted) / secs,
                interval.getTotalCount() == 0 ? Double.NaN : interval.getValueAtPercentile(50) / 1000.0,
                interval.getTotalCount() == 0 ? Double.NaN : interval.getValueAtPercentile(99) / 1000.0,
                run.errorTotal(), run.open.get(), (out - lastBytesOut) / 1e6 / secs, (in - lastBytesIn) / 1e6 / secs,
                interval.getTotalCount() == 0 ? Double.NaN : interval.getMaxValue() / 1000.0, addresses);
        lastSampleNanos = now;
        lastCompleted = completed;
        lastBytesOut = out;
        lastBytesIn = in;
        timeline.add(s);
        String split = split();
        if (spec.liveLines() && live != null) {
            live.println(line(s) + split);
            live.flush();
        }
    }

    /**
     * Each address's share of this sample, when the target is a name: its answered requests a
     * second, their p50, p99 and maximum latency, and its failed requests since the start (as the
     * sample's own errors); the totals grow with it.
     */
    private Map<String, LoadReport.AddressSample> sampleAddresses(double secs) {
        if (!run.addresses.resolvesName()) {
            return Map.of();
        }
        Map<String, Histogram> second = new java.util.TreeMap<>();
        for (Worker w : workers) {
            for (Map.Entry<java.net.InetSocketAddress, org.HdrHistogram.SingleWriterRecorder> e : w.byAddress.entrySet()) {
                Histogram h = e.getValue().getIntervalHistogram(w.byAddressInterval.get(e.getKey()));
                w.byAddressInterval.put(e.getKey(), h);
                second.computeIfAbsent(TargetAddresses.text(e.getKey()),
                        k -> new Histogram(1, Worker.HIGHEST_NANOS, Worker.DIGITS)).add(h);
            }
        }
        Map<String, TargetAddresses.Counts> counts = run.addresses.counts();
        java.util.Set<String> keys = new java.util.TreeSet<>(second.keySet());
        keys.addAll(counts.keySet());
        Map<String, LoadReport.AddressSample> out = new java.util.TreeMap<>();
        for (String key : keys) {
            Histogram h = second.get(key);
            if (h != null) {
                totalByAddress.computeIfAbsent(key, k -> new Histogram(1, Worker.HIGHEST_NANOS, Worker.DIGITS)).add(h);
            }
            long errs = counts.containsKey(key) ? counts.get(key).errors() : 0;
            boolean any = h != null && h.getTotalCount() > 0;
            out.put(key, new LoadReport.AddressSample(any ? h.getTotalCount() / secs : 0,
                    any ? h.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                    any ? h.getValueAtPercentile(99) / 1000.0 : Double.NaN,
                    any ? h.getMaxValue() / 1000.0 : Double.NaN, errs));
        }
        return out;
    }

    /**
     * Where this second's new connections went, when they went to more than one address (a name's
     * answers): {@code   split 127.32.1.4 51% 127.32.2.4 49%}.
     */
    private String split() {
        Map<String, TargetAddresses.Counts> now = run.addresses.counts();
        Map<String, Long> delta = new java.util.TreeMap<>();
        long all = 0;
        for (Map.Entry<String, TargetAddresses.Counts> e : now.entrySet()) {
            long d = e.getValue().opened() - lastOpened.getOrDefault(e.getKey(), 0L);
            lastOpened.put(e.getKey(), e.getValue().opened());
            if (d > 0) {
                delta.put(e.getKey(), d);
                all += d;
            }
        }
        if (delta.size() < 2) {
            return "";
        }
        StringBuilder b = new StringBuilder("  split");
        for (Map.Entry<String, Long> e : delta.entrySet()) {
            String ip = e.getKey().substring(0, e.getKey().lastIndexOf(':'));
            b.append(' ').append(ip).append(' ').append(Math.round(100.0 * e.getValue() / all)).append('%');
        }
        return b.toString();
    }

    private long sum(java.util.function.Function<Worker, java.util.concurrent.atomic.AtomicLong> counter) {
        long n = 0;
        for (Worker w : workers) {
            n += counter.apply(w).get();
        }
        return n;
    }

    private String line(LoadReport.Sample s) {
        if (spec.mode() == LoadMode.BULK) {
            return String.format(Locale.ROOT, "%7.1fs  sent %9.1f MB/s  received %9.1f MB/s  errors %d  open %d",
                    s.elapsedSeconds(), s.mbPerSecondSent(), s.mbPerSecondReceived(), s.errors(), s.open());
        }
        return String.format(Locale.ROOT, "%7.1fs  %9.1f req/s  p50 %9s ms  p99 %9s ms  errors %d  open %d",
                s.elapsedSeconds(), s.ratePerSecond(), ms(s.p50Micros()), ms(s.p99Micros()), s.errors(), s.open());
    }

    private static String ms(double micros) {
        return Double.isNaN(micros) ? "-" : String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }
}
