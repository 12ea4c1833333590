package io.plsim.app.cli;

import io.netty.channel.epoll.Epoll;
import io.plsim.dataplane.Transport;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code --transport} option of the commands that start a world. */
final class TransportOption {

    // The command's own spec, so that a bad value is reported with that command's usage.
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--transport", paramLabel = "epoll|nio", defaultValue = "auto",
            description = "Socket transport: auto (native epoll where the platform has it, else NIO), epoll or nio.")
    String name;

    Transport transport() {
        return switch (name) {
            case "auto" -> {
                Transport.fallbackNote().ifPresent(note -> System.err.println("plsim: " + note));
                yield Transport.best();
            }
            case "nio" -> Transport.nio();
            case "epoll" -> epoll(message -> new CommandLine.ParameterException(command.commandLine(), message));
            default -> throw new CommandLine.ParameterException(command.commandLine(),
                    "--transport: expected auto, epoll or nio, found " + name);
        };
    }

    /** Native epoll, or the refusal that says why this machine has none. */
    static Transport epoll(Function<String, ? extends RuntimeException> refusal) {
        if (!Epoll.isAvailable()) {
            throw refusal.apply("--transport epoll: native epoll is not available here ("
                    + Epoll.unavailabilityCause().getMessage() + "); use auto or nio");
        }
        return Transport.epoll();
    }
}
