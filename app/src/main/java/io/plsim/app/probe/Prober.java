package io.plsim.app.probe;

import io.plsim.app.probe.ProbeCase.Finish;
import io.plsim.app.probe.ProbeCase.Must;
import io.plsim.app.probe.ProbeCase.Pause;
import io.plsim.app.probe.ProbeCase.Send;
import io.plsim.app.probe.ProbeCase.Step;
import io.plsim.app.probe.ProbeResult.Outcome;
import io.plsim.app.probe.ProbeResult.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs the probe: one connection per {@link ProbeCase}, one after another, each script sent with Nagle off so
 * that every {@link Send} is its own segment, and what the service does classified as answered, closed, reset
 * or silent. This is the entry point of {@code io.plsim.app.probe}.
 *
 * <p>Everything is bounded: a connect waits at most the timeout, each case ends at most the timeout after its
 * script, a service that stops reading mid-script has its connection closed by a watchdog (a blocking write
 * has no timeout of its own), and at most {@link #MAX_KEPT_BYTES} of an answer are kept. An answer is complete when the service
 * closes, when it matches {@code --expect}, or once it has been quiet for {@link #QUIET_MILLIS} after its
 * first bytes, so a service that keeps the connection open does not hold each case for the whole timeout.
 */
public final class Prober {

    static final int MAX_KEPT_BYTES = 64 * 1024;
    static final long QUIET_MILLIS = 150;
    private static final int EXCERPT_CHARS = 60;

    /**
     * How to probe.
     *
     * @param target  the service
     * @param request what follows the header in every case
     * @param expect  what an answer must match to count as served, or {@code null} for any answer
     * @param timeout the longest a connect, and the wait after a script, may take
     * @param hold    how long the held-back case stays quiet
     * @param v1      whether the service expects v1 instead of v2
     */
    public record Settings(InetSocketAddress target, byte[] request, Pattern expect, Duration timeout,
            Duration hold, boolean v1) {
        public Settings {
            request = request.clone();
        }

        @Override
        public byte[] request() {
            return request.clone();
        }
    }

    /** The target could not be reached at all; the message is for the user. */
    public static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    private Prober() {
    }

    /** The catalogue's cases for these settings. */
    public static List<ProbeCase> cases(Settings s) {
        return ProbeCases.of(s.v1(), s.request(), s.target().getPort(), s.hold().toMillis());
    }

    /**
     * Runs every case, telling {@code progress} of each result as it comes.
     *
     * @throws Unreachable if the service refuses or times out the first connect, so that a typo in the port
     *     is not reported as two dozen failing cases
     */
    public static ProbeReport run(Settings s, Consumer<ProbeResult> progress) throws Unreachable {
        return run(s, progress, null);
    }

    /** Runs the cases with these ids ({@code null} for all), in the catalogue's order. */
    public static ProbeReport run(Settings s, Consumer<ProbeResult> progress, List<String> only) throws Unreachable {
        List<ProbeCase> cases = cases(s).stream().filter(c -> only == null || only.contains(c.id())).toList();
        List<ProbeResult> results = new ArrayList<>(cases.size());
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plsim-probe-watchdog");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < cases.size(); i++) {
                results.add(runOne(s, cases.get(i), i == 0, watchdog));
                progress.accept(results.get(i));
            }
        } finally {
            watchdog.shutdownNow();
        }
        return new ProbeReport(s, results);
    }

    /**
     * @throws Unreachable if this is the first case and its connect fails
     */
    private static ProbeResult runOne(Settings s, ProbeCase c, boolean first, ScheduledExecutorService watchdog)
            throws Unreachable {
        try {
            return run(s, c, watchdog);
        } catch (ConnectException | SocketTimeoutException e) {
            if (first) {
                throw new Unreachable("cannot connect to " + text(s.target()) + ": " + reason(e));
            }
            return unconnected(c, s, e);
        } catch (IOException e) {
            return unconnected(c, s, e);
        }
    }

    /** One case on a connection of its own. */
    static ProbeResult run(Settings s, ProbeCase c, ScheduledExecutorService watchdog) throws IOException {
        int timeout = (int) Math.max(1, s.timeout().toMillis());
        long pauses = c.steps().stream().mapToLong(st -> st instanceof Pause p ? p.millis() : 0).sum();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            long start = System.nanoTime();
            socket.connect(s.target(), timeout);
            Exchange x = new Exchange(socket, start);
            // Past this the script has been stuck in a write: the service stopped reading.
            ScheduledFuture<?> stuck = watchdog.schedule(x::stall, pauses + 2L * timeout + 1000, TimeUnit.MILLISECONDS);
            try {
                x.script(c.steps());
                long beforeSent = x.total;
                if (!x.ended && !x.stalled) {
                    x.awaitAnswer(s.expect(), timeout);
                }
                return judge(c, s, x, beforeSent);
            } finally {
                stuck.cancel(false);
            }
        }
    }

    /** What happened on one connection. */
    private static final class Exchange {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final long start;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        long total;
        boolean ended;
        boolean reset;
        long endedAtMillis;
        volatile boolean stalled;

        Exchange(Socket socket, long start) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.start = start;
        }

        void script(List<Step> steps) throws IOException {
            for (Step step : steps) {
                if (ended) {
                    return;
                }
                try {
                    if (step instanceof Send send) {
                        out.write(send.bytes());
                        out.flush();
                    } else if (step instanceof Pause pause) {
                        readFor(pause.millis(), false);
                    } else if (step instanceof Finish) {
                        socket.shutdownOutput();
                    }
                } catch (SocketException e) {
                    if (stalled) {
                        return;
                    }
                    // The service closed or reset while the script was still sending: see what it left.
                    readFor(50, true);
                    if (!ended) {
                        end(true);
                    }
                    return;
                }
            }
        }

        /** Reads until the answer is complete, or the timeout. */
        void awaitAnswer(Pattern expect, int timeoutMillis) throws IOException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (!ended && System.nanoTime() < deadline) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                if (total > 0 && (expect == null || expect.matcher(text()).find())) {
                    readFor(Math.min(left, QUIET_MILLIS), true);
                    return;
                }
                readFor(left, true);
            }
        }

        /**
         * Reads what comes within {@code millis}, or until the connection ends; with {@code untilQuiet}, returns
         * at the first wait of that length that brings nothing.
         */
        void readFor(long millis, boolean untilQuiet) throws IOException {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            byte[] buf = new byte[8192];
            while (!ended) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    return;
                } catch (SocketException e) {
                    end(true);
                    return;
                }
                if (n < 0) {
                    end(false);
                    return;
                }
                total += n;
                received.write(buf, 0, (int) Math.min(n, Math.max(0, MAX_KEPT_BYTES - received.size())));
                if (untilQuiet) {
                    deadline = Math.min(deadline, System.nanoTime() + QUIET_MILLIS * 1_000_000L);
                }
            }
        }

        /** The watchdog's verdict: the script could not finish sending in time. */
        void stall() {
            stalled = true;
            try {
                socket.close();
            } catch (IOException e) {
                // closing is all that was wanted
            }
        }

        private void end(boolean reset) {
            if (stalled) {
                return;
            }
            ended = true;
            this.reset = reset;
            endedAtMillis = (System.nanoTime() - start) / 1_000_000;
        }

        long elapsedMillis() {
            return ended ? endedAtMillis : (System.nanoTime() - start) / 1_000_000;
        }

        String text() {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static ProbeResult judge(ProbeCase c, Settings s, Exchange x, long beforeSent) {
        Outcome outcome = x.total > 0 && !x.stalled ? Outcome.ANSWERED : !x.ended ? Outcome.SILENT
                : x.reset ? Outcome.RESET : Outcome.CLOSED;
        boolean matched = x.total > 0 && (s.expect() == null || s.expect().matcher(x.text()).find());
        String answer = excerpt(x.text());
        long ms = x.elapsedMillis();
        String what = switch (outcome) {
            case ANSWERED -> "answered " + quote(answer) + (x.ended ? (x.reset ? ", then reset" : ", then closed") : "")
                    + (s.expect() != null && !matched ? " (not matching --expect)" : "");
            case CLOSED -> "closed after " + ms + " ms without answering";
            case RESET -> "reset after " + ms + " ms without answering";
            case SILENT -> x.stalled ? "stopped reading: the probe could not send everything in "
                    + x.elapsedMillis() + " ms" : "neither answered nor closed in " + s.timeout().toMillis() + " ms";
        };
        if (beforeSent > 0 && outcome == Outcome.ANSWERED) {
            what += "; " + beforeSent + " byte(s) came before the probe had sent everything";
        }
        Verdict verdict = switch (c.must()) {
            case ACCEPT -> matched ? Verdict.PASS : Verdict.FAIL;
            case REFUSE -> !matched && x.ended ? Verdict.PASS : Verdict.FAIL;
            case EITHER -> Verdict.INFO;
        };
        String evidence = verdict == Verdict.FAIL && !c.onFail().isEmpty()
                ? what + ": the parser " + c.onFail() : what;
        if (verdict == Verdict.FAIL && c.must() == Must.REFUSE && !x.ended && !matched && x.total == 0) {
            evidence = what + ": a correct parser drops the connection (" + c.onFail() + ")";
        }
        return new ProbeResult(c, outcome, verdict, x.total, answer, matched, x.ended, beforeSent, ms, evidence);
    }

    private static ProbeResult unconnected(ProbeCase c, Settings s, IOException e) {
        String evidence = "could not run: " + reason(e);
        return new ProbeResult(c, Outcome.SILENT, c.must() == Must.EITHER ? Verdict.INFO : Verdict.FAIL, 0, "",
                false, false, 0, 0, evidence);
    }

    /**
     * The first line of an answer, printable: at most 60 characters, CR and LF before any text as
     * {@code \r} and {@code \n}, other control characters and bytes above 0x7E as {@code \xNN}.
     */
    static String excerpt(String text) {
        StringBuilder b = new StringBuilder();
        boolean printed = false;
        for (int i = 0; i < text.length() && b.length() < EXCERPT_CHARS; i++) {
            char c = text.charAt(i);
            if ((c == '\r' || c == '\n') && printed) {
                break;
            }
            if (c == '\r' || c == '\n') {
                b.append(c == '\r' ? "\\r" : "\\n");
            } else if (c < 0x20 || c >= 0x7F) {
                b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c);
                printed = true;
            }
        }
        return b.length() > EXCERPT_CHARS ? b.substring(0, EXCERPT_CHARS) : b.toString();
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    static String text(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static String reason(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "no answer to the connect (timed out)";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
    }
}
