package io.plsim.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code plsim} command: a simulator of AWS PrivateLink endpoint services.
 */
@Command(name = "plsim", mixinStandardHelpOptions = true, versionProvider = Plsim.Version.class,
        description = "Simulates AWS PrivateLink endpoint services on this machine's loopback: the control plane"
                + " of the user guide, interface endpoints, Network Load Balancer nodes and Proxy Protocol v2.",
        subcommands = {DemoCommand.class, RunCommand.class, ValidateCommand.class, DescribeCommand.class,
            EndpointsCommand.class, DecideCommand.Accept.class, DecideCommand.Reject.class, FaultCommand.class,
            ScenarioCommand.class,
            LoadCommand.class,
            CommandLine.HelpCommand.class})
public final class Plsim implements Runnable {

    /** Exit code for a config or request that is wrong: the user has something to fix. */
    static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams and answers the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Plsim());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            // An unexpected failure still gets one clear line, never a stack trace.
            line.getErr().println("plsim: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Plsim.class.getPackage().getImplementationVersion();
            return new String[] {"plsim " + (v == null ? "(development build)" : v)};
        }
    }
}
