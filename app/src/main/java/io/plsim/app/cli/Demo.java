package io.plsim.app.cli;

import io.plsim.core.config.World;
import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.Unsuccessful;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Principal;
import io.plsim.dataplane.ConnectionStats;
import io.plsim.dataplane.DataPlane;
import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.TargetView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The steps of {@code plsim demo}, each observed from the consumer's side on real sockets and
 * checked against what PrivateLink does.
 */
final class Demo {

    private final World world;
    private final DataPlane dp;
    private final PrintWriter out;
    private final int connections;
    private final ControlPlane cp;
    private final Caller provider;
    private final VpcEndpoint endpoint;
    private final LoadBalancer nlb;
    private final Table summary = new Table("Summary", "step", "expected", "observed", "ok");
    private boolean allOk = true;

    Demo(World world, DataPlane dp, PrintWriter out, int connections) {
        this.world = world;
        this.dp = dp;
        this.out = out;
        this.connections = connections;
        this.cp = world.controlPlane();
        this.endpoint = cp.endpoints().get(0);
        this.nlb = world.topology().loadBalancers().values().iterator().next();
        this.provider = new Caller(Principal.root(nlb.accountId()), world.topology().region());
    }

    boolean play() throws InterruptedException {
        dp.awaitListening(Duration.ofSeconds(10));
        List<InterfaceListener> ifaces = dp.listeners(endpoint.vpcEndpointId());
        long listening = ifaces.stream().map(InterfaceListener::ip).distinct().count();
        int wanted = endpoint.interfaces().size();
        if (listening != wanted) {
            step("every interface listens", wanted + " interfaces", listening + " listening", false);
            return finish();
        }
        if (!dp.awaitHealthy(nlb.arn(), Duration.ofSeconds(10))) {
            step("targets healthy", "all 4 healthy", "not healthy after 10 s", false);
            return finish();
        }
        InterfaceListener a = ifaces.get(0);

        out.println("1. The consumer connects while the endpoint is " + endpoint.state().wire() + ".");
        String denied = DemoClient.probe(a.ip(), a.port());
        out.println("   " + a.address() + " -> " + denied);
        step("connect while pendingAcceptance", "reset", denied, denied.equals("reset"));

        out.println("2. The provider accepts the connection request.");
        List<Unsuccessful> failed = cp.acceptConnections(provider, endpoint.serviceId(), List.of(endpoint.vpcEndpointId()));
        String state = state();
        out.println("   accept-vpc-endpoint-connections: " + (failed.isEmpty() ? "ok" : failed) + "; endpoint is " + state);
        step("provider accepts", "available", state, state.equals("available"));

        out.println("3. Traffic flows; the target parses the Proxy Protocol v2 header it received.");
        DemoClient.Exchange x = DemoClient.exchange(a.ip(), a.port(), "hello through PrivateLink");
        out.println("   target answered: " + x.json());
        out.println("   source (the consumer) " + x.field("source") + ", destination " + x.field("destination")
                + ", endpoint " + x.field("vpceEndpointId") + ", CRC32C " + x.field("crc32c") + ", shaped as "
                + (x.field("kind").equals("aws-privatelink") ? "NLB's" : "other than NLB's"));
        out.println("   the target's TCP peer is the NLB node " + x.field("peer") + ", not the consumer;"
                + " echo: " + x.echo());
        boolean headerOk = x.field("source").equals(x.clientAddress())
                && x.field("destination").equals(a.address())
                && x.field("vpceEndpointId").equals(endpoint.vpcEndpointId())
                && x.field("crc32c").equals("valid")
                && x.field("kind").equals("aws-privatelink")
                && x.echo().equals("hello through PrivateLink");
        step("header the target saw", "consumer address, endpoint ID, valid CRC",
                x.field("source") + ", " + x.field("vpceEndpointId") + ", " + x.field("crc32c"), headerOk);

        out.println("4. " + connections + " connections through each interface, cross-zone load balancing off.");
        Map<String, Map<String, Integer>> off = spread(ifaces);
        boolean zonal = off.entrySet().stream().allMatch(e -> e.getValue().keySet().stream()
                .allMatch(target -> zoneOfTarget(target).equals(zoneIdOf(e.getKey(), ifaces))));
        String offAnswered = answered(off);
        step("cross-zone off", "every flow of each of " + ifaces.size() + " interfaces stays in its zone",
                (zonal ? "every flow stayed in its zone" : "flows crossed zones") + "; " + offAnswered,
                zonal && offAnswered.equals(everyOneAnswered(ifaces)));

        out.println("5. The same with cross-zone load balancing on.");
        dp.crossZone(nlb.arn(), true);
        Map<String, Map<String, Integer>> on = spread(ifaces);
        Map<String, Integer> perTarget = new TreeMap<>();
        on.values().forEach(m -> m.forEach((t, n) -> perTarget.merge(t, n, Integer::sum)));
        int total = perTarget.values().stream().mapToInt(Integer::intValue).sum();
        int fairShare = total / nlb.targets().size();
        boolean spread = perTarget.size() == nlb.targets().size()
                && perTarget.values().stream().allMatch(n -> n >= fairShare / 2);
        String onAnswered = answered(on);
        step("cross-zone on", "flows on all " + nlb.targets().size() + " targets from each interface",
                perTarget.size() + " targets, fewest " + perTarget.values().stream().mapToInt(i -> i).min().orElse(0)
                        + " of " + total + "; " + onAnswered, spread && onAnswered.equals(everyOneAnswered(ifaces)));
        dp.crossZone(nlb.arn(), false);

        out.println("6. Five connections are open; the provider rejects the endpoint.");
        List<DemoClient.Held> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                held.add(DemoClient.hold(ifaces.get(i % ifaces.size())));
            }
            failed = cp.rejectConnections(provider, endpoint.serviceId(), List.of(endpoint.vpcEndpointId()));
            out.println("   reject-vpc-endpoint-connections: " + (failed.isEmpty() ? "ok" : failed)
                    + "; endpoint is " + state());
            int cut = 0;
            for (DemoClient.Held h : held) {
                String seen = h.awaitEnd(Duration.ofSeconds(5));
                out.println("   open connection from " + h.localAddress() + " -> " + seen);
                if (seen.equals("reset") || seen.equals("closed")) {
                    cut++;
                }
            }
            step("provider rejects", "5 open connections cut", cut + " cut", cut == 5);
        } finally {
            held.forEach(DemoClient.Held::close);
        }
        String after = DemoClient.probe(a.ip(), a.port());
        out.println("   a new connection -> " + after);
        step("connect after reject", "reset", after, after.equals("reset"));
        return finish();
    }

    private Map<String, Map<String, Integer>> spread(List<InterfaceListener> ifaces) {
        Map<String, Map<String, Integer>> byIface = new TreeMap<>();
        Table t = new Table("flows by target", "interface", "zone id", "target", "target zone id", "flows");
        for (InterfaceListener l : ifaces) {
            Map<String, Integer> counts = new TreeMap<>();
            for (int i = 0; i < connections; i++) {
                String target;
                try {
                    target = DemoClient.exchange(l.ip(), l.port(), "x").field("target");
                } catch (java.io.UncheckedIOException e) {
                    target = NO_ANSWER;
                }
                counts.merge(target, 1, Integer::sum);
            }
            byIface.put(l.address(), counts);
            counts.forEach((target, n) -> t.row(l.address(), l.zoneId(), target, zoneOfTarget(target), n));
        }
        t.print(out);
        return byIface;
    }

    /** What {@link #spread} counts for a connection that got no answer from any target. */
    private static final String NO_ANSWER = "(no answer)";

    /** How many connections through each interface a target answered, as "A: n, B: m". */
    private static String answered(Map<String, Map<String, Integer>> byIface) {
        StringBuilder b = new StringBuilder();
        byIface.forEach((iface, counts) -> b.append(b.isEmpty() ? "" : ", ").append(iface).append(": ")
                .append(counts.entrySet().stream().filter(e -> !e.getKey().equals(NO_ANSWER))
                        .mapToInt(Map.Entry::getValue).sum()));
        return b.toString();
    }

    /** What {@link #answered} says when every connection through every interface was answered. */
    private String everyOneAnswered(List<InterfaceListener> ifaces) {
        Map<String, Map<String, Integer>> all = new TreeMap<>();
        ifaces.forEach(l -> all.put(l.address(), Map.of("", connections)));
        return answered(all);
    }

    private String zoneOfTarget(String address) {
        return dp.targets().stream().filter(s -> s.address().equals(address)).map(TargetView::zoneId)
                .findFirst().orElse("?");
    }

    private static String zoneIdOf(String ifaceAddress, List<InterfaceListener> ifaces) {
        return ifaces.stream().filter(l -> l.address().equals(ifaceAddress)).map(InterfaceListener::zoneId)
                .findFirst().orElse("?");
    }

    private String state() {
        return cp.endpoints().stream().filter(e -> e.vpcEndpointId().equals(endpoint.vpcEndpointId()))
                .findFirst().map(e -> e.state().wire()).orElse("?");
    }

    private void step(String name, String expected, String observed, boolean ok) {
        summary.row(name, expected, observed, ok ? "yes" : "NO");
        allOk &= ok;
    }

    private boolean finish() {
        out.println();
        summary.print(out);
        ConnectionStats s = dp.stats();
        out.println("data plane: " + s.admitted() + " connections relayed, " + s.deniedTotal() + " denied " + s.denied());
        out.println(allOk ? "plsim demo: every step behaved as PrivateLink does" : "plsim demo: a step failed");
        out.flush();
        return allOk;
    }
}
