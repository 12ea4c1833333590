package io.plsim.app.load;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Whether a run's latency measures its target or plsim load itself. An open-loop run records its own
 * lateness: how long after each request's intended send time the generator handed it to its connection.
 * The latency counts from the intended time (as it must, for coordinated omission), so a late generator
 * inflates it; when the lateness p99 is above {@link #thresholdNanos} (the larger of 1 ms and a tenth of
 * the latency p99) the run is unreliable, and every output says so, with the causes that could be told.
 *
 * <p>A closed loop (and churn as fast as possible) has no timetable, so no lateness: always reliable.
 *
 * @param measured       whether the run followed a timetable, so that lateness was measured
 * @param latenessP99    the generator's own lateness p99, in nanoseconds (0 when not measured)
 * @param thresholdNanos the lateness p99 above which the run is unreliable
 * @param causes         what made the generator late, as far as it can tell; empty when reliable
 * @param evidence       the figures behind the causes, one phrase each, for people
 */
public record Reliability(boolean measured, long latenessP99, long thresholdNanos, List<Cause> causes,
                          List<String> evidence) {

    /** Lateness never counts against a run below this, whatever the latency: timer slack of a shared machine. */
    static final long FLOOR_NANOS = 1_000_000L;

    /** What made the generator late. */
    public enum Cause {
        /** Its process used (nearly) every core: the generator, or something beside it, wanted more CPU. */
        CPU("cpu"),
        /** Garbage collection paused the JVM during the run. */
        GC("gc"),
        /**
         * The JIT compilers were still at work during the run: the generator ran (partly) interpreted and
         * their threads took CPU. At a low rate the code takes long to warm: about 15 s at 1,000 requests a
         * second, since a method is compiled by its count of calls, not by time.
         */
        JIT("jit"),
        /** An event loop woke late with CPU and heap to spare: the machine's scheduler, or a long task on the loop. */
        LOOP_STALL("loop-stall");

        private final String label;

        Cause(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Reliability {
        causes = List.copyOf(causes);
        evidence = List.copyOf(evidence);
    }

    /** A run without a timetable: nothing to be late against. */
    static Reliability notMeasured() {
        return new Reliability(false, 0, 0, List.of(), List.of());
    }

    public boolean reliable() {
        return !measured || latenessP99 <= thresholdNanos;
    }

    /** The larger of {@link #FLOOR_NANOS} and a tenth of the latency p99. */
    static long threshold(Histogram latency) {
        long p99 = latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99);
        return Math.max(FLOOR_NANOS, p99 / 10);
    }

    /**
     * The verdict on a run whose timetable was {@code lateness} late, with {@code used} the process's
     * resources over the run and {@code cores} what it could use.
     */
    static Reliability judge(Histogram lateness, Histogram latency, Resources used, double elapsedSeconds, int cores) {
        long p99 = lateness.getTotalCount() == 0 ? 0 : lateness.getValueAtPercentile(99);
        long threshold = threshold(latency);
        if (p99 <= threshold) {
            return new Reliability(true, p99, threshold, List.of(), List.of());
        }
        List<Cause> causes = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        double busyCores = used.cpuNanos() / 1e9 / Math.max(elapsedSeconds, 1e-9);
        if (busyCores >= 0.85 * cores) {
            causes.add(Cause.CPU);
            evidence.add(String.format(Locale.ROOT, "the process kept %.2f of %d cores busy", busyCores, cores));
        } else if (used.machineBusy() >= 0.85) {
            causes.add(Cause.CPU);
            evidence.add(String.format(Locale.ROOT, "the machine's cores were %.0f%% busy, this process using %.2f of"
                    + " %d: other work took the CPU", used.machineBusy() * 100, busyCores, cores));
        }
        if (used.gcMillis() > 0 && used.gcMillis() * 1_000_000L >= p99) {
            causes.add(Cause.GC);
            evidence.add(String.format(Locale.ROOT, "garbage collection paused it %d ms in %d collections",
                    used.gcMillis(), used.gcCount()));
        }
        // A tenth of the run spent compiling: still warming up, beyond what one late method would cost.
        if (used.jitMillis() * 10 >= elapsedSeconds * 1000) {
            causes.add(Cause.JIT);
            evidence.add(String.format(Locale.ROOT, "the JIT compilers worked %d ms of the %.1f s run: the code was still"
                    + " warming up (a longer --warmup lets it settle)", used.jitMillis(), elapsedSeconds));
        }
        if (causes.isEmpty()) {
            causes.add(Cause.LOOP_STALL);
            evidence.add(String.format(Locale.ROOT, "its event loops woke up to %.3f ms late with %.2f of %d cores"
                    + " and the heap to spare (a shared or throttled machine?)", lateness.getMaxValue() / 1e6,
                    busyCores, cores));
        }
        return new Reliability(true, p99, threshold, causes, evidence);
    }

    /** One line for people: why the run is unreliable; empty when it is not. */
    public String reason() {
        if (reliable()) {
            return "";
        }
        return String.format(Locale.ROOT, "plsim load's own lateness p99 %.3f ms is above %.3f ms (the larger of 1 ms"
                + " and a tenth of the latency p99): ", latenessP99 / 1e6, thresholdNanos / 1e6)
                + String.join("; ", evidence);
    }

    /**
     * The process's CPU time, garbage collection and JIT compilation (its compilers' time, summed over
     * their threads), read before and after a run, and the machine's CPU ({@code /proc/stat} on Linux: busy
     * and all clock ticks of every core; 0 where it cannot be read).
     */
    record Resources(long cpuNanos, long gcMillis, long gcCount, long jitMillis, long machineBusyTicks,
                     long machineTicks) {

        Resources(long cpuNanos, long gcMillis, long gcCount) {
            this(cpuNanos, gcMillis, gcCount, 0, 0, 0);
        }

        /** The share of the machine's CPU time that was busy, 0 to 1; 0 when unknown. */
        double machineBusy() {
            return machineTicks <= 0 ? 0 : (double) machineBusyTicks / machineTicks;
        }

        static Resources now() {
            long gcMillis = 0;
            long gcCount = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcMillis += Math.max(0, gc.getCollectionTime());
                gcCount += Math.max(0, gc.getCollectionCount());
            }
            long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? Math.max(0, os.getProcessCpuTime()) : 0;
            java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            long jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported()
                    ? Math.max(0, jit.getTotalCompilationTime()) : 0;
            long[] machine = procStat();
            return new Resources(cpu, gcMillis, gcCount, jitMillis, machine[0], machine[1]);
        }

        Resources since(Resources before) {
            return new Resources(cpuNanos - before.cpuNanos, gcMillis - before.gcMillis, gcCount - before.gcCount,
                    jitMillis - before.jitMillis, machineBusyTicks - before.machineBusyTicks, machineTicks - before.machineTicks);
        }

        /** Busy and all ticks of the first line of {@code /proc/stat} (idle and iowait are not busy); zeros elsewhere. */
        private static long[] procStat() {
            try {
                String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim()
                        .split("\\s+");
                long all = 0;
                long idle = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    long v = Long.parseLong(f[i]);
                    all += v;
                    if (i == 4 || i == 5) {
                        idle += v;
                    }
                }
                return new long[] {all - idle, all};
            } catch (java.io.IOException | RuntimeException e) {
                return new long[] {0, 0};
            }
        }
    }
}
