package io.plsim.dataplane;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.plsim.core.model.Fault;
import io.plsim.core.model.LoadBalancer;
import io.plsim.dataplane.fault.FaultTable;
import io.plsim.dataplane.proxy.ProxyHeaderWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node of a Network Load Balancer: the load balancer's presence in one Availability Zone, with
 * its own private IP. It checks the health of every target it may send flows to, picks the target
 * of each new flow ({@link TargetSelector}), and resets the flows of a target that turns unhealthy,
 * as NLB's connection termination on unhealthy targets does by default (the target group attribute
 * {@code target_health_state.unhealthy.connection_termination.enabled}).
 */
final class NlbNode {

    final LoadBalancerRuntime lb;
    final LoadBalancer.NlbNodeSpec spec;
    /** This node's position among its load balancer's nodes: where targets keep what it sees of them. */
    final int index;
    final InetAddress ip;
    /** The source address of its connections to targets: its IP, any port. */
    final InetSocketAddress source;
    final TargetSelector selector;
    /** Where it is, as faults' scopes name it: its zone and IP. */
    final Fault.Location location;
    private final List<ScheduledFuture<?>> checks = new ArrayList<>();
    private final AtomicInteger sequence;
    private final EventLog events;
    private final java.util.Map<List<String>, Long> transitions = new java.util.LinkedHashMap<>();
    private volatile boolean stopped;
    /** Where health check loops run, round robin; set when checking starts. */
    private Iterable<EventLoop> loops;
    private java.util.Iterator<EventLoop> nextLoop;
    private Transport transport;

    private final FaultTable faults;

    NlbNode(LoadBalancerRuntime lb, LoadBalancer.NlbNodeSpec spec, int index, int seed, EventLog events,
            FaultTable faults) {
        this.events = events;
        this.faults = faults;
        this.lb = lb;
        this.spec = spec;
        this.index = index;
        this.ip = Addresses.inet(spec.ip());
        this.source = new InetSocketAddress(ip, 0);
        this.location = Fault.Location.ofNode(spec.zoneId(), spec.ipText());
        this.selector = new TargetSelector(spec.zoneId());
        this.sequence = new AtomicInteger(seed);
    }

    String zoneId() {
        return spec.zoneId();
    }

    /** A fresh per-connection value standing in for the TCP initial sequence number. */
    int nextSequence() {
        return sequence.getAndAdd(0x9e3779b9);
    }

    TargetRuntime select(int flowHash) {
        return selector.select(flowHash, lb.crossZone());
    }

    /** Resets every flow of this node to the target: it went down under them, or left. */
    void resetFlows(TargetRuntime target) {
        for (Channel ch : target.open[index]) {
            Flow.of(ch).ifPresent(Flow::reset);
        }
    }

    /** Remembers a flow's client-side channel, so that it can be reset when its target turns unhealthy. */
    void track(TargetRuntime target, Channel frontend) {
        target.open[index].add(frontend);
    }

    synchronized TargetHealth health(TargetRuntime target) {
        return target.health[index];
    }

    /** Transitions so far, by (target, new state). */
    synchronized java.util.Map<List<String>, Long> transitions() {
        return new java.util.LinkedHashMap<>(transitions);
    }

    synchronized List<TargetHealth> healthOfAll() {
        List<TargetHealth> out = new ArrayList<>();
        for (TargetRuntime t : lb.targets()) {
            if (!t.draining) {
                out.add(t.health[index]);
            }
        }
        return out;
    }

    /** Starts one health check loop per target, each on an event loop of its own choosing. */
    void startHealthChecks(Iterable<EventLoop> loops, Transport transport) {
        this.loops = loops;
        this.transport = transport;
        for (TargetRuntime t : lb.targets()) {
            startChecking(t);
        }
        refresh();
    }

    /** A target joined (or joined again): it starts {@code initial}, and checking it begins at once. */
    synchronized void startChecking(TargetRuntime t) {
        if (nextLoop == null || !nextLoop.hasNext()) {
            nextLoop = loops.iterator();
        }
        t.health[index] = TargetHealth.INITIAL;
        new TargetCheck(t, t.generation, nextLoop.next(), transport).schedule(0);
    }

    /** Rebuilds the selection from the targets and what this node sees of them. */
    synchronized void refresh() {
        List<TargetRuntime> healthy = new ArrayList<>();
        List<TargetRuntime> all = lb.targets();
        for (TargetRuntime t : all) {
            if (t.health[index] == TargetHealth.HEALTHY) {
                healthy.add(t);
            }
        }
        selector.update(all, healthy);
    }

    void stop() {
        stopped = true;
        synchronized (checks) {
            checks.forEach(f -> f.cancel(false));
        }
    }

    private void record(TargetRuntime target, TargetHealth now) {
        boolean turnedUnhealthy;
        synchronized (this) {
            TargetHealth before = target.health[index];
            if (before == now) {
                return;
            }
            target.health[index] = now;
            transitions.merge(List.of(target.label(), now.wire()), 1L, Long::sum);
            events.record("health", "loadBalancer", lb.spec.name(), "node", ip.getHostAddress(), "zoneId", zoneId(),
                    "target", target.label(), "from", before.wire(), "to", now.wire());
            turnedUnhealthy = now == TargetHealth.UNHEALTHY && before == TargetHealth.HEALTHY;
            refresh();
        }
        if (turnedUnhealthy && lb.settings().targetGroups().terminateOnUnhealthy()
                && !(faults != null && !faults.isEmpty() && faults.nodeDown(location))) {
            // A node that is down cannot reset anything: its flows just go silent.
            resetFlows(target);
        }
    }

    /**
     * The health check loop of one target: a TCP connect from the node's address, every interval. Each
     * round reads the target group's settings afresh (interval, timeout, thresholds, port, whether a
     * Proxy Protocol LOCAL header goes first), so a change applies from the next round. The loop ends
     * when its target starts draining or is registered again (a new loop then takes over).
     */
    private final class TargetCheck {
        private final TargetRuntime target;
        private final int generation;
        private final EventLoop loop;
        private final Bootstrap bootstrap;
        private final HealthProbe withHeader;
        private int successes;
        private int failures;

        TargetCheck(TargetRuntime target, int generation, EventLoop loop, Transport transport) {
            this.target = target;
            this.generation = generation;
            this.loop = loop;
            LoadBalancer.ProxyProtocol pp = lb.spec.proxyProtocol();
            this.withHeader = new HealthProbe(pp.layout() == LoadBalancer.ProxyProtocol.Layout.AWS
                    ? ProxyHeaderWriter.awsLocalBytes() : ProxyHeaderWriter.minimalLocalBytes(pp.crc32c()));
            this.bootstrap = new Bootstrap().group(loop)
                    .channelFactory(transport::newNodeSocketChannel)
                    .localAddress(source);
        }

        private boolean over() {
            return stopped || target.draining || target.generation != generation;
        }

        void schedule(long delayMillis) {
            if (over()) {
                return;
            }
            ScheduledFuture<?> f = loop.schedule(this::check, delayMillis, TimeUnit.MILLISECONDS);
            synchronized (checks) {
                checks.removeIf(ScheduledFuture::isDone);
                checks.add(f);
            }
        }

        private void check() {
            if (over()) {
                return;
            }
            LoadBalancer.HealthCheck hc = lb.settings().targetGroups().healthCheck();
            long started = System.nanoTime();
            if (!faults.isEmpty() && faults.healthCheckFails(location, target.location)) {
                successes = 0;
                if (++failures >= hc.unhealthyThreshold()) {
                    record(target, TargetHealth.UNHEALTHY);
                }
                schedule(hc.intervalMillis());
                return;
            }
            InetSocketAddress to = new InetSocketAddress(target.address.getAddress(), target.healthCheckPort(hc));
            bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, hc.timeoutMillis()))
                    .handler(lb.proxyProtocol() ? withHeader : HealthProbe.PLAIN);
            bootstrap.connect(to).addListener((ChannelFutureListener) f -> {
                if (over()) {
                    return;
                }
                if (f.isSuccess()) {
                    failures = 0;
                    if (++successes >= hc.healthyThreshold()) {
                        record(target, TargetHealth.HEALTHY);
                    }
                } else {
                    successes = 0;
                    if (++failures >= hc.unhealthyThreshold()) {
                        record(target, TargetHealth.UNHEALTHY);
                    }
                }
                long spent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                schedule(Math.max(0, hc.intervalMillis() - spent));
            });
        }
    }
}
