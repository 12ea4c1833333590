package io.plsim.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a running {@code plsim run} through {@link RunningInstance} ({@code --api},
 * {@code --access-key-id}): a {@link RunningInstance.Failure} is one line after the command's name, exit 1.
 */
abstract class RunningWorldCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunningInstance instance;

    /** What the command says to the running plsim and prints of its answers; returns the exit code. */
    abstract int exchange(PrintWriter out) throws RunningInstance.Failure;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            return exchange(out);
        } catch (RunningInstance.Failure f) {
            return refused(f.getMessage(), 1);
        } finally {
            out.flush();
        }
    }

    /** Prints why the command did not do (all of) what it was asked, after the command's name. */
    void report(String why) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + why);
    }

    /** {@link #report}s why and answers {@code exit}. */
    int refused(String why, int exit) {
        report(why);
        return exit;
    }
}
