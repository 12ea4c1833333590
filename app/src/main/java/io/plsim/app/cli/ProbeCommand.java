package io.plsim.app.cli;

import io.plsim.app.load.LoadTarget;
import io.plsim.app.load.Units;
import io.plsim.app.probe.ProbeCase;
import io.plsim.app.probe.ProbeReport;
import io.plsim.app.probe.Prober;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A conformance test of your service's Proxy Protocol parser: sends, one",
            "connection per case, the headers AWS NLB sends (PrivateLink and health",
            "checks), headers split across segments, held back, long, with unknown,",
            "duplicate or empty TLVs, other families, and headers a parser must refuse",
            "(bad CRC32C, bad signature, v1 where v2 is expected, lengths that lie, a",
            "truncated header, a second header), each followed by your request, and",
            "says of each whether the service did what a correct parser does.",
            "",
            "A case the parser must accept passes when the service answers (matching",
            "--expect when given); one it must refuse passes when the service closes",
            "or resets without serving the request. Staying silent past --timeout",
            "fails either way.",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every required case passed", "1:a required case failed",
            "2:bad flags, or a target that is not on loopback or cannot be reached"})
final class ProbeCommand implements Callable<Integer> {

    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    /**
     * What an answer to the default request must match to count as served: an HTTP status other than 400,
     * which is what a server says when bytes the parser left in the stream mangled the request line.
     */
    static final String DEFAULT_EXPECT = "^HTTP/1\\.[01] (?!400)[0-9]{3}";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TARGET", arity = "0..1",
            description = "Your service, host:port on loopback: 127.x.y.z:PORT or localhost:PORT.")
    String target;

    @Option(names = "--send", paramLabel = "TEXT|@FILE",
            description = "What follows the header: TEXT with \\r \\n \\t \\\\ and \\xNN escapes, or the bytes of @FILE."
                    + " Default: GET / HTTP/1.1 with Host and Connection: close.")
    String send;

    @Option(names = "--expect", paramLabel = "REGEX",
            description = "An answer serves the request only if it matches REGEX (searched in its first 64 KiB,"
                    + " read as ISO-8859-1), e.g. '^HTTP/1\\.[01] 200'. Default with the default request: an HTTP"
                    + " status other than 400 (bytes left in the stream make a 400); with --send: any answer.")
    String expect;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "2s",
            description = "The longest a connect, and the wait for an answer after each case, may take"
                    + " (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--hold", paramLabel = "TIME", defaultValue = "1s",
            description = "How long the held-back case stays quiet before it sends (default: ${DEFAULT-VALUE}).")
    String hold;

    @Option(names = "--v1", description = "The service expects Proxy Protocol v1 (text), not v2.")
    boolean v1;

    @Option(names = "--case", paramLabel = "ID", split = ",",
            description = "Run only these cases (see --list).")
    List<String> only;

    @Option(names = "--list", description = "List the cases and what a correct parser does with each; send nothing.")
    boolean list;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every case, its bytes and its outcome as JSON.")
    Path json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Prober.Settings settings = validate();
        List<ProbeCase> cases = Prober.cases(settings);
        if (list) {
            for (ProbeCase c : cases) {
                out.println(String.format("  %-24s %-6s %s", c.id(), c.must().word(), c.sends()));
            }
            out.flush();
            return 0;
        }
        String intro = "probing " + target + " with " + (only == null ? cases.size() : only.stream().distinct().count())
                + " cases of"
                + " Proxy Protocol " + (v1 ? "v1" : "v2") + ", one connection each";
        boolean[] started = {false};
        ProbeReport report;
        try {
            report = Prober.run(settings, r -> {
                if (!started[0]) {
                    // Only once the service is known to be there: an unreachable one gets one line.
                    started[0] = true;
                    out.println(intro);
                    out.println(ProbeReport.heading());
                }
                out.println(ProbeReport.line(r));
                out.flush();
            }, only);
        } catch (Prober.Unreachable e) {
            err.println("plsim probe: " + e.getMessage());
            return Plsim.EXIT_BAD_INPUT;
        }
        report.printSummary(out);
        if (json != null) {
            try {
                report.writeJson(json);
                out.println("wrote " + json);
            } catch (IOException e) {
                err.println("plsim probe: cannot write " + json + ": " + e.getMessage());
                return 1;
            }
        }
        out.flush();
        return report.exitCode();
    }

    private Prober.Settings validate() {
        Duration t = duration("--timeout", timeout);
        if (t.toMillis() < 1 || t.compareTo(MAX_TIMEOUT) > 0) {
            throw bad("--timeout must be from 1ms to 60s, found " + timeout);
        }
        Duration h = duration("--hold", hold);
        if (h.compareTo(MAX_TIMEOUT) > 0) {
            throw bad("--hold must be at most 60s, found " + hold);
        }
        Pattern pattern = null;
        if (expect == null && send == null) {
            pattern = Pattern.compile(DEFAULT_EXPECT, Pattern.MULTILINE);
        }
        if (expect != null) {
            try {
                pattern = Pattern.compile(expect, Pattern.MULTILINE);
            } catch (PatternSyntaxException e) {
                throw bad("--expect is not a regular expression: " + e.getDescription() + " at index " + e.getIndex()
                        + " of " + expect);
            }
        }
        if (json != null) {
            Path dir = json.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir) || Files.isDirectory(json)) {
                throw bad("cannot write " + json + ": " + (Files.isDirectory(json) ? "it is a directory"
                        : "no directory " + dir));
            }
        }
        LoadTarget lt;
        if (target == null) {
            if (!list) {
                throw bad("give the service to probe as TARGET, e.g. plsim probe 127.0.0.1:8080");
            }
            lt = null;
        } else {
            try {
                lt = LoadTarget.resolve(target, null, t);
            } catch (LoadTarget.BadTarget e) {
                throw bad(e.getMessage());
            }
        }
        byte[] request = send == null
                ? ("GET / HTTP/1.1\r\nHost: " + (lt == null ? "localhost" : lt.host() + ":" + lt.address().getPort())
                        + "\r\nUser-Agent: plsim-probe\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)
                : request(send);
        Prober.Settings s = new Prober.Settings(lt == null ? new java.net.InetSocketAddress("127.0.0.1", 1)
                : lt.address(), request, pattern, t, h, v1);
        if (only != null) {
            List<String> ids = Prober.cases(s).stream().map(ProbeCase::id).toList();
            for (String id : only) {
                if (!ids.contains(id)) {
                    throw bad("--case " + id + " is not a case of " + (v1 ? "--v1" : "v2") + "; the cases: "
                            + String.join(", ", ids));
                }
            }
        }
        return s;
    }

    private byte[] request(String text) {
        byte[] bytes;
        if (text.startsWith("@")) {
            Path file = Path.of(text.substring(1));
            try {
                if (Files.size(file) > MAX_REQUEST_BYTES) {
                    throw bad("--send " + text + " is larger than 64 KiB");
                }
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw bad("--send: cannot read " + file + ": " + e.getMessage());
            }
        } else {
            bytes = unescape(text);
        }
        if (bytes.length == 0) {
            throw bad("--send is empty: a case needs a request to tell a served connection from a closed one");
        }
        return bytes;
    }

    /** {@code \r \n \t \\ \xNN}; any other backslash is an error naming where it is. */
    private byte[] unescape(String text) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                if (c > 0xFF) {
                    throw bad(String.format("--send has U+%04X at index %d; use \\xNN for bytes above 0x7F", (int) c, i));
                }
                b.write(c);
                continue;
            }
            char n = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            switch (n) {
                case 'r' -> b.write('\r');
                case 'n' -> b.write('\n');
                case 't' -> b.write('\t');
                case '\\' -> b.write('\\');
                case 'x' -> {
                    if (i + 3 >= text.length() || !isHex(text.charAt(i + 2)) || !isHex(text.charAt(i + 3))) {
                        throw bad("--send: \\x at index " + i + " needs two hex digits");
                    }
                    b.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
                    i += 2;
                }
                default -> throw bad("--send: unknown escape \\" + (n == 0 ? "" : String.valueOf(n)) + " at index " + i
                        + " (known: \\r \\n \\t \\\\ \\xNN)");
            }
            i++;
        }
        return b.toByteArray();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private Duration duration(String option, String text) {
        try {
            return Units.duration(text);
        } catch (IllegalArgumentException e) {
            throw bad(option + ": " + e.getMessage());
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), "plsim probe: " + message);
    }
}
