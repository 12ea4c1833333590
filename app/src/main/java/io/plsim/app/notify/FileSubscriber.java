package io.plsim.app.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends each envelope as one line of JSON to a file. */
final class FileSubscriber extends QueuedSubscriber {

    private final Path file;

    FileSubscriber(Path file, long initialBackoffMillis) {
        super("file", initialBackoffMillis);
        this.file = file;
        start();
    }

    @Override
    void deliver(Envelope e) throws IOException {
        Files.writeString(file, e.json() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    @Override
    public String describe() {
        return "file " + file;
    }
}
