package io.plsim.app.cli;

import io.plsim.core.config.SimConfigException;
import io.plsim.core.config.SimConfigLoader;
import io.plsim.core.config.World;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ListResourceBundle;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The FILE of the commands that read a sim-config, and its loading.
 *
 * <p>The help text of FILE says what the command does with the file, so it differs from command to
 * command; picocli looks it up in {@link Descriptions} under the command's qualified name.
 */
@Command(resourceBundle = "io.plsim.app.cli.SimConfigFile$Descriptions")
final class SimConfigFile {

    @Parameters(index = "0", paramLabel = "FILE", descriptionKey = "sim-config")
    Path path;

    World load() throws SimConfigException {
        return SimConfigLoader.load(path);
    }

    /** The world of the file; empty once every problem in it is printed to {@code err}. */
    Optional<World> world(PrintWriter err) {
        return read(err, java.time.Clock.systemUTC()).map(Read::world);
    }

    /** A world and the text it was read from. */
    record Read(World world, String text) {
    }

    /**
     * The world of the file, telling time by {@code clock}, with the text it was made from (read once);
     * empty once every problem is printed to {@code err}.
     */
    Optional<Read> read(PrintWriter err, java.time.Clock clock) {
        try {
            String text = SimConfigLoader.read(path);
            return Optional.of(new Read(SimConfigLoader.load(path.toString(), text, clock), text));
        } catch (SimConfigException e) {
            e.problems().forEach(err::println);
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }

    /** What FILE is, command by command; a command without a line here shows FILE undescribed. */
    public static final class Descriptions extends ListResourceBundle {
        @Override
        protected Object[][] getContents() {
            return new Object[][] {
                {"plsim.run.sim-config", "The sim-config (YAML) to run."},
                {"plsim.validate.sim-config", "The sim-config (YAML) to check."},
                {"plsim.describe.sim-config", "The sim-config (YAML) to describe."},
                {"plsim.scenario.sim-config", "A sim-config with a scenario section."},
            };
        }
    }
}
