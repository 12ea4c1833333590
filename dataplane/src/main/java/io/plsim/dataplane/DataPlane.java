package io.plsim.dataplane;

import io.netty.channel.EventLoopGroup;
import io.plsim.core.config.World;
import io.plsim.core.control.ControlEvent;
import io.plsim.core.control.ControlPlaneListener;
import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.EndpointState;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Fault;
import io.plsim.dataplane.fault.FaultTable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The data plane of a world: every network interface of every interface endpoint listens on its
 * own private IP at each TCP listener port of the load balancer it is bound to; a connection there
 * is admitted while the endpoint is {@code available}, handed to that load balancer's node in the
 * same zone, and relayed to a target the node picks, behind a Proxy Protocol v2 header when the
 * target group asks for one.
 *
 * <p>It follows the control plane through a {@link ControlPlaneListener}: a state change applies to
 * the very next connection, a rejected or deleted endpoint's open connections are reset, a new
 * endpoint starts listening and a deleted one stops. Its load balancers ({@link NetworkLoadBalancers})
 * follow the ELBv2 API through a {@link LoadBalancerFollower}; faults are put in force through
 * {@link FaultControl}.
 */
public final class DataPlane implements AutoCloseable {

    private final World world;
    private final Transport transport;
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    private final EventLog events;
    private final FaultTable faults;
    private final NetworkLoadBalancers loadBalancers = new NetworkLoadBalancers();
    private final EndpointListeners listeners;
    private final ControlPlaneListener controlListener = this::onControlEvent;
    private final LoadBalancerFollower follower;
    private final FaultControl faultControl;
    private final DnsFailover dns;
    private volatile boolean closed;
    /** Whether a call of the control plane's {@code advance()} is scheduled, so that one is at a time. */
    private final AtomicBoolean advanceScheduled = new AtomicBoolean();

    private DataPlane(World world, Transport transport, int ioThreads, Consumer<InterfaceListener> onListen,
                      EventLog events, Ticker ticker) {
        this.world = world;
        this.events = events;
        this.faults = new FaultTable(world.simulation().seed());
        this.transport = transport;
        this.acceptGroup = transport.newGroup(1, "plsim-accept");
        this.ioGroup = transport.newGroup(ioThreads, "plsim-io");
        this.listeners = new EndpointListeners(acceptGroup, ioGroup, transport, world.simulation().admission(), faults,
                loadBalancers::nodeOf, onListen, ticker);
        this.dns = new DnsFailover(world.controlPlane(), this::serves, events);
        this.follower = new LoadBalancerFollower(world.loadBalancing(), loadBalancers.byArn(),
                events, acceptGroup);
        this.faultControl = new FaultControl(world, faults, events, loadBalancers.byArn());
    }

    /** Starts the data plane of a world with the best transport and one event loop per core. */
    public static DataPlane start(World world) throws DataPlaneException {
        return start(world, Transport.best(), 0, l -> { });
    }

    public static DataPlane start(World world, Transport transport, int ioThreads, Consumer<InterfaceListener> onListen)
            throws DataPlaneException {
        return start(world, transport, ioThreads, onListen, new EventLog(Clock.systemUTC()));
    }

    /**
     * Starts the data plane and returns once every built-in target and every endpoint interface
     * listens.
     *
     * @param ioThreads event loop threads for connections; 0 for one per core
     * @param onListen  told of every interface listener once it is up, at start and whenever an
     *                  endpoint is created later
     * @param events    where control-plane changes and health transitions are recorded
     * @throws DataPlaneException naming the address that could not be bound, and why
     */
    public static DataPlane start(World world, Transport transport, int ioThreads, Consumer<InterfaceListener> onListen,
                                  EventLog events) throws DataPlaneException {
        return start(world, transport, ioThreads, onListen, events, Ticker.SYSTEM);
    }

    /** As {@link #start(World, Transport, int, Consumer, EventLog)}, the flows' idle timeouts on {@code ticker}. */
    static DataPlane start(World world, Transport transport, int ioThreads, Consumer<InterfaceListener> onListen,
                           EventLog events, Ticker ticker) throws DataPlaneException {
        DataPlane dp = new DataPlane(world, transport, ioThreads, onListen, events, ticker);
        try {
            dp.loadBalancers.start(world, transport, dp.ioGroup, events, dp.faults);
            dp.follower.follow();
            dp.world.startupEvents().forEach(e -> ControlEventLines.record(dp.events, e));
            dp.world.controlPlane().addListener(dp.controlListener);
            dp.advanceAfter(0);
            dp.listeners.openAtStart(dp.world.controlPlane().endpoints());
            dp.dns.watch(dp.acceptGroup.next());
            return dp;
        } catch (DataPlaneException | RuntimeException e) {
            dp.close(Duration.ZERO);
            throw e;
        }
    }

    // ---------------------------------------------------------------- following the control plane

    private void onControlEvent(ControlEvent event) {
        ControlEventLines.record(events, event);
        if (event instanceof ControlEvent.EndpointModified m && !closed) {
            listeners.modified(m.endpoint(), m.added(), m.removed());
            return;
        }
        if (!(event instanceof ControlEvent.EndpointChanged change)) {
            return;
        }
        VpcEndpoint e = change.endpoint();
        if (closed) {
            // Shutting down: a change delivered while the listener was being removed opens nothing.
            return;
        }
        if (e.state() == EndpointState.PENDING) {
            advanceAfter(0);
        }
        if (change.created()) {
            listeners.open(e);
        } else {
            listeners.changed(e);
            if (e.state() == EndpointState.DELETED) {
                // Its flow counters go with it: /metrics keeps no series of endpoints that are gone.
                loadBalancers.all().forEach(lb -> {
                    lb.targets().forEach(t -> t.flowsByEndpoint.remove(e.vpcEndpointId()));
                    lb.crossZoneBytes.forget(e.vpcEndpointId());
                });
            }
        }
    }

    /**
     * The control plane has no threads, so the data plane keeps its time: a {@code pending} endpoint
     * becomes {@code available} when its accept delay has passed, and is admitted from then on, whether
     * or not any call comes. The next call is scheduled when the control plane says the next endpoint is
     * due; an accepted endpoint's delay ends after every earlier one's, the delay being one for the world.
     */
    private void advanceAfter(long millis) {
        if (closed || !advanceScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            acceptGroup.next().schedule(() -> {
                advanceScheduled.set(false);
                if (!closed) {
                    // One millisecond past the due time: the control plane's clock must have passed it.
                    world.controlPlane().advance().ifPresent(d -> advanceAfter(d.toMillis() + 1));
                }
            }, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            advanceScheduled.set(false);
        }
    }

    // ---------------------------------------------------------------- watching and steering

    public World world() {
        return world;
    }

    public Transport transport() {
        return transport;
    }

    /** Every interface listener that is up, in the order they came up. */
    public List<InterfaceListener> listeners() {
        return listeners.listening();
    }

    /** The listeners of one endpoint. */
    public List<InterfaceListener> listeners(String endpointId) {
        return listeners.listening().stream().filter(l -> l.endpointId().equals(endpointId)).toList();
    }

    /**
     * Where every endpoint interface listens ({@code ip:port}, a listener per port), by endpoint ID and then
     * interface IP: the listeners read once, for views of the whole world (a reading per interface would
     * grow with the square of the world).
     */
    public Map<String, Map<String, List<String>>> listenerAddresses() {
        Map<String, Map<String, List<String>>> out = new HashMap<>();
        for (InterfaceListener l : listeners.listening()) {
            out.computeIfAbsent(l.endpointId(), e -> new HashMap<>())
                    .computeIfAbsent(l.ip(), ip -> new ArrayList<>()).add(l.address());
        }
        return out;
    }

    /**
     * The A records of an endpoint DNS name, as NLB's DNS failover answers (see {@link DnsFailover});
     * empty for a name that is no endpoint's.
     */
    public Optional<List<String>> dnsAnswer(String name) {
        return dns.answer(name);
    }

    /**
     * The A records of one of an endpoint's DNS entries, as {@link #dnsAnswer(String)} gives them, from
     * a snapshot the caller holds: a view of every endpoint's names reads the world once, not once a name.
     */
    public List<String> dnsAnswer(VpcEndpoint endpoint, DnsEntry entry) {
        return dns.answer(endpoint, entry);
    }

    /** How many times a regional DNS answer changed. */
    public long dnsChanges() {
        return dns.changes();
    }

    /** The zone IDs whose interfaces the regional name of an endpoint answers now (DNS failover). */
    public List<String> servingZones(String endpointId) {
        return dns.servingZones(endpointId);
    }

    /** {@link #servingZones(String)} from a snapshot of the endpoint the caller holds. */
    public List<String> servingZones(VpcEndpoint endpoint) {
        return dns.servingZones(endpoint);
    }

    /** Whether an interface's node has a healthy target to send to: DNS failover's test of a zone. */
    private boolean serves(EndpointInterface eni) {
        NlbNode node = loadBalancers.nodeOf(eni);
        // A node that is down fails its own health checks, so its zone leaves DNS once the thresholds
        // are reached, as NLB's DNS failover follows health, not the outage itself.
        return node != null && node.selector.hasHealthyTarget(node.lb.crossZone());
    }

    /**
     * Waits, at most {@code timeout}, until every endpoint interface that a control-plane change asked
     * for listens (or was given up on, or is no longer wanted): called after a change and before it is
     * answered, so that a consumer that connects the moment {@code CreateVpcEndpoint} returns finds the
     * interface listening. Never on one of the data plane's event loops; false at the deadline.
     */
    public boolean awaitListening(Duration timeout) {
        try {
            return listeners.awaitBinds(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Tells {@code observer} where every connection accepted from now on goes (see
     * {@link FlowObserver}); null stops. One observer at a time: a new one replaces the last.
     */
    public void observeFlows(FlowObserver observer) {
        listeners.observer.set(observer);
    }

    // ---------------------------------------------------------------- faults

    /**
     * What a fault's scope names that this world does not have, each problem as {@code field: what},
     * so that a fault which would apply to nothing is refused, whoever adds it (the admin API, an
     * embedded world, a scenario): a zone ID no account maps a zone name to, an endpoint, an endpoint
     * network interface's IP, an NLB node's IP, a target's {@code host:port}. Empty when it names only
     * what there is.
     */
    public List<String> scopeProblems(Fault fault) {
        return faultControl.scopeProblems(fault);
    }

    /**
     * Puts a fault in force at once; it applies to new connections, to health checks from their next
     * round, a connection fault to the open flows it covers too (as Toxiproxy's toxics do), and a
     * target that goes down has its open flows reset. Recorded in the event log.
     *
     * @throws IllegalArgumentException when its scope names what the world does not have ({@link #scopeProblems})
     */
    public FaultView addFault(Fault fault) {
        return addFault(fault, null);
    }

    /**
     * The same, under a name no other fault in force has, by which it can be updated and removed.
     *
     * @throws IllegalArgumentException when its scope names what the world does not have ({@link #scopeProblems}),
     *                                  when the name is taken, or when {@link FaultTable#MAX_FAULTS} are in force
     */
    public FaultView addFault(Fault fault, String name) {
        return faultControl.add(fault, name);
    }

    /**
     * Changes a fault in force in place (its ID, name and start stay): new connections, open ones and
     * health checks follow the new parameters at once.
     * Empty when no fault has that ID or name.
     *
     * @throws IllegalArgumentException when the new scope names what the world does not have ({@link #scopeProblems})
     */
    public Optional<FaultView> updateFault(String idOrName, Fault fault) {
        return faultControl.update(idOrName, fault);
    }

    /** Ends a fault; empty when no fault has that ID or name. */
    public Optional<FaultView> removeFault(String id) {
        return faultControl.remove(id);
    }

    /** The faults in force, in the order they were added. */
    public List<FaultView> faults() {
        return faultControl.list();
    }

    /**
     * What a fault applies to in this world now: its interfaces, nodes and targets, and the health
     * checks that will notice it ({@link FaultReach}).
     */
    public FaultReach reach(Fault fault) {
        return FaultReach.of(this, fault);
    }

    /**
     * Turns cross-zone load balancing of a load balancer on or off, for new flows: its ELBv2
     * attribute, so that the API shows the change too.
     */
    public void crossZone(String loadBalancerArnOrName, boolean on) {
        world.loadBalancing().crossZone(loadBalancers.named(loadBalancerArnOrName).spec.arn(), on);
    }

    public boolean crossZone(String loadBalancerArnOrName) {
        return loadBalancers.named(loadBalancerArnOrName).crossZone();
    }

    /** Every target of every load balancer, with its health as each node sees it and its flow count. */
    public List<TargetView> targets() {
        List<TargetView> out = new ArrayList<>();
        for (LoadBalancerRuntime lb : loadBalancers.all()) {
            for (TargetRuntime t : lb.targets()) {
                out.add(TargetView.of(lb, t));
            }
        }
        return out;
    }

    /** Counters: connections relayed, denied by reason, reset by idle timeout, open now. */
    public ConnectionStats stats() {
        return ConnectionStats.of(listeners.interfaces());
    }

    /** The counters of every interface listener ever started, for metrics. */
    public List<InterfaceStats> interfaceStats() {
        return listeners.interfaces().stream().map(InterfaceStats::of).toList();
    }

    /**
     * Per zone ID, what its endpoint network interfaces counted since the start, those of deleted
     * endpoints and removed subnets included: unlike {@link #interfaceStats}, these never drop.
     */
    public Map<String, ZoneTotals> zoneTotals() {
        return listeners.zoneTotals();
    }

    /**
     * What flows carried between an endpoint network interface and a target in another zone, by load
     * balancer, endpoint and zone pair: only pairs that carried a flow are listed.
     */
    public List<CrossZoneTraffic> crossZoneTraffic() {
        List<CrossZoneTraffic> out = new ArrayList<>();
        for (LoadBalancerRuntime lb : loadBalancers.all()) {
            lb.crossZoneBytes.readInto(lb.spec.name(), out);
        }
        return out;
    }

    /** The price per GB, each way, that cross-zone bytes are estimated at ({@code simulation.crossZonePricePerGb}). */
    public double crossZonePricePerGb() {
        return world.simulation().crossZonePricePerGb();
    }

    /** Health transitions seen by every node, by load balancer, node zone, target and new state. */
    public Map<List<String>, Long> healthTransitions() {
        Map<List<String>, Long> out = new LinkedHashMap<>();
        for (LoadBalancerRuntime lb : loadBalancers.all()) {
            for (NlbNode node : lb.nodesByZoneId.values()) {
                node.transitions().forEach((k, v) -> out.put(List.of(lb.spec.name(), node.zoneId(), k.get(0), k.get(1)), v));
            }
        }
        return out;
    }

    /** The run's event log: control-plane changes and health transitions, timestamped. */
    public EventLog events() {
        return events;
    }

    /**
     * Waits until every node sees every target of the given load balancer as healthy, or the
     * deadline passes.
     *
     * @return whether they all became healthy in time
     */
    public boolean awaitHealthy(String loadBalancerArnOrName, Duration timeout) throws InterruptedException {
        LoadBalancerRuntime lb = loadBalancers.named(loadBalancerArnOrName);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = lb.nodesByZoneId.values().stream()
                    .allMatch(n -> n.healthOfAll().stream().allMatch(h -> h == TargetHealth.HEALTHY));
            if (all) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return false;
    }

    /** Closes with a grace period of five seconds for open connections. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /**
     * Stops accepting, lets open connections finish for up to {@code grace}, resets what is left,
     * then stops health checks, built-in targets and event loops.
     */
    public void close(Duration grace) {
        if (closed) {
            return;
        }
        closed = true;
        follower.stop();
        world.controlPlane().removeListener(controlListener);
        listeners.stopAccepting();
        long deadline = System.nanoTime() + grace.toNanos();
        while (stats().openConnections() > 0 && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        listeners.closeGates();
        loadBalancers.stop();
        acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
