package io.plsim.app.cli;

import io.plsim.core.config.ConfigProblem;
import io.plsim.core.config.SimConfigException;
import io.plsim.core.config.World;
import io.plsim.core.control.EndpointState;
import io.plsim.core.control.VpcEndpoint;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks a sim-config: exit 0 and a one-screen summary, or exit 2 and every problem found,"
                + " each with its file, line and field path.")
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SimConfigFile file;

    @Override
    public Integer call() {
        World world;
        try {
            world = file.load();
        } catch (SimConfigException e) {
            for (ConfigProblem p : e.problems()) {
                spec.commandLine().getErr().println(p);
            }
            spec.commandLine().getErr().println(file + ": " + e.problems().size()
                    + (e.problems().size() == 1 ? " problem" : " problems"));
            return Plsim.EXIT_BAD_INPUT;
        }
        var out = spec.commandLine().getOut();
        var t = world.topology();
        out.println(file + ": valid");
        out.printf("  region         %s%n", t.region());
        out.printf("  accounts       %d%n", t.accounts().size());
        out.printf("  vpcs           %d (%d subnets)%n", t.vpcs().size(), t.subnets().size());
        out.printf("  loadBalancers  %d (%d nodes, %d targets)%n", t.loadBalancers().size(),
                t.loadBalancers().values().stream().mapToInt(lb -> lb.nodes().size()).sum(),
                t.loadBalancers().values().stream().mapToInt(lb -> lb.targets().size()).sum());
        out.printf("  services       %d%n", world.serviceIds().size());
        var endpoints = world.controlPlane().endpoints();
        out.printf("  endpoints      %d (%d available, %d pendingAcceptance, %d interfaces)%n", endpoints.size(),
                endpoints.stream().filter(e -> e.state() == EndpointState.AVAILABLE).count(),
                endpoints.stream().filter(e -> e.state() == EndpointState.PENDING_ACCEPTANCE).count(),
                endpoints.stream().mapToInt(e -> e.interfaces().size()).sum());
        out.printf("  notifications  %d%n", world.controlPlane().notifications().size());
        out.printf("  admission      %s%n", world.simulation().admission().name().toLowerCase(java.util.Locale.ROOT));
        for (VpcEndpoint e : endpoints) {
            out.printf("  endpoint %s -> %s (%s)%n", e.vpcEndpointId(), e.serviceId(), e.state().wire());
        }
        return 0;
    }
}
