package io.plsim.dataplane;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.EndpointState;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Fault;
import io.plsim.core.model.Ipv4;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Simulation;
import io.plsim.dataplane.fault.FaultTable;
import io.plsim.dataplane.proxy.ProxyHeaderWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The listening sockets of every interface endpoint, and the gate each endpoint's connections pass:
 * an endpoint's interfaces listen from the moment it exists (its gate admits only while it is
 * {@code available}) until it is deleted, each on its own private IP at every listener port of its
 * load balancer, and hand what they accept to a {@link FrontendHandler}.
 */
final class EndpointListeners {

    private static final System.Logger LOG = System.getLogger(EndpointListeners.class.getName());
    private static final AttributeKey<InterfaceListener> LISTENER =
            AttributeKey.valueOf(EndpointListeners.class, "listener");
    /** Tries to bind a freed address again this often, 20 ms apart, before giving up. */
    private static final int BIND_RETRIES = 50;

    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    private final List<EventLoop> loops;
    private final Transport transport;
    /** Where the flows' idle timeouts read the time. */
    private final Ticker ticker;
    private final Simulation.Denial admission;
    private final FaultTable faults;
    /** The node an interface forwards to, or null when its load balancer has none in its zone. */
    private final Function<EndpointInterface, NlbNode> nodeOf;
    private final Consumer<InterfaceListener> onListen;
    /** Whoever {@link DataPlane#observeFlows} named, shared by every interface; null for none. */
    final AtomicReference<FlowObserver> observer = new AtomicReference<>();
    private final List<EndpointInterfaceRuntime> interfaces = new CopyOnWriteArrayList<>();
    /** What removed interfaces had counted, by zone ID: the zones' totals stay counters. */
    private final Map<String, ZoneTotals> retired = new java.util.HashMap<>();
    private final Map<String, EndpointGate> gates = new ConcurrentHashMap<>();
    /** The listening sockets of each network interface, by interface ID; a list is current while it is mapped. */
    private final Map<String, List<Channel>> listenersByInterface = new ConcurrentHashMap<>();
    /** The interface IDs of each endpoint that listen (or are binding). */
    private final Map<String, List<String>> interfacesByEndpoint = new ConcurrentHashMap<>();
    private final List<InterfaceListener> listening = new CopyOnWriteArrayList<>();
    private final ChannelGroup serverChannels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile boolean closed;
    /**
     * Interface listeners still binding (retries included) or closing: {@link #awaitBinds} waits for
     * none.
     */
    private int pendingBinds;
    private final Object bindsDone = new Object();

    /** The longest {@link #openAtStart} waits for bound listeners to be announced. */
    private static final Duration START_DEADLINE = Duration.ofSeconds(10);

    /** True while {@link #openAtStart} binds the listeners that exist at start; it reports their failures itself. */
    private volatile boolean starting = true;

    EndpointListeners(EventLoopGroup acceptGroup, EventLoopGroup ioGroup, Transport transport,
                      Simulation.Denial admission, FaultTable faults, Function<EndpointInterface, NlbNode> nodeOf,
                      Consumer<InterfaceListener> onListen, Ticker ticker) {
        this.acceptGroup = acceptGroup;
        this.ticker = ticker;
        this.ioGroup = ioGroup;
        this.transport = transport;
        this.admission = admission;
        this.faults = faults;
        this.nodeOf = nodeOf;
        this.onListen = onListen;
        List<EventLoop> all = new ArrayList<>();
        ioGroup.forEach(e -> all.add((EventLoop) e));
        this.loops = List.copyOf(all);
    }

    /**
     * Opens the endpoints that exist at start and returns once every one of their interfaces listens.
     *
     * @throws DataPlaneException naming the address that could not be bound, and why
     */
    void openAtStart(List<VpcEndpoint> endpoints) throws DataPlaneException {
        List<ChannelFuture> binds = new ArrayList<>();
        for (VpcEndpoint e : endpoints) {
            binds.addAll(open(e));
        }
        for (ChannelFuture f : binds) {
            f.awaitUninterruptibly();
            if (!f.isSuccess()) {
                InterfaceListener l = f.channel().attr(LISTENER).get();
                throw new DataPlaneException("cannot listen on " + l.address() + " for " + l.endpointId() + ": "
                        + f.cause().getMessage() + whyNoSocket(f.cause().getMessage()));
            }
        }
        // A bind's future is done before its listener has announced it (listening, onListen): wait for
        // those too, so that whoever lists the listeners the moment the data plane has started sees all.
        try {
            if (!awaitBinds(START_DEADLINE)) {
                throw new DataPlaneException("the interfaces of " + endpoints.size() + " endpoints were bound but"
                        + " not all listening after " + START_DEADLINE.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataPlaneException("interrupted while the endpoints' interfaces came up");
        }
        starting = false;
    }

    /** Creates an endpoint's gate and binds its interfaces; answers the bind futures. */
    List<ChannelFuture> open(VpcEndpoint e) {
        List<ChannelFuture> binds = new ArrayList<>();
        if (closed || e.state() == EndpointState.DELETED || e.state() == EndpointState.DELETING) {
            return binds;
        }
        boolean[] fresh = {false};
        EndpointGate gate = gates.computeIfAbsent(e.vpcEndpointId(), id -> {
            fresh[0] = true;
            return new EndpointGate(id, e.state());
        });
        if (!fresh[0]) {
            return binds;
        }
        interfacesByEndpoint.put(e.vpcEndpointId(), new CopyOnWriteArrayList<>());
        for (EndpointInterface eni : e.interfaces()) {
            binds.addAll(openInterface(e, gate, eni));
        }
        return binds;
    }

    /** Binds one network interface of an endpoint at every listener port of its load balancer. */
    private List<ChannelFuture> openInterface(VpcEndpoint e, EndpointGate gate, EndpointInterface eni) {
        List<ChannelFuture> binds = new ArrayList<>();
        NlbNode node = nodeOf.apply(eni);
        List<String> ofEndpoint = interfacesByEndpoint.get(e.vpcEndpointId());
        if (node == null || ofEndpoint == null) {
            LOG.log(System.Logger.Level.WARNING, "no load balancer node for " + eni.networkInterfaceId()
                    + " in " + eni.zoneId() + "; the interface does not listen");
            return binds;
        }
        List<Channel> channels = Collections.synchronizedList(new ArrayList<>());
        listenersByInterface.put(eni.networkInterfaceId(), channels);
        ofEndpoint.add(eni.networkInterfaceId());
        int ip = Ipv4.parse(eni.privateIp()).orElseThrow();
        LoadBalancer spec = node.lb.spec;
        // Written whether Proxy Protocol is on or not: the target group attribute may turn it on later.
        LoadBalancer.ProxyProtocol pp = spec.proxyProtocol();
        ProxyHeaderWriter header = pp.layout() == LoadBalancer.ProxyProtocol.Layout.AWS
                ? ProxyHeaderWriter.aws(e.vpcEndpointId()) : ProxyHeaderWriter.minimal(e.vpcEndpointId(), pp.crc32c());
        EndpointInterfaceRuntime iface = new EndpointInterfaceRuntime(e.vpcEndpointId(), e.serviceId(), eni, ip,
                gate, node, header, admission, spec.idleTimeoutSeconds(), transport, new InterfaceCounters(), faults,
                Fault.Location.ofInterface(eni.zoneId(), e.vpcEndpointId(), eni.privateIp(), node.location.node()), observer, ticker);
        interfaces.add(iface);
        for (int port : spec.listenerPorts()) {
            InterfaceListener listener = new InterfaceListener(e.vpcEndpointId(), eni.zoneName(), eni.zoneId(),
                    eni.privateIp(), port, e.serviceId());
            bindStarted();
            binds.add(listen(iface, listener, new InetSocketAddress(Addresses.inet(ip), port), channels,
                    BIND_RETRIES));
        }
        return binds;
    }

    /**
     * Follows ModifyVpcEndpoint: an added interface starts listening; a removed one stops, and its
     * open connections are reset, as the consumer's traffic to a deleted network interface is.
     */
    void modified(VpcEndpoint e, List<EndpointInterface> added, List<EndpointInterface> removed) {
        EndpointGate gate = gates.get(e.vpcEndpointId());
        if (gate == null || closed) {
            return;
        }
        for (EndpointInterface eni : removed) {
            closeInterface(e.vpcEndpointId(), eni.networkInterfaceId());
            java.net.InetAddress address = Addresses.inet(Ipv4.parse(eni.privateIp()).orElseThrow());
            gate.reset(ch -> ch.localAddress() instanceof InetSocketAddress local
                    && local.getAddress().equals(address));
            listening.removeIf(l -> l.endpointId().equals(e.vpcEndpointId()) && l.ip().equals(eni.privateIp()));
            // Its counters go with it, but for its zone's totals: the address may come back on an
            // interface added later.
            retire(i -> i.eni().networkInterfaceId().equals(eni.networkInterfaceId()));
        }
        for (EndpointInterface eni : added) {
            openInterface(e, gate, eni);
        }
    }

    private void closeInterface(String endpointId, String interfaceId) {
        List<String> ofEndpoint = interfacesByEndpoint.get(endpointId);
        if (ofEndpoint != null) {
            ofEndpoint.remove(interfaceId);
        }
        closeListeners(interfaceId);
    }

    /** Closes an interface's listening sockets; a bind still under way sees it is no longer current. */
    private void closeListeners(String interfaceId) {
        List<Channel> channels = listenersByInterface.remove(interfaceId);
        if (channels != null) {
            synchronized (channels) {
                // Counted as pending until closed, so that a delete is answered once nothing listens.
                for (Channel ch : List.copyOf(channels)) {
                    bindStarted();
                    ch.close().addListener(f -> bindEnded());
                }
            }
        }
    }

    /**
     * Follows a change of an existing endpoint: its gate takes the new state at once (resetting
     * open connections when it stops being available), and a deleted endpoint stops listening.
     */
    void changed(VpcEndpoint e) {
        EndpointGate gate = gates.get(e.vpcEndpointId());
        if (gate != null) {
            gate.update(e.state());
        }
        if (e.state() == EndpointState.DELETED) {
            gates.remove(e.vpcEndpointId());
            List<String> ofEndpoint = interfacesByEndpoint.remove(e.vpcEndpointId());
            if (ofEndpoint != null) {
                ofEndpoint.forEach(this::closeListeners);
            }
            listening.removeIf(l -> l.endpointId().equals(e.vpcEndpointId()));
            // Its counters go with it, as a removed interface's do: nothing of a deleted endpoint is kept
            // but what its zones counted.
            retire(i -> i.endpointId().equals(e.vpcEndpointId()));
        }
    }

    /**
     * Binds one interface listener. An address still held by the listener of an endpoint deleted a
     * moment ago (the consumer deleted an endpoint and created another, which got the freed IP) is
     * tried again shortly: NIO releases a closed listening socket only at its event loop's next
     * select, so an immediate bind finds the address in use.
     *
     * <p>On epoll with more than one event loop, the address gets one listening socket per loop
     * ({@code SO_REUSEPORT}): the kernel spreads new connections over them, and each connection is
     * accepted and relayed on the loop that accepted it, with no hand-over from an accept thread.
     * The first socket is bound alone, and only after a plain bind of the address (without
     * {@code SO_REUSEPORT}) found it free: another process that listens there with
     * {@code SO_REUSEPORT} (a second plsim on the same world) would otherwise share the address
     * silently instead of being reported. The others join once the first listens.
     */
    private ChannelFuture listen(EndpointInterfaceRuntime iface, InterfaceListener listener,
                                 InetSocketAddress address, List<Channel> channels, int retriesLeft) {
        boolean shared = sharesPort() && addressIsFree(address);
        ChannelFuture f = (shared ? serverBootstrap(iface, loops.get(0)) : serverBootstrap(iface)).bind(address);
        f.channel().attr(LISTENER).set(listener);
        channels.add(f.channel());
        serverChannels.add(f.channel());
        f.addListener(done -> {
            boolean current = !closed && listenersByInterface.get(iface.eni().networkInterfaceId()) == channels;
            boolean retrying = false;
            try {
                retrying = bound(iface, listener, address, channels, retriesLeft, shared, f, done, current);
            } finally {
                if (!retrying) {
                    bindEnded();
                }
            }
        });
        return f;
    }

    /** What a bind's end means; answers whether it is tried again (the bind is then still pending). */
    private boolean bound(EndpointInterfaceRuntime iface, InterfaceListener listener, InetSocketAddress address,
                          List<Channel> channels, int retriesLeft, boolean shared, ChannelFuture f,
                          io.netty.util.concurrent.Future<? super Void> done, boolean current) {
        if (done.isSuccess()) {
            if (!current) {
                // The endpoint was deleted, or the interface removed, while this listener was binding.
                f.channel().close();
                return false;
            }
            if (shared) {
                for (EventLoop loop : loops.subList(1, loops.size())) {
                    joinPort(iface, listener, address, channels, loop);
                }
            }
            listening.add(listener);
            if (listenersByInterface.get(iface.eni().networkInterfaceId()) != channels) {
                // Removed while this handler ran: take back what it just announced.
                listening.remove(listener);
                f.channel().close();
                return false;
            }
            onListen.accept(listener);
        } else if (current && !starting && retriesLeft > 0 && addressInUse(done.cause())) {
            channels.remove(f.channel());
            acceptGroup.next().schedule(() -> {
                if (!closed && listenersByInterface.get(iface.eni().networkInterfaceId()) == channels) {
                    listen(iface, listener, address, channels, retriesLeft - 1);
                } else {
                    bindEnded(); // deleted while it waited to try again
                }
            }, 20, TimeUnit.MILLISECONDS);
            return true;
        } else if (!starting && current) {
            // Not current: the endpoint went while it bound, and nothing is missing.
            Throwable why = done.cause();
            LOG.log(System.Logger.Level.WARNING, "cannot listen on " + listener.address() + " for "
                    + listener.endpointId() + ": " + (why.getMessage() != null ? why.getMessage()
                    : why.getClass().getSimpleName()));
        }
        return false;
    }

    private void bindStarted() {
        synchronized (bindsDone) {
            pendingBinds++;
        }
    }

    private void bindEnded() {
        synchronized (bindsDone) {
            pendingBinds--;
            if (pendingBinds <= 0) {
                bindsDone.notifyAll();
            }
        }
    }

    /**
     * Waits until no interface listener is binding (each listening, given up, or no longer wanted) or
     * closing, at most {@code timeout}: what a control-plane change started is then in place. Not on an
     * event loop of the data plane, which the binds run on.
     */
    boolean awaitBinds(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (bindsDone) {
            while (pendingBinds > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(bindsDone, left);
            }
            return true;
        }
    }

    /**
     * What a failed listen most likely means: the process's open-file limit, when it is at it (every
     * interface listens once per port and, sharing its port, once per event loop), or else another
     * plsim on the same addresses.
     */
    private String whyNoSocket(String message) {
        FileDescriptors files = FileDescriptors.process();
        boolean atLimit = (message != null && message.contains("Too many open files"))
                || !files.above(FileDescriptors.SERVER_RESERVE);
        if (!atLimit) {
            return " (is another plsim running?)";
        }
        return " (the process is at its limit of " + files.limit() + " open files: each endpoint interface listens"
                + " on every listener port" + (sharesPort() ? " once per event loop (" + loops.size() + ")" : "")
                + "; raise the limit, ulimit -n, or start plsim with fewer endpoints"
                + (sharesPort() && loops.size() > 1 ? " or --io-threads 1" : "") + ")";
    }

    /** One more listening socket on an address that is already listened on, for one more event loop. */
    private void joinPort(EndpointInterfaceRuntime iface, InterfaceListener listener, InetSocketAddress address,
                          List<Channel> channels, EventLoop loop) {
        ChannelFuture f = serverBootstrap(iface, loop).bind(address);
        channels.add(f.channel());
        serverChannels.add(f.channel());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                // The address still listens on the others; this loop only accepts nothing of its own.
                channels.remove(f.channel());
                LOG.log(System.Logger.Level.WARNING, "one of the listening sockets of " + listener.address()
                        + " could not be bound: " + done.cause().getMessage());
            } else if (closed || listenersByInterface.get(iface.eni().networkInterfaceId()) != channels) {
                f.channel().close();
            }
        });
    }

    /** Whether each event loop gets a listening socket of its own on every address. */
    private boolean sharesPort() {
        return transport.isNative() && loops.size() > 1;
    }

    /**
     * A plain bind, without {@code SO_REUSEPORT}: whether nothing listens on the address now. A
     * socket that never listens, so that a consumer's SYN meanwhile is not accepted into the
     * probe's backlog and then reset; {@code SO_REUSEADDR} so that sockets in TIME_WAIT do not count.
     */
    private static boolean addressIsFree(InetSocketAddress address) {
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean addressInUse(Throwable cause) {
        return cause instanceof java.net.BindException
                || String.valueOf(cause.getMessage()).contains("Address already in use");
    }

    private ServerBootstrap serverBootstrap(EndpointInterfaceRuntime iface) {
        return serverBootstrap(iface, null);
    }

    /**
     * A listener's bootstrap: accepting on the accept group and handing connections to the I/O
     * group, or, with {@code loop}, one of the address's {@code SO_REUSEPORT} sockets, accepting
     * and relaying on that one event loop.
     */
    private ServerBootstrap serverBootstrap(EndpointInterfaceRuntime iface, EventLoop loop) {
        ServerBootstrap b = new ServerBootstrap();
        if (loop == null) {
            b.group(acceptGroup, ioGroup);
        } else {
            b.group(loop, loop).option(UnixChannelOption.SO_REUSEPORT, true);
        }
        return b
                .channelFactory(transport.serverChannelFactory())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .handler(FileDescriptors.process().acceptErrors("endpoint interface " + iface.eni().privateIp()))
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Flow.WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FrontendHandler(iface));
                    }
                });
    }

    /** Every interface listener that is up, in the order they came up. */
    List<InterfaceListener> listening() {
        return List.copyOf(listening);
    }

    // Under the lock of `retired`, with zoneTotals: a reading never sees an interface gone from both.
    private void retire(java.util.function.Predicate<EndpointInterfaceRuntime> which) {
        synchronized (retired) {
            for (EndpointInterfaceRuntime i : interfaces) {
                if (which.test(i) && interfaces.remove(i)) {
                    retired.merge(i.eni().zoneId(), ZoneTotals.of(InterfaceStats.of(i)), ZoneTotals::plus);
                }
            }
        }
    }

    /** Per zone ID, what every interface in it counted, those removed since included. */
    Map<String, ZoneTotals> zoneTotals() {
        synchronized (retired) {
            Map<String, ZoneTotals> out = new java.util.TreeMap<>(retired);
            for (EndpointInterfaceRuntime i : interfaces) {
                out.merge(i.eni().zoneId(), ZoneTotals.of(InterfaceStats.of(i)), ZoneTotals::plus);
            }
            return out;
        }
    }

    /** Every endpoint network interface ever opened, with its counters. */
    List<EndpointInterfaceRuntime> interfaces() {
        return interfaces;
    }

    /** Closes every listening socket and opens no more; connections already accepted go on. */
    void stopAccepting() {
        closed = true;
        // A socket that could not be made (at the file limit) was never registered: Netty cannot close it
        // as a group member (it has no event loop), and has nothing of it to close.
        serverChannels.removeIf(ch -> !ch.isRegistered());
        serverChannels.close().awaitUninterruptibly();
    }

    /** Shuts every gate: what is still open is reset. */
    void closeGates() {
        gates.values().forEach(g -> g.update(EndpointState.DELETED));
    }
}
