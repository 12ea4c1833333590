package io.plsim.dataplane;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} whose time moves only when the test moves it, and which knows which threads read it: the
 * idle sweeps, one per event loop that carries flows, each reading it once a sweep.
 */
final class MovedTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong();
    private final Map<Thread, AtomicLong> readsByThread = new ConcurrentHashMap<>();

    @Override
    public long read() {
        readsByThread.computeIfAbsent(Thread.currentThread(), t -> new AtomicLong()).incrementAndGet();
        return nanos.get();
    }

    void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    /**
     * Waits until some thread reads the time and every thread that does has read it twice more (a new one twice):
     * then each sweep has run once wholly after this call, on the time as it is now.
     */
    void awaitSweeps(Duration timeout) {
        Map<Thread, Long> before = new ConcurrentHashMap<>();
        readsByThread.forEach((t, n) -> before.put(t, n.get()));
        Await.until(timeout, () -> !readsByThread.isEmpty() && readsByThread.entrySet().stream()
                .allMatch(e -> e.getValue().get() >= before.getOrDefault(e.getKey(), 0L) + 2),
                () -> "a whole sweep on every event loop after " + before + ": " + readsByThread);
    }
}
