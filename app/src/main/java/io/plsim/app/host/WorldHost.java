package io.plsim.app.host;

import io.plsim.app.api.AllowedHosts;
import io.plsim.app.api.ApiServer;
import io.plsim.app.api.HttpRoutes;
import io.plsim.app.api.AdminRoutes;
import io.plsim.app.console.ConsoleRoutes;
import io.plsim.app.dns.DnsServer;
import io.plsim.app.dns.PrivateHostedZones;
import io.plsim.app.notify.NotificationHub;
import io.plsim.app.toxiproxy.ToxiproxyRoutes;
import io.plsim.core.api.QueryApi;
import io.plsim.core.config.World;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.DataPlaneException;
import io.plsim.dataplane.EventLog;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One world served: its data plane, then (once {@link Preparation} has run, e.g. a state replayed)
 * notifications following the control plane, the API and the DNS server, all on 127.0.0.1. Either
 * everything starts or nothing is left running: a part that fails closes the parts before it.
 */
public final class WorldHost implements AutoCloseable {

    /** Work to do on the API before anyone can reach it; it may refuse, and then nothing is served. */
    @FunctionalInterface
    public interface Preparation {
        void prepare(QueryApi api) throws Exception;

        Preparation NONE = api -> { };
    }

    /** Which part could not start, and why. */
    public static final class HostException extends Exception {
        /** The part that failed. */
        public enum Part { DATA_PLANE, PREPARATION, API, DNS, TOXIPROXY }

        private final Part part;

        HostException(Part part, String message, Throwable cause) {
            super(message, cause);
            this.part = part;
        }

        public Part part() {
            return part;
        }
    }

    /**
     * How to serve a world.
     *
     * @param apiPort  the API's port on 127.0.0.1; 0 picks a free one
     * @param dnsPort  the DNS server's port (UDP and TCP) on 127.0.0.1; 0 picks a free one
     * @param onListen told of every interface listener once it is up
     * @param allowedHosts the {@code Host} names the API and Toxiproxy servers answer besides loopback ones
     */
    public record Options(Transport transport, int ioThreads, int apiPort, int dnsPort, EventLog events,
                          Consumer<InterfaceListener> onListen, AllowedHosts allowedHosts) {
    }

    private final World world;
    private final DataPlane dataPlane;
    private final NotificationHub notifications;
    private final QueryApi query;
    private final ApiServer api;
    private final DnsServer dns;
    private final EventLog events;
    private final AllowedHosts allowedHosts;
    private final PrivateHostedZones privateZones;
    /** Settles what the control plane's clock has made due (verifications), so it is told when due. */
    private final ScheduledExecutorService settle;
    /** The Toxiproxy-compatible API, once started; null until then. */
    private volatile ApiServer toxiproxy;

    /** How often the control plane is asked to settle what is due: a verification is told this late at most. */
    private static final long SETTLE_MILLIS = 100;

    private WorldHost(World world, DataPlane dataPlane, NotificationHub notifications, QueryApi query, ApiServer api,
                      DnsServer dns, EventLog events, AllowedHosts allowedHosts, PrivateHostedZones privateZones,
                      ScheduledExecutorService settle) {
        this.world = world;
        this.dataPlane = dataPlane;
        this.notifications = notifications;
        this.query = query;
        this.api = api;
        this.dns = dns;
        this.events = events;
        this.allowedHosts = allowedHosts;
        this.privateZones = privateZones;
        this.settle = settle;
    }

    /**
     * Starts everything, in order; on a failure closes what had started (the event log stays the
     * caller's) and says which part failed.
     */
    public static WorldHost start(World world, Options o, Preparation preparation) throws HostException {
        NotificationHub hub = new NotificationHub(world.topics());
        // What the file created happened before anyone listened: replay it, then follow live (once the
        // preparation is done: a replayed state's changes were notified when they were first made).
        world.startupEvents().forEach(hub::onEvent);
        DataPlane dp;
        try {
            dp = DataPlane.start(world, o.transport(), o.ioThreads(), o.onListen(), o.events());
        } catch (DataPlaneException e) {
            hub.close();
            throw new HostException(HostException.Part.DATA_PLANE, e.getMessage(), e);
        }
        QueryApi query = new QueryApi(world);
        PrivateHostedZones zones = new PrivateHostedZones(world.controlPlane(), dp::dnsAnswer);
        // A change is answered once the listeners it asked for listen: a consumer that connects the moment
        // CreateVpcEndpoint returns finds its interfaces ready, and its VPC's resolver once private DNS is on.
        query.afterChanges(() -> {
            dp.awaitListening(Duration.ofSeconds(2));
            zones.awaitResolvers(Duration.ofSeconds(2));
        });
        try {
            preparation.prepare(query);
        } catch (Exception e) {
            dp.close(Duration.ZERO);
            hub.close();
            throw new HostException(HostException.Part.PREPARATION, e.getMessage(), e);
        }
        world.controlPlane().addListener(hub);
        ApiServer api;
        try {
            api = ApiServer.start(new InetSocketAddress("127.0.0.1", o.apiPort()), o.transport(), query,
                    HttpRoutes.inTurn(new ConsoleRoutes(dp), new AdminRoutes(dp, hub)), o.allowedHosts());
        } catch (IllegalStateException e) {
            world.controlPlane().removeListener(hub);
            dp.close(Duration.ZERO);
            hub.close();
            throw new HostException(HostException.Part.API, e.getMessage(), e);
        }
        DnsServer dns;
        try {
            dns = DnsServer.start(new InetSocketAddress("127.0.0.1", o.dnsPort()), o.transport(), dp::dnsAnswer,
                    zones);
        } catch (IllegalStateException e) {
            api.close();
            world.controlPlane().removeListener(hub);
            dp.close(Duration.ZERO);
            hub.close();
            throw new HostException(HostException.Part.DNS, e.getMessage(), e);
        }
        zones.serve(dns);
        ScheduledExecutorService settle = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plsim-settle");
            t.setDaemon(true);
            return t;
        });
        settle.scheduleWithFixedDelay(world.controlPlane()::settle, SETTLE_MILLIS, SETTLE_MILLIS,
                TimeUnit.MILLISECONDS);
        return new WorldHost(world, dp, hub, query, api, dns, o.events(), o.allowedHosts(), zones, settle);
    }

    public World world() {
        return world;
    }

    public DataPlane dataPlane() {
        return dataPlane;
    }

    public NotificationHub notifications() {
        return notifications;
    }

    public QueryApi query() {
        return query;
    }

    public ApiServer api() {
        return api;
    }

    public DnsServer dns() {
        return dns;
    }

    public EventLog events() {
        return events;
    }

    /** The VPCs' resolvers and the private DNS names they answer. */
    public PrivateHostedZones privateZones() {
        return privateZones;
    }

    /**
     * Starts the Toxiproxy-compatible API ({@link ToxiproxyRoutes}) on 127.0.0.1:{@code port} (0 picks
     * a free port), or answers the one already started.
     *
     * @throws HostException when the port cannot be bound
     */
    public synchronized ApiServer startToxiproxy(int port) throws HostException {
        if (toxiproxy == null) {
            try {
                toxiproxy = ApiServer.start(new InetSocketAddress("127.0.0.1", port), dataPlane.transport(), null,
                        new ToxiproxyRoutes(dataPlane), allowedHosts);
            } catch (IllegalStateException e) {
                throw new HostException(HostException.Part.TOXIPROXY, e.getMessage(), e);
            }
        }
        return toxiproxy;
    }

    /** The Toxiproxy-compatible API, or null when it was not started. */
    public ApiServer toxiproxy() {
        return toxiproxy;
    }

    /**
     * Stops serving: the API and DNS at once, open connections given {@code grace}, then
     * notifications; answers a line for each subscriber that had notifications left undelivered.
     */
    public List<String> stop(Duration grace) {
        ApiServer t = toxiproxy;
        if (t != null) {
            t.close();
        }
        settle.shutdownNow();
        privateZones.stop();
        api.close();
        dns.close();
        dataPlane.close(grace);
        world.controlPlane().removeListener(notifications);
        return notifications.closeAndSay();
    }

    /** {@link #stop}, the undelivered notifications logged. */
    public void close(Duration grace) {
        stop(grace).forEach(line -> System.getLogger(WorldHost.class.getName()).log(System.Logger.Level.WARNING, line));
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
