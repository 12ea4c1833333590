package io.plsim.app.load;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The addresses a run's connections go to, as a client that honours DNS picks them: a target given by
 * name is resolved again every TTL, on a thread of its own (never on an event loop), and each new
 * connection takes the next address of the latest answer, so flows spread over every address the name
 * answers and follow it when it changes (DNS failover). A target given by address has that one address.
 * Counts, per address, the connections opened and those that failed to open.
 */
final class TargetAddresses implements AutoCloseable {

    /** What one address got: connections opened, connections that could not be, requests that failed. */
    record Counts(long opened, long failed, long errors) {
    }

    private final LoadTarget target;
    private volatile List<InetSocketAddress> current;
    private final AtomicLong next = new AtomicLong();
    private final Map<InetSocketAddress, Tally> tallies = new ConcurrentHashMap<>();
    private final LongAdder resolutions = new LongAdder();
    private final LongAdder resolutionFailures = new LongAdder();
    private final ScheduledExecutorService resolver;

    /**
     * @param ttl how long an answer is used before the name is resolved again; for a name only
     */
    TargetAddresses(LoadTarget target, Duration ttl, Duration timeout) {
        this.target = target;
        this.current = List.of(target.address());
        if (target.dns() == null) {
            resolver = null;
            return;
        }
        resolver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plsim-load-dns");
            t.setDaemon(true);
            return t;
        });
        resolve(timeout);
        long every = Math.max(1, ttl.toMillis());
        resolver.scheduleWithFixedDelay(() -> resolve(timeout), every, every, TimeUnit.MILLISECONDS);
    }

    private void resolve(Duration timeout) {
        try {
            List<Inet4Address> ips = DnsLookup.resolveAll(target.host(), target.dns(), timeout);
            List<InetSocketAddress> now = ips.stream().filter(Inet4Address::isLoopbackAddress)
                    .map(ip -> new InetSocketAddress(ip, target.address().getPort())).toList();
            if (!now.isEmpty()) {
                current = now;
            }
            resolutions.increment();
        } catch (DnsLookup.DnsException e) {
            // The last answer stays in use, as a client's cache would keep it.
            resolutionFailures.increment();
        }
    }

    /** The address of the next connection. */
    InetSocketAddress next() {
        List<InetSocketAddress> now = current;
        return now.get((int) Math.floorMod(next.getAndIncrement(), (long) now.size()));
    }

    /** The counters of one address, bumped from any event loop. */
    private record Tally(LongAdder opened, LongAdder failed, LongAdder errors) {
        Tally() {
            this(new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    private Tally tally(InetSocketAddress a) {
        return tallies.computeIfAbsent(a, x -> new Tally());
    }

    void opened(InetSocketAddress a) {
        tally(a).opened().increment();
    }

    void failed(InetSocketAddress a) {
        tally(a).failed().increment();
    }

    /** A request on a connection to {@code a} (or waiting for one) failed. */
    void requestFailed(InetSocketAddress a) {
        tally(a).errors().increment();
    }

    /** Whether the target is a name, whose answers may be several addresses, each reported apart. */
    boolean resolvesName() {
        return target.dns() != null;
    }

    /** Per address ({@code ip:port}, in address order), what its connections did. */
    Map<String, Counts> counts() {
        Map<String, Counts> out = new TreeMap<>();
        tallies.forEach((a, t) -> out.put(text(a), new Counts(t.opened().sum(), t.failed().sum(), t.errors().sum())));
        return out;
    }

    /** An address as the reports write it: {@code ip:port}. */
    static String text(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** How many times the name was resolved, and how many of those failed (the last answer was kept). */
    long resolutions() {
        return resolutions.sum();
    }

    long resolutionFailures() {
        return resolutionFailures.sum();
    }

    @Override
    public void close() {
        if (resolver != null) {
            resolver.shutdownNow();
        }
    }
}
