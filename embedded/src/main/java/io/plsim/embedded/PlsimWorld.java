package io.plsim.embedded;

import io.plsim.app.api.AllowedHosts;
import io.plsim.app.host.WorldHost;
import io.plsim.core.config.SimConfigException;
import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import io.plsim.core.control.Caller;
import io.plsim.core.control.ServiceConfiguration;
import io.plsim.core.control.Unsuccessful;
import io.plsim.core.model.Principal;
import io.plsim.dataplane.ConnectionStats;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.EventLog;
import io.plsim.dataplane.FaultReach;
import io.plsim.dataplane.FaultView;
import io.plsim.dataplane.TargetView;
import io.plsim.dataplane.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plsim world running in this JVM: its data plane, EC2 and ELBv2 API, DNS server and
 * notifications, with typed handles for a test. Its loopback addresses are moved to blocks of
 * their own (127.200.0.0/16 to 127.254.0.0/16, one per block the file uses) and its API and DNS
 * ports are chosen free, so two worlds from one file run side by side, in one JVM or in two on one
 * machine; a target that is a service of the user's keeps its address.
 *
 * <p>{@link #close()} stops everything and releases every port, thread and address block; the
 * handle is then unusable. {@link #restart()} starts the same world afresh behind the same API and
 * DNS ports, which is how the JUnit extension puts faults and endpoint states back between tests.
 *
 * <p>Thread-safe: the control plane serializes its operations, and the data plane's are safe from
 * any thread.
 */
public final class PlsimWorld implements AutoCloseable {

    private static final int IO_THREADS = 2;
    /** The class path does not change under a running JVM: read once, checked at every start. */
    private static final NettyVersions NETTY = NettyVersions.of(PlsimWorld.class.getClassLoader());

    private final String source;
    private final String yaml;
    private final LoopbackBlocks.Lease blocks;
    private volatile WorldHost host;
    private volatile EventLog events;
    private volatile boolean closed;
    /** The Toxiproxy API's port once asked for, so that a restart serves it again there; -1 until then. */
    private volatile int toxiproxyPort = -1;

    private PlsimWorld(String source, String yaml, LoopbackBlocks.Lease blocks, WorldHost host, EventLog events) {
        this.source = source;
        this.yaml = yaml;
        this.blocks = blocks;
        this.host = host;
        this.events = events;
    }

    // ---------------------------------------------------------------- starting

    /** Starts the world of a sim-config file. */
    public static PlsimWorld start(Path file) {
        return file(file).start();
    }

    /** Starts the world of a sim-config on the classpath, e.g. {@code "world.yaml"} in test resources. */
    public static PlsimWorld fromResource(String resource) {
        return resource(resource).start();
    }

    /** Starts the world a sim-config's text describes. */
    public static PlsimWorld fromYaml(String yaml) {
        return yaml(yaml).start();
    }

    /** Starts the world a builder describes (see {@link WorldSpec}). */
    public static PlsimWorld start(WorldSpec spec) {
        return fromYaml("builder", spec.toYaml());
    }

    /** A sim-config on the classpath, to fill its {@code ${name}} placeholders before {@link Builder#start()}. */
    public static Builder resource(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        return new Builder("classpath:" + name, () -> readResource(name), Map.of());
    }

    /** A sim-config file, to fill its {@code ${name}} placeholders before {@link Builder#start()}. */
    public static Builder file(Path file) {
        return new Builder(file.toString(), () -> {
            try {
                return SimConfigLoader.read(file);
            } catch (SimConfigException e) {
                throw new PlsimException(e.getMessage(), e);
            }
        }, Map.of());
    }

    /** A sim-config's text, to fill its {@code ${name}} placeholders before {@link Builder#start()}. */
    public static Builder yaml(String yaml) {
        return new Builder("yaml", () -> yaml, Map.of());
    }

    /**
     * A world file and the values of its {@code ${name}} placeholders: {@code port: ${orders.a}} in
     * the file, {@code .with("orders.a", server.port())} here. Every placeholder needs a value and
     * every value a placeholder; either missing is refused by name (and line) when the world starts.
     * Immutable: {@link #with} answers a new builder.
     */
    public static final class Builder {
        private final String source;
        private final java.util.function.Supplier<String> text;
        private final Map<String, java.util.function.Supplier<?>> values;

        private Builder(String source, java.util.function.Supplier<String> text,
                        Map<String, java.util.function.Supplier<?>> values) {
            this.source = source;
            this.text = text;
            this.values = values;
        }

        /** The value of {@code ${name}}: its {@code toString()}, a port, an address, a name. */
        public Builder with(String name, Object value) {
            java.util.Objects.requireNonNull(value, () -> "the value of ${" + name + "}");
            return with(name, () -> value);
        }

        /** The value of {@code ${name}}, asked for when the world starts (a server started later than this call). */
        public Builder with(String name, java.util.function.Supplier<?> value) {
            Map<String, java.util.function.Supplier<?>> more = new LinkedHashMap<>(values);
            if (more.put(Placeholders.checkedName(name), value) != null) {
                throw new IllegalArgumentException("${" + name + "} is given twice");
            }
            return new Builder(source, text, java.util.Collections.unmodifiableMap(more));
        }

        /** Reads the file, fills its placeholders and starts the world. */
        public PlsimWorld start() {
            Map<String, String> filled = new LinkedHashMap<>();
            values.forEach((k, v) -> filled.put(k, String.valueOf(java.util.Objects.requireNonNull(v.get(),
                    () -> "the value of ${" + k + "}"))));
            return fromYaml(source, Placeholders.fill(source, text.get(), filled));
        }
    }

    private static String readResource(String name) {
        ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                .orElse(PlsimWorld.class.getClassLoader());
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new PlsimException("no resource " + name + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PlsimException("cannot read resource " + name + ": " + e.getMessage(), e);
        }
    }

    static PlsimWorld fromYaml(String source, String yaml) {
        NETTY.requireConsistent();
        LoopbackBlocks.Lease lease;
        try {
            lease = LoopbackBlocks.lease(SimConfigLoader.addressBlocks(source, yaml));
        } catch (SimConfigException e) {
            throw new PlsimException(e.getMessage(), e);
        }
        try {
            EventLog events = new EventLog(Clock.systemUTC());
            WorldHost host = host(source, yaml, lease, events, 0, 0);
            return new PlsimWorld(source, yaml, lease, host, events);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    private static WorldHost host(String source, String yaml, LoopbackBlocks.Lease lease, EventLog events, int apiPort,
                                  int dnsPort) {
        World world;
        try {
            world = SimConfigLoader.load(source, yaml, Clock.systemUTC(), lease.moved());
        } catch (SimConfigException e) {
            events.close();
            throw new PlsimException(e.getMessage(), e);
        }
        try {
            return WorldHost.start(world, new WorldHost.Options(Transport.best(), IO_THREADS, apiPort, dnsPort, events,
                    l -> { }, AllowedHosts.loopbackOnly()), WorldHost.Preparation.NONE);
        } catch (WorldHost.HostException e) {
            events.close();
            throw new PlsimException(e.part().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Stops this world and starts it again from the same file, behind the same API and DNS ports and
     * in the same address blocks: faults gone, endpoints, services, states and targets as the file
     * makes them, the event log empty. Clients keep their URLs; open connections are reset.
     */
    public synchronized void restart() {
        WorldHost old = live();
        int apiPort = old.api().address().getPort();
        int dnsPort = old.dns().address().getPort();
        old.close(Duration.ZERO);
        events.close();
        EventLog fresh = new EventLog(Clock.systemUTC());
        // The ports were just released; nothing else on this machine takes ports out of the
        // ephemeral range by number, so binding them again succeeds but for a rare race.
        host = host(source, yaml, blocks, fresh, apiPort, dnsPort);
        events = fresh;
        if (toxiproxyPort >= 0) {
            toxiproxy(host, toxiproxyPort);
        }
    }

    private WorldHost live() {
        if (closed) {
            throw new IllegalStateException("this plsim world is closed");
        }
        return host;
    }

    // ---------------------------------------------------------------- where to reach it

    /** The EC2 and ELBv2 API (also the admin routes and {@code /metrics}): {@code http://127.0.0.1:PORT}. */
    public URI apiUrl() {
        return URI.create(live().api().url());
    }

    /**
     * The console of this world ({@code apiUrl()/console/}): to look at a test's world in a browser
     * while the test waits at a breakpoint, the services, connections and live traffic as they are.
     */
    public URI consoleUrl() {
        return URI.create(live().api().url() + io.plsim.app.console.ConsoleRoutes.PATH);
    }

    /**
     * Toxiproxy's HTTP API over this world, started on first use on a free port: its proxies are the
     * world's endpoints and their interfaces, its toxics plsim's connection faults, so that
     * {@code new ToxiproxyClient(url.getHost(), url.getPort())} drives it as it drives Toxiproxy.
     */
    public synchronized URI toxiproxyUrl() {
        WorldHost h = live();
        int port = toxiproxy(h, Math.max(0, toxiproxyPort));
        toxiproxyPort = port;
        return URI.create("http://127.0.0.1:" + port);
    }

    private static int toxiproxy(WorldHost h, int port) {
        try {
            return h.startToxiproxy(port).address().getPort();
        } catch (WorldHost.HostException e) {
            throw new PlsimException("Toxiproxy API: " + e.getMessage(), e);
        }
    }

    /** The endpoint DNS server, UDP and TCP. */
    public InetSocketAddress dnsAddress() {
        return live().dns().address();
    }

    public String region() {
        return live().world().topology().region();
    }

    /**
     * Credentials that sign as an account's root: plsim takes a 12-digit access key ID that is an
     * account of the world as that account, and does not check signatures. With the AWS SDK:
     * {@code StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey()))}.
     *
     * @throws IllegalArgumentException when the world has no such account
     */
    public Credentials credentials(String accountId) {
        if (!live().world().topology().accounts().containsKey(accountId)) {
            throw new IllegalArgumentException("no account " + accountId + " in this world; it has "
                    + live().world().topology().accounts().keySet());
        }
        return new Credentials(accountId, "plsim-does-not-check-secrets");
    }

    /**
     * An EC2 client of the AWS SDK signed as an account's root, at this world's API, in its region,
     * with the URL connection HTTP client when the class path has it: {@code Ec2Client ec2 = world.ec2("444455556666")}.
     * The caller closes it. Typed by the assignment so that this class names no SDK type: a suite
     * without the SDK uses the rest of the world as before.
     *
     * @throws PlsimException when the SDK's {@code ec2} artifact is not on the class path
     * @throws IllegalArgumentException when the world has no such account
     */
    @SuppressWarnings("unchecked")
    public <C extends AutoCloseable> C ec2(String accountId) {
        requireSdk("software.amazon.awssdk.services.ec2.Ec2Client", "ec2");
        return (C) SdkClients.ec2(apiUrl(), region(), credentials(accountId));
    }

    /**
     * An ELBv2 client of the AWS SDK, as {@link #ec2(String)}:
     * {@code ElasticLoadBalancingV2Client elbv2 = world.elbv2("111122223333")}.
     *
     * @throws PlsimException when the SDK's {@code elasticloadbalancingv2} artifact is not on the class path
     */
    @SuppressWarnings("unchecked")
    public <C extends AutoCloseable> C elbv2(String accountId) {
        requireSdk("software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client",
                "elasticloadbalancingv2");
        return (C) SdkClients.elbv2(apiUrl(), region(), credentials(accountId));
    }

    private static void requireSdk(String clientClass, String artifact) {
        if (!present(clientClass)) {
            throw new PlsimException("the AWS SDK client is not on the class path: add software.amazon.awssdk:"
                    + artifact + " (test scope, netty-nio-client excluded) to use it");
        }
    }

    /** Whether the class path has a class, looked at without loading it (nor what it links to). */
    static boolean present(String className) {
        try {
            Class.forName(className, false, PlsimWorld.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** An access key ID and a secret, as an SDK's static credentials take them. */
    public record Credentials(String accessKeyId, String secretAccessKey) {
    }

    // ---------------------------------------------------------------- endpoints

    /** Every endpoint of the world, as the control plane has it now, in creation order. */
    public List<Endpoint> endpoints() {
        WorldHost h = live();
        return Handles.endpoints(h.world(), h.dataPlane());
    }

    /**
     * An endpoint by ID ({@code vpce-...}) or by its name in the sim-config.
     *
     * @throws IllegalArgumentException when there is none
     */
    public Endpoint endpoint(String idOrName) {
        WorldHost h = live();
        return Handles.endpoint(h.world(), h.dataPlane(), idOrName);
    }

    // ---------------------------------------------------------------- services and load balancers

    /**
     * An endpoint service by its name in the sim-config or its ID ({@code vpce-svc-...}).
     *
     * @throws IllegalArgumentException when there is none, naming those there are
     */
    public Service service(String nameOrId) {
        return Handles.service(live().world(), nameOrId);
    }

    /**
     * A load balancer by name or ARN, with its targets' health as each node sees it now.
     *
     * @throws IllegalArgumentException when there is none, naming those there are
     */
    public LoadBalancer loadBalancer(String nameOrArn) {
        WorldHost h = live();
        return Handles.loadBalancer(h.world(), h.dataPlane(), nameOrArn);
    }

    /**
     * What plsim's DNS answers for an endpoint DNS name now, as addresses to connect to (each at the
     * first listener port): the regional name's interfaces in the zones that serve, a zonal name's one
     * interface; empty for a name that is no endpoint's. A client that honours DNS failover connects
     * to these.
     */
    public List<InetSocketAddress> resolve(String dnsName) {
        WorldHost h = live();
        List<String> ips = h.dataPlane().dnsAnswer(dnsName).orElse(List.of());
        List<InetSocketAddress> out = new ArrayList<>();
        for (String ip : ips) {
            h.dataPlane().listeners().stream().filter(l -> l.ip().equals(ip)).findFirst()
                    .ifPresent(l -> out.add(new InetSocketAddress(ip, l.port())));
        }
        return out;
    }

    /** The provider accepts an endpoint's connection request, as the service's owner (its root). */
    public void accept(String endpointIdOrName) {
        decide(endpointIdOrName, true);
    }

    /** The provider rejects an endpoint's connection: its open connections are reset. */
    public void reject(String endpointIdOrName) {
        decide(endpointIdOrName, false);
    }

    private void decide(String idOrName, boolean accept) {
        WorldHost h = live();
        Endpoint e = endpoint(idOrName);
        ServiceConfiguration svc = h.world().controlPlane().services().stream()
                .filter(s -> s.serviceId().equals(e.serviceId())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the service of " + e.id() + " is gone"));
        Caller owner = new Caller(Principal.root(svc.ownerId()), region());
        List<Unsuccessful> failed = accept
                ? h.world().controlPlane().acceptConnections(owner, svc.serviceId(), List.of(e.id()))
                : h.world().controlPlane().rejectConnections(owner, svc.serviceId(), List.of(e.id()));
        refuseIfFailed(failed);
    }

    /** The consumer deletes an endpoint, as its owner (the account's root). */
    public void delete(String endpointIdOrName) {
        WorldHost h = live();
        Endpoint e = endpoint(endpointIdOrName);
        refuseIfFailed(h.world().controlPlane().deleteVpcEndpoints(new Caller(Principal.root(e.ownerId()), region()),
                List.of(e.id())));
    }

    private static void refuseIfFailed(List<Unsuccessful> failed) {
        if (!failed.isEmpty()) {
            Unsuccessful u = failed.get(0);
            throw new PlsimException(u.code() + ": " + u.message() + " (" + u.resourceId() + ")");
        }
    }

    // ---------------------------------------------------------------- faults

    /**
     * Puts a fault in force at once (see {@link FaultSpec}); answers its handle.
     *
     * @throws PlsimException naming the field that is wrong, with the admin API's words: a scope that
     *                        names what the world lacks (a zone name where the zone ID belongs, say),
     *                        a name taken
     */
    public ActiveFault addFault(FaultSpec spec) {
        try {
            return active(live().dataPlane().addFault(spec.toFault(), spec.name()));
        } catch (IllegalArgumentException e) {
            throw new PlsimException(e.getMessage(), e);
        }
    }

    /** Changes a fault in force in place (by ID or name); new and open connections follow it at once. */
    public ActiveFault updateFault(String idOrName, FaultSpec spec) {
        try {
            return live().dataPlane().updateFault(idOrName, spec.toFault()).map(this::active)
                    .orElseThrow(() -> new PlsimException("no fault " + idOrName + " in force"));
        } catch (IllegalArgumentException e) {
            throw new PlsimException(e.getMessage(), e);
        }
    }

    /** Ends a fault, by ID or name; false when none is in force under it. */
    public boolean removeFault(String idOrName) {
        return live().dataPlane().removeFault(idOrName).isPresent();
    }

    /** Ends every fault. */
    public void removeFaults() {
        DataPlane dp = live().dataPlane();
        dp.faults().forEach(f -> dp.removeFault(f.id()));
    }

    /** The faults in force, in the order they were added. */
    public List<ActiveFault> faults() {
        return live().dataPlane().faults().stream().map(this::active).toList();
    }

    private ActiveFault active(FaultView f) {
        return new ActiveFault(f.id(), f.name(), f.describe(), live().dataPlane().reach(f.fault()));
    }

    /**
     * A fault in force: its ID, its name (or null), what it does where, and what the admin API answers
     * of it: the interfaces, nodes and targets it applies to, as they were when asked.
     */
    public record ActiveFault(String id, String name, String describe, FaultReach appliesTo) {

        /**
         * For a fault health checks must notice, how soon they will on each load balancer it touches;
         * empty for a connection fault.
         */
        public List<FaultReach.HealthChecks> healthChecks() {
            return appliesTo.healthChecks();
        }
    }

    // ---------------------------------------------------------------- what happened

    /** The most recent events (state changes, health transitions, faults, DNS), oldest first. */
    public List<EventLog.Event> events() {
        return events.recent(Integer.MAX_VALUE);
    }

    /** The data plane's counters now: admitted, denied by reason, open, and each target's flows and health. */
    public Stats stats() {
        DataPlane dp = live().dataPlane();
        return new Stats(dp.stats(), dp.targets());
    }

    /** The counters of {@link #stats()}. */
    public record Stats(ConnectionStats connections, List<TargetView> targets) {
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits until every target of every load balancer is healthy as every node sees it.
     *
     * @throws PlsimException at the deadline, naming each target that is not, the node and its state
     */
    public void waitForHealthy(Duration timeout) {
        if (!awaitHealthy(timeout)) {
            throw new PlsimException("not every target healthy after " + timeout + ": "
                    + Waits.unhealthy(live().world(), this::loadBalancer, null));
        }
    }

    /**
     * Waits until one load balancer (name or ARN) has all its targets healthy as every node sees it.
     *
     * @throws PlsimException at the deadline, naming each target that is not, the node and its state
     */
    public void waitForHealthy(String loadBalancer, Duration timeout) {
        String name = loadBalancer(loadBalancer).name();
        if (!awaitHealthy(loadBalancer, timeout)) {
            throw new PlsimException(name + ": not every target healthy after " + timeout + ": "
                    + Waits.unhealthy(live().world(), this::loadBalancer, name));
        }
    }

    /**
     * Waits until an endpoint (ID or name) is in {@code state} and, when that is available,
     * listening on every interface.
     *
     * @throws PlsimException at the deadline, naming the endpoint, the state it is in and the
     *                        interfaces that do not listen
     */
    public void waitForState(String endpointIdOrName, Endpoint.State state, Duration timeout) {
        if (awaitState(endpointIdOrName, state.wire(), timeout)) {
            return;
        }
        throw new PlsimException(Waits.notInState(this::endpoint, endpointIdOrName, state, timeout));
    }

    /**
     * Waits until every target of every load balancer is healthy on every node; false at the deadline.
     *
     * @deprecated {@link #waitForHealthy(Duration)} says at the deadline which target was not healthy where
     */
    @Deprecated
    public boolean awaitHealthy(Duration timeout) {
        WorldHost h = live();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (var lb : h.world().topology().loadBalancers().values()) {
                if (lb.isNetwork() && !lb.targets().isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !h.dataPlane().awaitHealthy(lb.arn(), Duration.ofNanos(left))) {
                        return false;
                    }
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits until one load balancer (name or ARN) has all its targets healthy; false at the deadline.
     *
     * @deprecated {@link #waitForHealthy(String, Duration)} says at the deadline which target was not healthy where
     */
    @Deprecated
    public boolean awaitHealthy(String loadBalancer, Duration timeout) {
        try {
            return live().dataPlane().awaitHealthy(loadBalancer, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits until an endpoint (ID or name) is in {@code state} ({@code available},
     * {@code pendingAcceptance}, {@code rejected}, ...) and, when available, listening on every
     * interface; false at the deadline.
     *
     * @deprecated {@link #waitForState(String, Endpoint.State, Duration)} takes a typed state and says
     *             at the deadline what it saw
     */
    @Deprecated
    public boolean awaitState(String endpointIdOrName, String state, Duration timeout) {
        Endpoint.State wanted = Endpoint.State.ofWire(state);
        return Waits.await(timeout, () -> {
            Endpoint e;
            try {
                e = endpoint(endpointIdOrName);
            } catch (IllegalArgumentException gone) {
                return wanted == Endpoint.State.DELETED;
            }
            return e.status() == wanted && (wanted != Endpoint.State.AVAILABLE
                    || e.interfaces().stream().noneMatch(i -> i.ports().isEmpty()));
        });
    }

    /** The engine's own objects, for what the handles do not cover. */
    public World world() {
        return live().world();
    }

    public DataPlane dataPlane() {
        return live().dataPlane();
    }

    // ---------------------------------------------------------------- stopping

    /** Stops everything; every port, thread and address block is released before it returns. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        host.close(Duration.ZERO);
        events.close();
        blocks.close();
    }

    @Override
    public String toString() {
        return "plsim world " + source + (closed ? " (closed)" : " at " + host.api().url());
    }
}
