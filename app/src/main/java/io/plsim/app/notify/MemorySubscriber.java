package io.plsim.app.notify;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Keeps the latest envelopes of a topic in memory, for the admin API. When full, the oldest is
 * evicted and counted as dropped.
 */
final class MemorySubscriber implements Subscriber {

    static final int CAPACITY = 10_000;

    private final ArrayDeque<Envelope> log = new ArrayDeque<>();
    private long delivered;
    private long dropped;

    @Override
    public synchronized void offer(Envelope envelope) {
        if (log.size() == CAPACITY) {
            log.removeFirst();
            dropped++;
        }
        log.addLast(envelope);
        delivered++;
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
