package io.plsim.app.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code plsim} as separate processes on the test's class path, as a user runs it: started and
 * waited for, with a deadline, until it says it runs; every one killed when the test ends.
 */
final class PlsimProcesses implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Pattern API = Pattern.compile("^api (http://127\\.0\\.0\\.1:\\d+)");

    private final List<Process> processes = new ArrayList<>();

    /** A running {@code plsim run}: its process, its API URL, and what it printed so far. */
    record Running(Process process, String url, List<String> out) {
        /** What it printed so far, copied under the lock the reader adds lines with. */
        @Override
        public List<String> out() {
            return snapshot(out);
        }

        /** The first line printed that starts with {@code prefix}. */
        String line(String prefix) {
            synchronized (out) {
                return out.stream().filter(l -> l.startsWith(prefix)).findFirst()
                        .orElseThrow(() -> new AssertionError("no line starting with " + prefix + " in:\n"
                                + String.join("\n", out)));
            }
        }
    }

    private static ProcessBuilder plsim(int openFiles, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Plsim.class.getName()));
        cmd.addAll(List.of(args));
        if (openFiles > 0) {
            // The limit on open files lowered for this process only, by the shell that execs it.
            StringBuilder line = new StringBuilder("ulimit -n " + openFiles + " && exec");
            cmd.forEach(c -> line.append(" '").append(c.replace("'", "'\\''")).append('\''));
            return new ProcessBuilder("bash", "-c", line.toString()).redirectErrorStream(true);
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    private static ProcessBuilder plsim(String... args) {
        return plsim(0, args);
    }

    /** Starts {@code plsim ARGS} and waits until it prints that it runs. */
    Running start(String... args) throws Exception {
        return startLimited(0, args);
    }

    /** The same with the process's open files limited to {@code openFiles} ({@code ulimit -n}); 0 for no limit. */
    Running startLimited(int openFiles, String... args) throws Exception {
        Process p = plsim(openFiles, args).start();
        processes.add(p);
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        String[] url = {null};
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = API.matcher(line);
                    if (m.find()) {
                        url[0] = m.group(1);
                    }
                    out.add(line);
                }
            } catch (IOException ignored) {
                // the process was killed
            }
        }, "plsim-output");
        reader.setDaemon(true);
        reader.start();
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!printed(out, "plsim: running")) {
            if (!p.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("plsim did not start: " + String.join("\n", snapshot(out)));
            }
            Thread.sleep(20);
        }
        return new Running(p, url[0], out);
    }

    /** What a {@code plsim} that ended printed, and its exit code. */
    record Ended(int exit, String out) {
    }

    /**
     * Runs {@code plsim ARGS} with its open files limited to {@code openFiles} until it ends by itself, within
     * {@link #DEADLINE} (killed and failed after that).
     */
    Ended runToEnd(int openFiles, String... args) throws Exception {
        Process p = plsim(openFiles, args).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        processes.add(p);
        java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e.getMessage() + ")";
            }
        });
        if (!p.waitFor(DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("plsim did not end within " + DEADLINE);
        }
        return new Ended(p.exitValue(), out.get(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    }

    /** Whether a line starts with {@code prefix}, read under the list's lock while the reader adds lines. */
    private static boolean printed(List<String> out, String prefix) {
        synchronized (out) {
            return out.stream().anyMatch(l -> l.startsWith(prefix));
        }
    }

    /** The lines so far, copied under the list's lock. */
    private static List<String> snapshot(List<String> out) {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    /** Runs {@code plsim ARGS}, expected to exit by itself; answers its exit code and output. */
    Map.Entry<Integer, String> exited(String... args) throws Exception {
        Process p = plsim(args).start();
        processes.add(p);
        assertTrue(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "plsim should have exited");
        return Map.entry(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
