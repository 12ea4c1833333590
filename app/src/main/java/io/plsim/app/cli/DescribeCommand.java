package io.plsim.app.cli;

import io.plsim.core.config.World;
import io.plsim.core.control.AllowedPrincipal;
import io.plsim.core.control.ConnectionEvent;
import io.plsim.core.control.ConnectionNotification;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.control.ServiceConfiguration;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Account;
import io.plsim.core.model.LoadBalancer;
import io.plsim.core.model.Subnet;
import io.plsim.core.model.Topology;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Shows the world a sim-config makes, as tables: accounts and zones, services, permissions,"
                + " endpoints and their states, interfaces and IPs, load balancers with their ARNs, nodes, targets.")
final class DescribeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SimConfigFile file;

    @Override
    public Integer call() {
        Optional<World> world = file.world(spec.commandLine().getErr());
        if (world.isEmpty()) {
            return Plsim.EXIT_BAD_INPUT;
        }
        print(world.get(), spec.commandLine().getOut());
        return 0;
    }

    static void print(World world, PrintWriter out) {
        Topology t = world.topology();
        ControlPlane cp = world.controlPlane();
        out.println("World of " + world.source() + " in " + t.region());
        out.println();

        Table accounts = new Table("Accounts and their zone names", "account", "zone name", "zone id", "principals");
        for (Account a : t.accounts().values()) {
            String principals = "root" + a.users().stream().map(u -> ", user/" + u).collect(Collectors.joining())
                    + a.roles().stream().map(r -> ", role/" + r).collect(Collectors.joining());
            boolean first = true;
            // Account.zones() keeps no order; sort by zone name so the table is the same on every run
            for (Map.Entry<String, String> z : new java.util.TreeMap<>(a.zones()).entrySet()) {
                accounts.row(first ? a.id() : "", z.getKey(), z.getValue(), first ? principals : "");
                first = false;
            }
        }
        accounts.print(out);

        Table subnets = new Table("Subnets", "subnet", "vpc", "account", "zone", "zone id", "cidr");
        for (Subnet s : t.subnets().values()) {
            subnets.row(s.id(), s.vpcId(), s.accountId(), s.zoneName(), s.zoneId(), s.cidr());
        }
        subnets.print(out);

        Table lbs = new Table("Load balancers", "name", "type", "listeners", "cross-zone", "proxy protocol", "arn");
        Table nodes = new Table("Load balancer nodes", "load balancer", "zone", "zone id", "node ip");
        Table targets = new Table("Targets", "load balancer", "zone", "zone id", "target");
        for (LoadBalancer lb : t.loadBalancers().values()) {
            lbs.row(lb.name(), lb.type(), lb.listenerPorts().stream().map(p -> "TCP:" + p).collect(Collectors.joining(" ")),
                    lb.crossZone() ? "on" : "off",
                    proxyProtocol(lb.proxyProtocol()), lb.arn());
            lb.nodes().forEach(n -> nodes.row(lb.name(), n.zoneName(), n.zoneId(), n.ipText()));
            lb.targets().forEach(g -> targets.row(lb.name(), g.zoneName(), g.zoneId(),
                    g.kind() == LoadBalancer.TargetKind.ADDRESS ? g.address()
                            : "builtin " + g.kind().configName() + (g.port() == 0 ? " on " + g.host() + ":<any>"
                            : " on " + g.address())));
        }
        lbs.print(out);
        nodes.print(out);
        targets.print(out);

        Table services = new Table("Endpoint services", "service id", "owner", "state", "acceptance", "zones",
                "service name");
        Table perms = new Table("Allowed principals", "service id", "type", "principal");
        for (ServiceConfiguration s : cp.services()) {
            services.row(s.serviceId(), s.ownerId(), s.state(), s.acceptanceRequired() ? "required" : "automatic",
                    String.join(" ", s.availabilityZones()), s.serviceName());
            for (AllowedPrincipal p : cp.permissions(s.serviceId())) {
                perms.row(s.serviceId(), p.principalType(), p.principal().arn());
            }
        }
        services.print(out);
        perms.print(out);

        Table endpoints = new Table("Interface endpoints", "endpoint id", "owner", "state", "service id", "vpc",
                "regional dns name");
        Table enis = new Table("Endpoint network interfaces", "endpoint id", "interface", "subnet", "zone", "zone id",
                "private ip", "load balancer");
        for (VpcEndpoint e : cp.endpoints()) {
            endpoints.row(e.vpcEndpointId(), e.ownerId(), e.state(), e.serviceId(), e.vpcId(),
                    e.dnsEntries().stream().filter(d -> d.zoneName() == null).map(DnsEntry::dnsName).findFirst()
                            .orElse("-"));
            for (EndpointInterface i : e.interfaces()) {
                enis.row(e.vpcEndpointId(), i.networkInterfaceId(), i.subnetId(), i.zoneName(), i.zoneId(),
                        i.privateIp(), t.loadBalancer(i.loadBalancerArn()).map(LoadBalancer::name).orElse("?"));
            }
        }
        endpoints.print(out);
        enis.print(out);

        Table notes = new Table("Connection notifications", "notification id", "on", "events", "topic");
        for (ConnectionNotification n : cp.notifications()) {
            notes.row(n.connectionNotificationId(), n.serviceId() != null ? n.serviceId() : n.vpcEndpointId(),
                    n.events().stream().sorted().map(ConnectionEvent::wire).collect(Collectors.joining(" ")),
                    n.topicArn());
        }
        notes.print(out);
        out.flush();
    }

    /** {@code v2 aws}, {@code v2 minimal + crc32c}, with {@code , on-first-ack} when it is not NLB's default. */
    private static String proxyProtocol(LoadBalancer.ProxyProtocol pp) {
        if (!pp.enabled()) {
            return "off";
        }
        boolean minimal = pp.layout() == LoadBalancer.ProxyProtocol.Layout.MINIMAL;
        return "v2 " + pp.layout().configName() + (minimal && pp.crc32c() ? " + crc32c" : "")
                + (pp.placement() == LoadBalancer.ProxyProtocol.HeaderPlacement.ON_FIRST_ACK ? ", on-first-ack" : "");
    }
}
