package io.plsim.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The report files a command was asked to write, checked before it runs rather than after. */
final class OutputFiles {

    private OutputFiles() {
    }

    /** What stops one of {@code files} (nulls skipped) from being written, or empty when nothing does. */
    static Optional<String> problem(Path... files) {
        for (Path f : files) {
            if (f != null) {
                Path dir = f.toAbsolutePath().getParent();
                if (dir == null || !Files.isDirectory(dir) || Files.isDirectory(f)) {
                    return Optional.of("cannot write " + f + ": " + (Files.isDirectory(f) ? "it is a directory"
                            : "no directory " + dir));
                }
            }
        }
        return Optional.empty();
    }
}
