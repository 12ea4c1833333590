package io.plsim.app.dns;

import io.plsim.core.control.ControlEvent;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.ControlPlaneListener;
import io.plsim.core.control.ServiceConfiguration;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Ipv4;
import io.plsim.core.model.Vpc;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Private DNS as Route 53 gives it to a consumer's VPC: once an endpoint has private DNS on, every VPC
 * of the world gets its resolver (the VPC CIDR's base address plus two, where the Amazon DNS server
 * sits, on the DNS server's port). A VPC's resolver answers the endpoint names of the zone, as the
 * public address does, and the private DNS names of that VPC's endpoints with private DNS on and a
 * verified name, with the addresses the endpoint's regional name answers (failover included); other
 * VPCs' resolvers and the public address do not know them. Every address answers public DNS's TXT
 * records. A world that never turns private DNS on listens on the public address only, as before.
 *
 * <p>Invariant: the names follow the control plane's events (told under its lock), and the DNS server's
 * event loop reads them from one immutable map, so a query never waits for the control plane but a TXT
 * lookup; a VPC's resolver, once asked for, keeps listening until the server closes.
 */
public final class PrivateHostedZones implements ControlPlaneListener, DnsServer.OtherNames {

    /** One private name of a VPC: what the endpoint's regional name answers, it answers. */
    record Zone(String name, String endpointId, String regionalDnsName) {
        boolean matches(String asked) {
            return name.startsWith("*.") ? asked.endsWith(name.substring(1)) : name.equals(asked);
        }
    }

    private final ControlPlane cp;
    private final Function<String, Optional<List<String>>> regional;
    private final Map<InetAddress, String> vpcByResolver = new HashMap<>();
    private final Map<String, InetAddress> resolverByVpc = new LinkedHashMap<>();
    // Touched under the control plane's lock (its events) and at start.
    private final Map<String, VpcEndpoint> enabled = new LinkedHashMap<>();
    private final Map<String, ServiceConfiguration> named = new HashMap<>();
    private final Map<String, CompletableFuture<String>> listening = new LinkedHashMap<>();
    private final List<String> lines = new ArrayList<>();
    private Consumer<String> onResolver = line -> { };
    private DnsServer server;
    /** The VPCs' private names, read by the DNS server's event loop. */
    private volatile Map<String, List<Zone>> zones = Map.of();

    /**
     * @param regional the addresses a name of the endpoints' zone answers now (the data plane's DNS answer)
     */
    public PrivateHostedZones(ControlPlane cp, Function<String, Optional<List<String>>> regional) {
        this.cp = cp;
        this.regional = regional;
        for (Vpc vpc : cp.topology().vpcs().values()) {
            InetAddress at = resolverAddress(vpc);
            vpcByResolver.put(at, vpc.id());
            resolverByVpc.put(vpc.id(), at);
        }
    }

    /** The Amazon DNS server's place in a VPC: the base of its CIDR plus two. */
    public static InetAddress resolverAddress(Vpc vpc) {
        try {
            return InetAddress.getByName(Ipv4.format(vpc.cidr().address(2)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a dotted quad is always an address", e);
        }
    }

    /**
     * Serves through {@code server}: reads what the control plane holds now, then follows it; a VPC
     * that already has an endpoint with private DNS gets its resolver at once.
     */
    public void serve(DnsServer server) {
        synchronized (this) {
            this.server = server;
        }
        cp.addListener(this);
        cp.services().forEach(this::service);
        cp.endpoints().forEach(this::endpoint);
        update();
    }

    /** Stops following the control plane; the server's close stops the resolvers. */
    public void stop() {
        cp.removeListener(this);
    }

    /**
     * Tells {@code lines} of every VPC resolver: those already listening at once, then each as it
     * starts ({@code dns <vpc-id> resolver <host:port> ...}).
     */
    public synchronized void onResolver(Consumer<String> lines) {
        this.lines.forEach(lines);
        this.onResolver = lines;
    }

    /** Waits, at most {@code timeout} in all, until every resolver asked for listens or has failed. */
    public void awaitResolvers(Duration timeout) {
        List<CompletableFuture<String>> pending;
        synchronized (this) {
            pending = listening.values().stream().filter(f -> !f.isDone()).toList();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<String> f : pending) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // A resolver that could not listen has said so on its line; the change itself stands.
            }
        }
    }

    @Override
    public void onEvent(ControlEvent event) {
        if (event instanceof ControlEvent.ServiceChanged c) {
            service(c.service());
        } else if (event instanceof ControlEvent.ServiceDeleted c) {
            named.remove(c.service().serviceId());
        } else if (event instanceof ControlEvent.EndpointChanged c) {
            endpoint(c.endpoint());
        } else if (event instanceof ControlEvent.EndpointModified c) {
            endpoint(c.endpoint());
        } else {
            return;
        }
        update();
    }

    private void service(ServiceConfiguration s) {
        if (s.privateDnsName() == null) {
            named.remove(s.serviceId());
        } else {
            named.put(s.serviceId(), s);
        }
    }

    private void endpoint(VpcEndpoint e) {
        if (e.privateDnsEnabled() && e.state().isAttached()) {
            enabled.put(e.vpcEndpointId(), e);
        } else {
            enabled.remove(e.vpcEndpointId());
        }
    }

    /** The names each VPC resolves now; and, once any endpoint has private DNS, every VPC's resolver. */
    private void update() {
        if (!enabled.isEmpty()) {
            resolverByVpc.keySet().forEach(this::listen);
        }
        Map<String, List<Zone>> next = new HashMap<>();
        for (VpcEndpoint e : enabled.values()) {
            ServiceConfiguration s = named.get(e.serviceId());
            Optional<String> regionalName = e.regionalDnsName();
            if (s != null && s.privateDnsVerified() && regionalName.isPresent()) {
                next.computeIfAbsent(e.vpcId(), v -> new ArrayList<>())
                        .add(new Zone(s.privateDnsName(), e.vpcEndpointId(), regionalName.get()));
            }
        }
        next.replaceAll((v, list) -> List.copyOf(list));
        zones = Map.copyOf(next);
    }

    private synchronized void listen(String vpcId) {
        InetAddress at = resolverByVpc.get(vpcId);
        if (server == null || at == null || listening.containsKey(vpcId)) {
            return;
        }
        CompletableFuture<String> f = server.listenOn(at);
        listening.put(vpcId, f);
        f.whenComplete((hostPort, failure) -> said(failure == null
                ? "dns " + vpcId + " resolver " + hostPort + "  (its private DNS names: dig @" + at.getHostAddress()
                        + " -p " + hostPort.substring(hostPort.lastIndexOf(':') + 1) + " <name>)"
                : "dns " + vpcId + " resolver: " + failure.getMessage()));
    }

    private synchronized void said(String line) {
        lines.add(line);
        onResolver.accept(line);
    }

    /** The VPC resolvers that listen, by VPC ID, as {@code host:port}. */
    public synchronized Map<String, String> resolvers() {
        Map<String, String> out = new LinkedHashMap<>();
        listening.forEach((vpc, f) -> {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                out.put(vpc, f.join());
            }
        });
        return out;
    }

    @Override
    public DnsServer.Records lookup(String name, InetAddress local) {
        String vpcId = vpcByResolver.get(local);
        List<String> addresses = List.of();
        boolean known = false;
        if (vpcId != null) {
            for (Zone z : zones.getOrDefault(vpcId, List.of())) {
                if (z.matches(name)) {
                    known = true;
                    addresses = regional.apply(z.regionalDnsName()).orElse(List.of());
                    break;
                }
            }
        }
        List<String> texts = cp.txtRecord(name);
        return known || !texts.isEmpty() ? new DnsServer.Records(addresses, texts) : null;
    }
}
