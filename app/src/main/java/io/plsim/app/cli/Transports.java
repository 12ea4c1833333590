package io.plsim.app.cli;

import io.netty.channel.epoll.Epoll;
import io.plsim.dataplane.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code --transport} option's values. */
final class Transports {

    private Transports() {
    }

    static Transport parse(String name, CommandSpec spec) {
        return switch (name) {
            case "auto" -> Transport.best();
            case "nio" -> Transport.nio();
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--transport epoll: native epoll is not available here ("
                                    + Epoll.unavailabilityCause().getMessage() + "); use auto or nio");
                }
                yield Transport.epoll();
            }
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--transport: expected auto, epoll or nio, found " + name);
        };
    }
}
