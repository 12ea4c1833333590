package io.plsim.app.load;

/**
 * Where plsim load's CPU went over a measured run: the whole process, and the part its event loops spent
 * (sending, reading, timing: the work that grows with the rate). The rest is the JVM's own (its JIT
 * compilers, which work hardest in a run's first seconds at a low rate, and its collector), a cost of
 * warming up rather than of the requests; the report shows both, so that neither hides the other.
 *
 * @param processNanos the process's CPU time over the run
 * @param loopNanos    the event loops' CPU time over the run, summed; 0 where threads' CPU cannot be read
 * @param jitMillis    the JIT compilers' time over the run, as the JVM counts it (0 where it does not)
 */
record CpuUse(long processNanos, long loopNanos, long jitMillis) {

    static final CpuUse NONE = new CpuUse(0, 0, 0);

    /** The CPU time of the calling thread, in nanoseconds; -1 where the JVM cannot tell. */
    static long currentThreadNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    }
}
