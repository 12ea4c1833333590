package io.plsim.app.cli;

import java.io.PrintWriter;
import java.util.Optional;
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
            LoadCommand.class, ProbeCommand.class,
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
        CommandLine.IParameterExceptionHandler standard = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, rest) -> {
            Optional<String> command = unknownCommand(ex);
            if (command.isEmpty()) {
                return standard.handleParseException(ex, rest);
            }
            ex.getCommandLine().getErr().println("plsim: unknown command '" + command.get() + "'; see plsim --help");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionStrategy(parsed -> {
            // With --help picocli drops what it could not match and shows the help; "plsim inspect --help"
            // would then pass for a command that exists.
            if (!parsed.unmatched().isEmpty() && !parsed.unmatched().get(0).startsWith("-")) {
                throw new CommandLine.UnmatchedArgumentException(cl, parsed.unmatched());
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl.execute(args);
    }

    /** The word given as a command that plsim does not have; empty when the error is another. */
    private static Optional<String> unknownCommand(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && ex.getCommandLine().getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            return Optional.of(u.getUnmatched().get(0));
        }
        return Optional.empty();
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
