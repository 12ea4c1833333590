package io.plsim.dataplane;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
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
 * as NLB's connection termination on unhealthy targets does by default.
 */
final class NlbNode {

    final LoadBalancerRuntime lb;
    final LoadBalancer.NlbNodeSpec spec;
    final InetAddress ip;
    /** The source address of its connections to targets: its IP, any port. */
    final InetSocketAddress source;
    final TargetSelector selector;
    /** Where it is, as faults' scopes name it: its zone and IP. */
    final Fault.Location location;
    private final TargetHealth[] health;
    private final ChannelGroup[] flows;
    private final List<ScheduledFuture<?>> checks = new ArrayList<>();
    private final AtomicInteger sequence;
    private final EventLog events;
    private final java.util.Map<List<String>, Long> transitions = new java.util.LinkedHashMap<>();
    private volatile boolean stopped;

    private final FaultTable faults;

    NlbNode(LoadBalancerRuntime lb, LoadBalancer.NlbNodeSpec spec, int seed, EventLog events, FaultTable faults) {
        this.events = events;
        this.faults = faults;
        this.lb = lb;
        this.spec = spec;
        this.ip = Addresses.inet(spec.ip());
        this.source = new InetSocketAddress(ip, 0);
        this.location = Fault.Location.ofNode(spec.zoneId(), spec.ipText());
        this.selector = new TargetSelector(lb.targets, spec.zoneId());
        this.health = new TargetHealth[lb.targets.size()];
        this.flows = new ChannelGroup[lb.targets.size()];
        for (int i = 0; i < health.length; i++) {
            health[i] = TargetHealth.INITIAL;
            flows[i] = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        }
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

    /** Resets every flow of this node to the target: it went down under them. */
    void resetFlows(TargetRuntime target) {
        for (Channel ch : flows[target.index]) {
            Flow.of(ch).ifPresent(Flow::reset);
        }
    }

    /** Remembers a flow's client-side channel, so that it can be reset when its target turns unhealthy. */
    void track(TargetRuntime target, Channel frontend) {
        flows[target.index].add(frontend);
    }

    synchronized TargetHealth health(TargetRuntime target) {
        return health[target.index];
    }

    /** Transitions so far, by (target, new state). */
    synchronized java.util.Map<List<String>, Long> transitions() {
        return new java.util.LinkedHashMap<>(transitions);
    }

    synchronized List<TargetHealth> healthOfAll() {
        return List.of(health.clone());
    }

    /** Starts one health check loop per target, each on an event loop of its own choosing. */
    void startHealthChecks(Iterable<EventLoop> loops, Transport transport) {
        LoadBalancer.HealthCheck hc = lb.spec.healthCheck();
        var it = loops.iterator();
        for (TargetRuntime t : lb.targets) {
            if (!it.hasNext()) {
                it = loops.iterator();
            }
            EventLoop loop = it.next();
            new TargetCheck(t, hc, loop, transport).schedule(0);
        }
    }

    void stop() {
        stopped = true;
        synchronized (checks) {
            checks.forEach(f -> f.cancel(false));
        }
    }

    private void record(TargetRuntime target, TargetHealth now) {
        List<TargetRuntime> healthy = new ArrayList<>();
        boolean turnedUnhealthy;
        synchronized (this) {
            int i = target.index;
            TargetHealth before = health[i];
            if (before == now) {
                return;
            }
            health[i] = now;
            transitions.merge(List.of(target.label(), now.wire()), 1L, Long::sum);
            events.record("health", "loadBalancer", lb.spec.name(), "node", ip.getHostAddress(), "zoneId", zoneId(),
                    "target", target.label(), "from", before.wire(), "to", now.wire());
            turnedUnhealthy = now == TargetHealth.UNHEALTHY && before == TargetHealth.HEALTHY;
            for (int k = 0; k < health.length; k++) {
                if (health[k] == TargetHealth.HEALTHY) {
                    healthy.add(lb.targets.get(k));
                }
            }
            selector.update(healthy);
        }
        if (turnedUnhealthy && !(faults != null && !faults.isEmpty() && faults.nodeDown(location))) {
            // A node that is down cannot reset anything: its flows just go silent.
            for (Channel ch : flows[target.index]) {
                Flow.of(ch).ifPresent(Flow::reset);
            }
        }
    }

    /** The health check loop of one target: a TCP connect from the node's address, every interval. */
    private final class TargetCheck {
        private final TargetRuntime target;
        private final LoadBalancer.HealthCheck hc;
        private final EventLoop loop;
        private final Bootstrap bootstrap;
        private int successes;
        private int failures;

        TargetCheck(TargetRuntime target, LoadBalancer.HealthCheck hc, EventLoop loop, Transport transport) {
            this.target = target;
            this.hc = hc;
            this.loop = loop;
            LoadBalancer.ProxyProtocol pp = lb.spec.proxyProtocol();
            this.bootstrap = new Bootstrap().group(loop)
                    .channelFactory(transport::newNodeSocketChannel)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, hc.timeoutMillis()))
                    .localAddress(source)
                    .handler(!pp.enabled() ? HealthProbe.PLAIN : new HealthProbe(
                            pp.layout() == LoadBalancer.ProxyProtocol.Layout.AWS ? ProxyHeaderWriter.awsLocalBytes()
                                    : ProxyHeaderWriter.minimalLocalBytes(pp.crc32c())));
        }

        void schedule(long delayMillis) {
            if (stopped) {
                return;
            }
            ScheduledFuture<?> f = loop.schedule(this::check, delayMillis, TimeUnit.MILLISECONDS);
            synchronized (checks) {
                checks.removeIf(ScheduledFuture::isDone);
                checks.add(f);
            }
        }

        private void check() {
            if (stopped) {
                return;
            }
            long started = System.nanoTime();
            if (!faults.isEmpty() && faults.healthCheckFails(location, target.location)) {
                successes = 0;
                if (++failures >= hc.unhealthyThreshold()) {
                    record(target, TargetHealth.UNHEALTHY);
                }
                schedule(hc.intervalMillis());
                return;
            }
            InetSocketAddress to = new InetSocketAddress(target.address.getAddress(), target.healthCheckPort);
            bootstrap.connect(to).addListener((ChannelFutureListener) f -> {
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
