package io.plsim.app.scenario;

import io.plsim.core.config.World;
import io.plsim.core.control.Caller;
import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.EndpointState;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Principal;
import io.plsim.core.model.Scenario;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.DataPlaneException;
import io.plsim.dataplane.EventLog;
import io.plsim.dataplane.FlowObserver;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.Transport;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Plays a {@link Scenario}: for each variant, a fresh world from the same file, steady traffic
 * through every endpoint's regional DNS name (resolved per request, as a client honouring DNS
 * failover does), the faults switched on and off on the timeline, and a report of what clients saw.
 * Everything is bounded by the scenario's duration and the client's timeout; it stops by itself.
 */
public final class ScenarioRunner {

    private ScenarioRunner() {
    }

    /** Plays every variant in turn and prints each report; answers the reports. */
    public static List<ScenarioReport> run(Supplier<World> worlds, Scenario scenario, Transport transport,
                                           EventLog events, PrintWriter out) throws DataPlaneException {
        List<ScenarioReport> reports = new ArrayList<>();
        for (Scenario.Variant v : scenario.variants()) {
            ScenarioReport r = play(worlds.get(), scenario, v, transport, events);
            r.print(out);
            out.flush();
            reports.add(r);
        }
        return reports;
    }

    /** Writes the reports as JSON: every variant, mode, second, zone and fault. */
    public static void writeJson(List<ScenarioReport> reports, java.nio.file.Path file) throws java.io.IOException {
        ScenarioDocuments.writeJson(reports, file);
    }

    /** Writes the reports as one self-contained HTML page, faults' windows drawn over the plots. */
    public static void writeHtml(List<ScenarioReport> reports, java.nio.file.Path file) throws java.io.IOException {
        ScenarioDocuments.writeHtml(reports, file);
    }

    static ScenarioReport play(World world, Scenario sc, Scenario.Variant variant, Transport transport, EventLog events)
            throws DataPlaneException {
        acceptPending(world);
        DataPlane dp = DataPlane.start(world, transport, 0, l -> { }, events);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, daemon("plsim-scenario-timer"));
        Scenario.Traffic traffic = sc.traffic(variant);
        int endpoints = Math.max(1, world.controlPlane().endpoints().size());
        int rateTotal = traffic.ratePerEndpoint() * endpoints;
        int poolSize = (int) Math.min(256, Math.max(8, rateTotal * traffic.timeoutMillis() / 1000 + 8));
        ExecutorService pool = Executors.newFixedThreadPool(poolSize, daemon("plsim-scenario-client"));
        ExecutorService longLived = Executors.newFixedThreadPool(traffic.connectionsPerEndpoint() * endpoints,
                daemon("plsim-scenario-connection"));
        try {
            if (variant.crossZone() != null) {
                for (LoadBalancer lb : world.topology().loadBalancers().values()) {
                    if (lb.isNetwork()) {
                        dp.crossZone(lb.arn(), variant.crossZone());
                    }
                }
            }
            events.record("scenario-variant", "name", variant.name(), "source", world.source());
            boolean healthy = true;
            for (LoadBalancer lb : world.topology().loadBalancers().values()) {
                if (lb.isNetwork() && !lb.targets().isEmpty()) {
                    healthy &= dp.awaitHealthy(lb.arn(), Duration.ofSeconds(30));
                }
            }
            ScenarioReport report = new ScenarioReport(world.source(), variant, sc, zoneIds(world));
            if (!healthy) {
                report.note("not every target was healthy before traffic started");
            }
            List<Target> targets = targets(world, dp);
            if (targets.isEmpty()) {
                report.note("no available endpoint with a listener: no traffic to drive");
            }
            SplittableRandom random = new SplittableRandom(sc.seed());
            byte[] payload = new byte[traffic.payloadBytes()];
            random.nextBytes(payload);
            int timeout = (int) traffic.timeoutMillis();
            warmUp(dp, targets, payload, timeout);
            long t0 = System.nanoTime();
            Map<Integer, String> faultIds = new ConcurrentHashMap<>();
            for (int i = 0; i < sc.timeline().size(); i++) {
                int index = i;
                Scenario.Step step = sc.timeline().get(i);
                timer.schedule(() -> {
                    try {
                        faultIds.put(index, dp.addFault(step.fault()).id());
                        report.faultStarted(index, nanosSince(t0));
                    } catch (IllegalArgumentException e) {
                        // A scope the sim-config's reader could not check (an endpoint, an interface, a
                        // target) that names what the world lacks: said in the report, not lost on the timer.
                        report.note("timeline[" + index + "] was not put in force: " + e.getMessage());
                    }
                }, step.at().toMillis(), TimeUnit.MILLISECONDS);
                if (step.lasting() != null) {
                    timer.schedule(() -> {
                        String id = faultIds.get(index);
                        if (id != null) {
                            dp.removeFault(id);
                        }
                        report.faultEnded(index, nanosSince(t0));
                    }, step.at().plus(step.lasting()).toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            Map<String, InterfaceListener> byIp = new ConcurrentHashMap<>();
            targets.forEach(t -> dp.listeners(t.endpointId()).forEach(l -> byIp.putIfAbsent(l.ip(), l)));
            Map<InetSocketAddress, FlowObserver.Placement> placements = new ConcurrentHashMap<>();
            dp.observeFlows(p -> placements.put(p.client(), p));
            Client client = new Client(report, t0, traffic, payload, byIp, placements);
            timer.scheduleAtFixedRate(() -> report.sample(nanosSince(t0), dp, targets), 0, ScenarioReport.SAMPLE_MILLIS,
                    TimeUnit.MILLISECONDS);
            if (traffic.mode().driven().contains(Scenario.Mode.RR)) {
                for (Target t : targets) {
                    for (int c = 0; c < traffic.connectionsPerEndpoint(); c++) {
                        int index = c;
                        longLived.execute(() -> client.longLived(dp, t, index, sc.duration().toNanos()));
                    }
                }
            }
            if (traffic.mode().driven().contains(Scenario.Mode.CHURN)) {
                long periodNanos = TimeUnit.SECONDS.toNanos(1) / traffic.ratePerEndpoint();
                long ticks = sc.duration().toNanos() / periodNanos;
                for (long tick = 0; tick < ticks; tick++) {
                    long due = t0 + tick * periodNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    for (Target t : targets) {
                        String ip = pick(dp, t, random);
                        pool.execute(() -> client.churn(t, ip));
                    }
                }
            }
            longLived.shutdown();
            longLived.awaitTermination(sc.duration().toMillis() + timeout + 2000L, TimeUnit.MILLISECONDS);
            pool.shutdown();
            pool.awaitTermination(timeout + 2000L, TimeUnit.MILLISECONDS);
            // At the end of the last second at the earliest, so that the report has that second's flows.
            report.sample(Math.max(nanosSince(t0), sc.duration().toNanos()), dp, targets);
            report.finish(nanosSince(t0));
            return report;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataPlaneException("interrupted while playing the scenario");
        } finally {
            pool.shutdownNow();
            longLived.shutdownNow();
            timer.shutdownNow();
            dp.observeFlows(null);
            dp.faults().forEach(f -> dp.removeFault(f.id()));
            dp.close(Duration.ofSeconds(1));
        }
    }

    /**
     * Drives a few requests through every interface of every endpoint before the clock starts, not
     * counted: the first connections of a fresh data plane pay for class loading and a cold JIT
     * (hundreds of milliseconds on a busy machine), which the report would otherwise show as
     * failures before any fault. Bounded: ten successes in a row per interface, at most 30 tries
     * each, three seconds in all.
     */
    private static void warmUp(DataPlane dp, List<Target> targets, byte[] payload, int timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (Target t : targets) {
            for (InterfaceListener l : dp.listeners(t.endpointId())) {
                int inARow = 0;
                for (int i = 0; i < 30 && inARow < 10 && System.nanoTime() < deadline; i++) {
                    boolean ok = ScenarioClient.churn(l.ip(), l.port(), payload, timeoutMillis).outcome()
                            == ScenarioClient.Outcome.OK;
                    inARow = ok ? inARow + 1 : 0;
                }
            }
        }
    }

    private static long nanosSince(long t0) {
        return System.nanoTime() - t0;
    }

    private static String pick(DataPlane dp, Target t, SplittableRandom random) {
        List<String> ips = dp.dnsAnswer(t.regionalName).orElse(List.of());
        if (ips.isEmpty()) {
            return null;
        }
        return ips.get(random.nextInt(ips.size()));
    }

    /**
     * The built-in client's two ways of sending, each request recorded with the zone of the
     * interface it went to and where the data plane sent it.
     */
    private record Client(ScenarioReport report, long t0, Scenario.Traffic traffic, byte[] payload,
                          Map<String, InterfaceListener> byIp, Map<InetSocketAddress, FlowObserver.Placement> placements) {

        /** One request on a new connection to {@code ip} (null: DNS had no address). */
        void churn(Target t, String ip) {
            // When the connection is tried, not when it was handed to the pool: on a busy machine the
            // two can be far apart, and a request counts in the second it ran.
            long started = nanosSince(t0);
            if (ip == null) {
                report.request(noAddress(Scenario.Mode.CHURN, started, t));
                return;
            }
            ScenarioClient.Result r = ScenarioClient.churn(ip, t.port(), payload, (int) traffic.timeoutMillis());
            report.request(request(Scenario.Mode.CHURN, started, t, ip, r,
                    placement(r.local(), started)));
        }

        /**
         * Connection {@code index} of an endpoint's long-lived ones, until {@code durationNanos}: its
         * share of the endpoint's rate, evenly spaced; a request whose time has passed by more than
         * its interval (an earlier one was still waiting) is not sent but counted as skipped, so a
         * stalled connection does not send a burst once it wakes.
         */
        void longLived(DataPlane dp, Target t, int index, long durationNanos) {
            int n = traffic.connectionsPerEndpoint();
            long interval = TimeUnit.SECONDS.toNanos(1) * n / traffic.ratePerEndpoint();
            long offset = TimeUnit.SECONDS.toNanos(1) * index / traffic.ratePerEndpoint();
            InetSocketAddress local = null;
            FlowObserver.Placement placement = null;
            try (ScenarioClient.LongLived conn = new ScenarioClient.LongLived()) {
                for (long k = 0; offset + k * interval < durationNanos; k++) {
                    long wait = t0 + offset + k * interval - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } else if (-wait > interval) {
                        report.skip(Scenario.Mode.RR);
                        continue;
                    }
                    long started = nanosSince(t0);
                    String ip = conn.isOpen() ? conn.ip() : spread(dp, t, index);
                    if (ip == null) {
                        report.request(noAddress(Scenario.Mode.RR, started, t));
                        continue;
                    }
                    ScenarioClient.Result r = conn.request(ip, t.port(), payload, (int) traffic.timeoutMillis());
                    if (r.local() != null && !r.local().equals(local)) {
                        local = r.local();
                        placement = placement(local, started);
                    }
                    report.request(request(Scenario.Mode.RR, started, t, ip, r, placement));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Where the data plane sent the connection from {@code local} opened at {@code started}, if it said. */
        private FlowObserver.Placement placement(InetSocketAddress local, long started) {
            FlowObserver.Placement p = local == null ? null : placements.remove(local);
            return p != null && p.acceptedNanos() >= t0 + started ? p : null;
        }

        private ScenarioReport.Request request(Scenario.Mode mode, long started, Target t, String ip,
                                               ScenarioClient.Result r, FlowObserver.Placement placement) {
            InterfaceListener l = byIp.get(ip);
            return new ScenarioReport.Request(mode, started, r.nanos(), t.endpointId(), l == null ? null : l.zoneId(),
                    ip, placement, r.outcome());
        }

        private static ScenarioReport.Request noAddress(Scenario.Mode mode, long started, Target t) {
            return new ScenarioReport.Request(mode, started, 0, t.endpointId(), null, null, null,
                    ScenarioClient.Outcome.NO_ADDRESS);
        }
    }

    /**
     * The address long-lived connection {@code n} of an endpoint opens to: its own place in the
     * regional answer, in address order, as a client pool that balances its connections over the
     * resolved addresses does (gRPC's round_robin). The connections spread over the zones DNS serves;
     * one that fails opens again to the same address while DNS still answers it, and to another
     * once DNS has dropped its zone. An open connection stays where it is, as a real one does.
     */
    private static String spread(DataPlane dp, Target t, int n) {
        List<String> ips = new ArrayList<>(dp.dnsAnswer(t.regionalName).orElse(List.of()));
        if (ips.isEmpty()) {
            return null;
        }
        ips.sort(null);
        return ips.get(Math.floorMod(n, ips.size()));
    }

    /** The provider accepts what waits, so that a scenario measures faults, not acceptance. */
    private static void acceptPending(World world) {
        for (VpcEndpoint e : world.controlPlane().endpoints()) {
            if (e.state() == EndpointState.PENDING_ACCEPTANCE) {
                world.controlPlane().services().stream().filter(s -> s.serviceId().equals(e.serviceId())).findFirst()
                        .ifPresent(s -> world.controlPlane().acceptConnections(
                                new Caller(Principal.root(s.ownerId()), world.topology().region()), s.serviceId(),
                                List.of(e.vpcEndpointId())));
            }
        }
    }

    /** An endpoint the client drives: its regional name and the port to connect to. */
    record Target(String endpointId, String regionalName, int port) {
    }

    private static List<Target> targets(World world, DataPlane dp) {
        List<Target> out = new ArrayList<>();
        for (VpcEndpoint e : world.controlPlane().endpoints()) {
            if (e.state() != EndpointState.AVAILABLE) {
                continue;
            }
            String regional = e.dnsEntries().stream().filter(d -> d.zoneName() == null).map(DnsEntry::dnsName)
                    .findFirst().orElse(null);
            List<InterfaceListener> ls = dp.listeners(e.vpcEndpointId());
            if (regional != null && !ls.isEmpty()) {
                out.add(new Target(e.vpcEndpointId(), regional, ls.get(0).port()));
            }
        }
        return out;
    }

    private static List<String> zoneIds(World world) {
        TreeSet<String> zones = new TreeSet<>();
        world.topology().loadBalancers().values().forEach(lb -> lb.nodes().forEach(n -> zones.add(n.zoneId())));
        return new ArrayList<>(zones);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
