package io.plsim.app.notify;

import io.plsim.core.control.ControlEvent;
import io.plsim.core.control.ControlPlaneListener;
import io.plsim.core.model.Topic;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivers connection notifications to the subscribers of their SNS topics: HTTP endpoints
 * (SNS-style envelopes, retried with backoff), JSON-lines files, and an in-memory log that every
 * topic has, readable through the admin API. It listens to the control plane, so each event is
 * handed to each subscriber exactly once, in the order the control plane emitted them.
 */
public final class NotificationHub implements ControlPlaneListener, AutoCloseable {

    /** Topics the sim-config does not declare whose envelopes are kept in memory, at most. */
    static final int MAX_UNDECLARED_TOPICS = 1_000;

    private final Map<String, List<Subscriber>> byTopic = new LinkedHashMap<>();
    private final Map<String, MemorySubscriber> memory = new ConcurrentHashMap<>();
    /** Envelopes kept in memory over every topic (see {@link MemorySubscriber#TOTAL_CAPACITY}). */
    private final java.util.concurrent.atomic.AtomicInteger kept = new java.util.concurrent.atomic.AtomicInteger();
    /** The undeclared topics in the order they were first notified, oldest first. */
    private final java.util.ArrayDeque<String> undeclared = new java.util.ArrayDeque<>();

    public NotificationHub(List<Topic> topics) {
        this(topics, 100);
    }

    /** @param initialBackoffMillis first retry delay of a failed HTTP or file delivery; doubles up to 5 s */
    public NotificationHub(List<Topic> topics, long initialBackoffMillis) {
        for (Topic t : topics) {
            List<Subscriber> subs = new ArrayList<>();
            for (Topic.Subscription s : t.subscriptions()) {
                switch (s.kind()) {
                    case HTTP -> subs.add(new HttpSubscriber(URI.create(s.target()), initialBackoffMillis));
                    case FILE -> subs.add(new FileSubscriber(Path.of(s.target()), initialBackoffMillis));
                    case MEMORY -> subs.add(memoryOf(t.arn()));
                }
            }
            if (subs.stream().noneMatch(x -> x instanceof MemorySubscriber)) {
                subs.add(memoryOf(t.arn()));
            }
            byTopic.put(t.arn(), subs);
        }
    }

    private MemorySubscriber memoryOf(String topicArn) {
        return memory.computeIfAbsent(topicArn, a -> new MemorySubscriber(kept));
    }

    @Override
    public void onEvent(ControlEvent event) {
        if (!(event instanceof ControlEvent.Notified n)) {
            return;
        }
        Envelope e = Envelope.of(n);
        List<Subscriber> subs;
        synchronized (byTopic) {
            subs = byTopic.get(e.topicArn());
            if (subs == null) {
                // A topic only a notification names: its log kept in memory, for the latest
                // MAX_UNDECLARED_TOPICS such topics, so that many of them cannot fill the heap.
                subs = new ArrayList<>(List.of(memoryOf(e.topicArn())));
                byTopic.put(e.topicArn(), subs);
                undeclared.addLast(e.topicArn());
                if (undeclared.size() > MAX_UNDECLARED_TOPICS) {
                    String oldest = undeclared.removeFirst();
                    byTopic.remove(oldest);
                    MemorySubscriber gone = memory.remove(oldest);
                    if (gone != null) {
                        gone.forget();
                    }
                }
            }
        }
        for (Subscriber s : subs) {
            s.offer(e);
        }
    }

    /** The in-memory log of a topic, oldest first; every topic if {@code topicArn} is null. */
    public List<Envelope> log(String topicArn) {
        List<Envelope> out = new ArrayList<>();
        memory.forEach((arn, m) -> {
            if (topicArn == null || topicArn.equals(arn)) {
                out.addAll(m.entries());
            }
        });
        out.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
        return out;
    }

    /** Delivery counters per subscriber, for metrics. */
    public List<SubscriberStats> stats() {
        List<SubscriberStats> out = new ArrayList<>();
        synchronized (byTopic) {
            byTopic.forEach((arn, subs) -> subs.forEach(s -> out.add(new SubscriberStats(arn, s.describe(),
                    s.delivered(), s.dropped(), s.failedAttempts()))));
        }
        return out;
    }

    public record SubscriberStats(String topicArn, String subscriber, long delivered, long dropped, long failedAttempts) {
    }

    @Override
    public void close() {
        closeAndSay();
    }

    /**
     * Closes every subscriber; answers a line for each that had notifications still queued, for
     * the caller to say on its own output (see {@link QueuedSubscriber#undeliveredAtClose()}).
     */
    public java.util.List<String> closeAndSay() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        synchronized (byTopic) {
            byTopic.values().forEach(subs -> subs.forEach(sub -> {
                sub.close();
                if (sub instanceof QueuedSubscriber q && q.undeliveredAtClose() != null) {
                    lines.add(q.undeliveredAtClose());
                }
            }));
        }
        return lines;
    }
}
