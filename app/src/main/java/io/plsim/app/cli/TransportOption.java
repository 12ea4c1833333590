package io.plsim.app.cli;

import io.plsim.dataplane.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code --transport} option of the commands that start a world. */
final class TransportOption {

    // The command's own spec, so that a bad value is reported with that command's usage.
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = "auto",
            description = "Socket transport: auto (io_uring where the kernel allows it, else native epoll, else NIO),"
                    + " io_uring, epoll or nio.")
    String name;

    /** The transport asked for, with why on a fallback; a refusal with the command's usage. */
    Transport.Choice choice() {
        try {
            return Transport.choose(name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
        }
    }
}
