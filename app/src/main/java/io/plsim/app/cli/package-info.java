/**
 * This package contains the {@code plsim} command line.
 * <p>
 * Its entry point is {@link io.plsim.app.cli.Plsim}, whose subcommands either start a world from a
 * sim-config ({@code run}, {@code scenario}, {@code demo}), read one without starting it
 * ({@code validate}, {@code describe}), talk to a running plsim over its API ({@code endpoints},
 * {@code accept}, {@code reject}, {@code fault}), or drive TCP load at it ({@code load}).
 * <p>
 * What several commands share is a picocli mixin: {@link io.plsim.app.cli.SimConfigFile} for the
 * sim-config argument, {@link io.plsim.app.cli.TransportOption} for {@code --transport} and
 * {@link io.plsim.app.cli.RunningInstance} for the options that reach a running plsim. Exit codes
 * are 0 for success, 2 for input the user has to fix and 1 for anything else.
 */
package io.plsim.app.cli;
