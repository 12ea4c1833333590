package io.plsim.app.notify;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Keeps the latest envelopes of a topic in memory, for the admin API. When full, the oldest is
 * evicted and counted as dropped.
 */
final class MemorySubscriber implements Subscriber {

    static final int CAPACITY = 10_000;

    /** Envelopes kept over every topic's log of a hub, at most. */
    static final int TOTAL_CAPACITY = 100_000;

    private final ArrayDeque<Envelope> log = new ArrayDeque<>();
    /** What every memory log of the hub keeps, shared. */
    private final java.util.concurrent.atomic.AtomicInteger total;
    private long delivered;
    private long dropped;

    MemorySubscriber(java.util.concurrent.atomic.AtomicInteger total) {
        this.total = total;
    }

    /**
     * Keeps the envelope, forgetting this topic's oldest when the topic holds {@link #CAPACITY} or
     * every topic together {@link #TOTAL_CAPACITY}; an envelope that finds the whole full and its own
     * topic empty is not kept.
     */
    @Override
    public synchronized void offer(Envelope envelope) {
        if (log.size() == CAPACITY || (total.get() >= TOTAL_CAPACITY && !log.isEmpty())) {
            log.removeFirst();
            total.decrementAndGet();
            dropped++;
        } else if (total.get() >= TOTAL_CAPACITY) {
            dropped++;
            return;
        }
        log.addLast(envelope);
        total.incrementAndGet();
        delivered++;
    }

    /** Forgotten as a whole: what it kept no longer counts against the total. */
    synchronized void forget() {
        total.addAndGet(-log.size());
        log.clear();
    }

    synchronized List<Envelope> entries() {
        return List.copyOf(log);
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public synchronized long delivered() {
        return delivered;
    }

    @Override
    public synchronized long dropped() {
        return dropped;
    }

    @Override
    public long failedAttempts() {
        return 0;
    }

    @Override
    public void close() {
        // nothing held outside the heap
    }
}
