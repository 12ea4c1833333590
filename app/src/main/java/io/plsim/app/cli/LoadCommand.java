package io.plsim.app.cli;

import io.netty.util.ResourceLeakDetector;
import io.plsim.dataplane.Transport;
import io.plsim.app.load.LoadGenerator;
import io.plsim.app.load.LoadMode;
import io.plsim.app.load.LoadReport;
import io.plsim.app.load.LoadSpec;
import io.plsim.app.load.LoadTarget;
import io.plsim.app.load.Units;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = LoadCompareCommand.class,
        description = {"A TCP load generator for what plsim runs: an endpoint's DNS name (with",
            "--dns), an endpoint network interface address, or any host:port on",
            "loopback (127.0.0.0/8 or localhost only).",
            "",
            "Modes:",
            "  rr      requests at a fixed open-loop --rate over --connections;",
            "          latency counts from each request's intended send time",
            "          (corrected for coordinated omission)",
            "  closed  each connection sends its next request when the answer comes",
            "  churn   a connection per request (connect, send, read, close), at",
            "          --rate or as fast as possible, at most --connections at once",
            "  bulk    streams --bytes-per-connection (or until the end) both ways",
            "",
            "A request is --payload-size bytes answered by as many (an echo), or with",
            "--http an HTTP/1.1 GET (keep-alive) answered by one response. Prints a",
            "line every second and a table at the end; --hgrm, --json and --html",
            "write files. plsim load compare A.json B.json lays runs side by side.",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the error ratio is within --max-error-ratio and the run is reliable",
            "1:the error ratio is not (or the run failed)", "2:bad flags or a target that is not on loopback",
            "3:unreliable: plsim load's own lateness p99 was above the larger of 1 ms and a tenth of the latency"
                    + " p99, so the latency measures it, not the target (see --allow-late)"})
final class LoadCommand implements Callable<Integer> {

    static final Duration MAX_DURATION = Duration.ofHours(1);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    static final int MAX_CONNECTIONS = 50_000;
    static final double MAX_RATE = 1_000_000;
    static final long MAX_PAYLOAD = 16L << 20;

    @Spec
    CommandSpec spec;

    // Optional to picocli only so that `plsim load compare` needs none; a run checks it is there.
    @Parameters(index = "0", paramLabel = "TARGET", arity = "0..1",
            description = "host:port on loopback: 127.x.y.z:PORT, localhost:PORT, or an endpoint DNS name with --dns.")
    String target;

    @Option(names = {"-m", "--mode"}, paramLabel = "rr|closed|churn|bulk", defaultValue = "rr",
            description = "How to drive the connections (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = {"-r", "--rate"}, paramLabel = "N/s",
            description = "Requests per second for rr (default 1000/s) and churn (default max).")
    String rate;

    @Option(names = {"-c", "--connections"}, paramLabel = "C", defaultValue = "8",
            description = "Connections (churn: at most this many at once) (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-d", "--duration"}, paramLabel = "TIME", defaultValue = "10s",
            description = "How long to send: 10s, 500ms, 2m, 1h at most (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = {"-n", "--requests"}, paramLabel = "N",
            description = "Stop after N requests (still within --duration).")
    Long requests;

    @Option(names = "--payload-size", paramLabel = "BYTES",
            description = "Bytes per request, answered by as many (an echo): 64, 1k, ... (default 64).")
    String payloadSize;

    @Option(names = "--http", description = "Send HTTP/1.1 GET requests (keep-alive) and read one response each.")
    boolean http;

    @Option(names = "--path", paramLabel = "PATH", description = "The path of --http requests (default /).")
    String path;

    @Option(names = "--proxy-header", paramLabel = "v2|none", defaultValue = "none",
            description = "Send a Proxy Protocol v2 header first on every connection, for targets that expect one.")
    String proxyHeader;

    @Option(names = "--bytes-per-connection", paramLabel = "BYTES",
            description = "bulk: bytes each connection sends (e.g. 64m); default until --duration ends.")
    String bytesPerConnection;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "2s",
            description = "Connect timeout, and the longest a request may take from its intended send time"
                    + " (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--warmup", paramLabel = "TIME",
            description = "Run the same load for TIME first and throw its figures away (JIT, caches); default none.")
    String warmup;

    @Option(names = "--max-error-ratio", paramLabel = "R", defaultValue = "0.01",
            description = "Exit 1 when errors / (answers + errors) is above R (default: ${DEFAULT-VALUE}).")
    double maxErrorRatio;

    @Option(names = "--allow-late", description = "Exit 0 from a run that is unreliable because plsim load itself"
            + " was late on its timetable (the report still says so).")
    boolean allowLate;

    @Option(names = "--dns", paramLabel = "IP:PORT",
            description = "The plsim DNS server that resolves a TARGET name (an endpoint DNS name).")
    String dns;

    @Option(names = "--dns-ttl", paramLabel = "TIME", defaultValue = "1s",
            description = {"For a TARGET name: how long a DNS answer is used before the name is resolved again"
                    + " (default: ${DEFAULT-VALUE}); each new connection takes the next address of the latest answer,"
                    + " so flows spread over every zone the name answers and follow DNS failover."})
    String dnsTtl;

    @Option(names = "--api", paramLabel = "URL", defaultValue = "http://127.0.0.1:4566",
            description = {"A running plsim's API, asked at the end which zone (name and AZ ID) and endpoint"
                    + " interface each address is, for the breakdown by address (default: ${DEFAULT-VALUE});"
                    + " a plsim that does not answer leaves the addresses unnamed."})
    String api;

    @Option(names = "--hgrm", paramLabel = "FILE",
            description = "Write HdrHistogram's percentile distribution of the latency (microseconds).")
    Path hgrm;

    @Option(names = "--json", paramLabel = "FILE", description = "Write a JSON summary.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Write a self-contained HTML report with a latency-by-percentile plot.")
    Path html;

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = "auto",
            description = "Socket transport. auto: io_uring where the kernel allows it, else native epoll (the native"
                    + " transports' timers keep the timetable to microseconds; NIO's wake up to 1 ms late), else NIO.")
    String transport;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0",
            description = "Event loop threads; 0 for one per core (never more than --connections).")
    int ioThreads;

    @Option(names = {"-q", "--quiet"}, description = "No line every second; only the table at the end.")
    boolean quiet;

    /**
     * Netty's leak detector, at its default level, records a stack trace for one buffer in 128: about 1% of
     * the generator's CPU at saturation, spent measuring itself. Off for a load run unless the user (or a
     * test, at PARANOID) chose a level.
     */
    static void quietLeakDetector() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadSpec load = validate();
        quietLeakDetector();
        if (warmupDuration != null) {
            out.println("warmup " + Units.format(warmupDuration) + " ...");
            out.flush();
            LoadReport w = LoadGenerator.run(load.warmup(warmupDuration), out);
            String kinds = w.errors().isEmpty() ? "" : w.errors().entrySet().stream()
                    .map(e -> e.getKey().label() + " " + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", ", " (", ")"));
            out.println(String.format(Locale.ROOT, "warmup done: %d ok, %d errors%s, %.1f %s; measuring now",
                    w.ok(), w.errorTotal(), kinds,
                    load.mode() == LoadMode.BULK ? w.mbPerSecondSent() : w.requestsPerSecond(),
                    load.mode() == LoadMode.BULK ? "MB/s sent" : "req/s"));
            out.flush();
        }
        LoadReport report = LoadGenerator.run(load, out);
        report.printTable(out);
        int exit = report.exitCode();
        try {
            if (hgrm != null) {
                report.writeHgrm(hgrm);
                out.println("  wrote " + hgrm);
            }
            if (json != null) {
                report.writeJson(json);
                out.println("  wrote " + json);
            }
            if (html != null) {
                report.writeHtml(html);
                out.println("  wrote " + html);
            }
        } catch (IOException e) {
            err.println("plsim load: cannot write a report file: " + e.getMessage());
            exit = 1;
        }
        out.flush();
        if (report.exitCode() == LoadReport.EXIT_ERRORS) {
            err.println(String.format(Locale.ROOT, "plsim load: error ratio %.4f is above --max-error-ratio %.4f"
                    + " (%d errors)", report.errorRatio(), load.maxErrorRatio(), report.errorTotal()));
        } else if (report.exitCode() == LoadReport.EXIT_UNRELIABLE) {
            err.println("plsim load: unreliable run: " + report.reliability().reason()
                    + " (--allow-late to exit 0 anyway)");
        }
        return exit;
    }

    private Duration warmupDuration;

    private LoadSpec validate() {
        if (target == null) {
            throw bad("missing TARGET: host:port on loopback, or an endpoint DNS name with --dns"
                    + " (or plsim load compare A.json B.json to lay reports side by side)");
        }
        LoadMode m = parse("--mode", () -> LoadMode.parse(mode));
        Duration d = parse("--duration", () -> Units.duration(duration));
        if (d.isZero() || d.compareTo(MAX_DURATION) > 0) {
            throw bad("--duration must be above 0 and at most 1h, found " + duration);
        }
        if (warmup != null) {
            Duration w = parse("--warmup", () -> Units.duration(warmup));
            if (w.compareTo(Duration.ofMinutes(10)) > 0) {
                throw bad("--warmup must be at most 10m, found " + warmup);
            }
            warmupDuration = w.isZero() ? null : w;
        }
        Duration ttl = parse("--dns-ttl", () -> Units.duration(dnsTtl));
        if (ttl.toMillis() < 10 || ttl.compareTo(Duration.ofMinutes(10)) > 0) {
            throw bad("--dns-ttl must be from 10ms to 10m, found " + dnsTtl);
        }
        Duration t = parse("--timeout", () -> Units.duration(timeout));
        if (t.toMillis() < 1 || t.compareTo(MAX_TIMEOUT) > 0) {
            throw bad("--timeout must be from 1ms to 60s, found " + timeout);
        }
        double r;
        if (rate == null) {
            r = m == LoadMode.RR ? 1000 : 0;
        } else {
            if (m == LoadMode.CLOSED || m == LoadMode.BULK) {
                throw bad("--rate applies to --mode rr and churn; " + m.label() + " runs as fast as it can");
            }
            r = parse("--rate", () -> Units.rate(rate));
            if (r == 0 && m == LoadMode.RR) {
                throw bad("--mode rr needs a rate in requests per second; for the highest rate use --mode closed");
            }
            if (r > MAX_RATE) {
                throw bad("--rate must be at most 1000000/s, found " + rate);
            }
        }
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw bad("--connections must be from 1 to " + MAX_CONNECTIONS + ", found " + connections);
        }
        long n = 0;
        if (requests != null) {
            if (m == LoadMode.BULK) {
                throw bad("--requests does not apply to --mode bulk; use --bytes-per-connection or --duration");
            }
            if (requests < 1) {
                throw bad("--requests must be at least 1, found " + requests);
            }
            n = requests;
        }
        if (http && m == LoadMode.BULK) {
            throw bad("--http does not apply to --mode bulk, which streams raw bytes");
        }
        int payload = 64;
        if (payloadSize != null) {
            if (http) {
                throw bad("--payload-size and --http exclude each other: an HTTP request is a GET");
            }
            if (m == LoadMode.BULK) {
                throw bad("--payload-size does not apply to --mode bulk; use --bytes-per-connection");
            }
            long p = parse("--payload-size", () -> Units.size(payloadSize));
            if (p < 1 || p > MAX_PAYLOAD) {
                throw bad("--payload-size must be from 1 byte to 16m, found " + payloadSize);
            }
            payload = (int) p;
        }
        String httpPath = "/";
        if (path != null) {
            if (!http) {
                throw bad("--path needs --http");
            }
            if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
                throw bad("--path must start with / and hold no spaces or control characters, found " + path);
            }
            httpPath = path;
        }
        long bytes = 0;
        if (bytesPerConnection != null) {
            if (m != LoadMode.BULK) {
                throw bad("--bytes-per-connection applies to --mode bulk only");
            }
            bytes = parse("--bytes-per-connection", () -> Units.size(bytesPerConnection));
            if (bytes < 1) {
                throw bad("--bytes-per-connection must be at least 1, found " + bytesPerConnection);
            }
        }
        boolean proxy = switch (proxyHeader.toLowerCase(Locale.ROOT)) {
            case "v2" -> true;
            case "none" -> false;
            default -> throw bad("--proxy-header: expected v2 or none, found " + proxyHeader);
        };
        if (!(maxErrorRatio >= 0 && maxErrorRatio <= 1)) {
            throw bad("--max-error-ratio must be from 0 to 1, found " + maxErrorRatio);
        }
        if (ioThreads < 0 || ioThreads > 256) {
            throw bad("--io-threads must be from 0 to 256, found " + ioThreads);
        }
        if (hgrm != null && m == LoadMode.BULK) {
            throw bad("--hgrm needs a latency: use it with --mode rr, closed or churn");
        }
        Optional<String> unwritable = OutputFiles.problem(hgrm, json, html);
        if (unwritable.isPresent()) {
            throw bad(unwritable.get());
        }
        Transport tr = transport();
        InetSocketAddress dnsServer = null;
        LoadTarget lt;
        try {
            if (dns != null) {
                dnsServer = LoadTarget.dnsServer(dns);
            }
            lt = LoadTarget.resolve(target, dnsServer, t);
        } catch (LoadTarget.BadTarget e) {
            throw bad(e.getMessage());
        }
        return new LoadSpec(lt, m, r, connections, d, n, payload, http, httpPath, proxy, t, bytes, maxErrorRatio, tr,
                ioThreads, !quiet, ttl, apiUri(), allowLate);
    }

    private java.net.URI apiUri() {
        java.net.URI u;
        try {
            u = java.net.URI.create(api);
        } catch (IllegalArgumentException e) {
            throw bad("--api must be a URL such as http://127.0.0.1:4566, found " + api);
        }
        if (!"http".equals(u.getScheme()) || u.getHost() == null || !u.getHost().matches("127(\\.\\d{1,3}){3}|localhost")) {
            throw bad("--api must be an http:// URL on loopback (127.0.0.0/8), found " + api);
        }
        return u;
    }

    /**
     * The transport: a native one where the platform has it; its timers are exact, where NIO's
     * select wakes up to a millisecond late, which would count in every latency of an open-loop run.
     */
    private Transport transport() {
        try {
            return Transport.choose(transport).transport();
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private interface Parse<T> {
        T get();
    }

    private <T> T parse(String option, Parse<T> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw bad(option + ": " + e.getMessage());
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), "plsim load: " + message);
    }
}
