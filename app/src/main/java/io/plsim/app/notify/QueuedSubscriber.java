package io.plsim.app.notify;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscriber with a bounded queue and one worker thread that delivers in order, retrying a failed
 * delivery with exponential backoff (from {@code 100 ms} to {@code 5 s}) until it succeeds or has
 * been tried for {@link #GIVE_UP_AFTER}. What is dropped, because the queue was full or retries ran
 * out, is counted and logged.
 */
abstract class QueuedSubscriber implements Subscriber {

    static final int QUEUE_CAPACITY = 10_000;
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);
    private static final System.Logger LOG = System.getLogger(QueuedSubscriber.class.getName());

    private final BlockingQueue<Envelope> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread worker;
    private final long initialBackoffMillis;
    private volatile boolean closed;

    QueuedSubscriber(String name, long initialBackoffMillis) {
        this.initialBackoffMillis = initialBackoffMillis;
        this.worker = new Thread(this::run, "plsim-notify-" + name);
        this.worker.setDaemon(true);
    }

    final void start() {
        worker.start();
    }

    /** Delivers one envelope; throws to have it retried. */
    abstract void deliver(Envelope envelope) throws Exception;

    @Override
    public final void offer(Envelope envelope) {
        if (closed || !queue.offer(envelope)) {
            dropped.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, describe() + ": queue full (" + QUEUE_CAPACITY
                    + "), dropped notification " + envelope.messageId() + " for " + envelope.endpointId());
        }
    }

    private void run() {
        while (!closed) {
            Envelope e;
            try {
                e = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                return;
            }
            if (e != null) {
                deliverWithRetries(e);
            }
        }
    }

    private void deliverWithRetries(Envelope e) {
        long backoff = initialBackoffMillis;
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        while (!closed) {
            try {
                deliver(e);
                delivered.incrementAndGet();
                return;
            } catch (Exception ex) {
                failures.incrementAndGet();
                if (System.nanoTime() > deadline) {
                    dropped.incrementAndGet();
                    LOG.log(System.Logger.Level.WARNING, describe() + ": gave up on notification " + e.messageId()
                            + " after " + GIVE_UP_AFTER.toMinutes() + " min: " + ex.getMessage());
                    return;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    @Override
    public long delivered() {
        return delivered.get();
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public long failedAttempts() {
        return failures.get();
    }

    private volatile String undeliveredAtClose;

    /** Pending envelopes are counted as dropped. */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(2000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        int pending = queue.size();
        if (pending > 0) {
            dropped.addAndGet(pending);
            undeliveredAtClose = describe() + ": " + pending + " notifications undelivered at shutdown";
            queue.clear();
        }
    }

    /**
     * What was left undelivered when it closed, or null. Said by whoever closed it, on its own
     * output: at JVM shutdown the JDK's logging may already be reset by its own hook, and a log line
     * then is lost.
     */
    String undeliveredAtClose() {
        return undeliveredAtClose;
    }
}
