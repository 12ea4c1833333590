package io.plsim.app.cli;

import static io.plsim.app.cli.PlsimCommandTest.assertContains;
import static io.plsim.app.cli.PlsimCommandTest.assertNoStackTrace;
import static io.plsim.app.cli.PlsimCommandTest.plsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.app.cli.PlsimCommandTest.Result;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plsim probe} as a user runs it: flags, exit codes, the table and the JSON. */
class ProbeCommandTest {

    @TempDir
    Path dir;

    @Test
    void badFlagsExitTwoWithOneLineSayingWhatIsWrong() {
        String[][] cases = {
            {"--send", "a\\q", "127.0.0.1:9"},
            {"--send", "\\x4", "127.0.0.1:9"},
            {"--send", "@" + dir.resolve("missing"), "127.0.0.1:9"},
            {"--expect", "(", "127.0.0.1:9"},
            {"--timeout", "0s", "127.0.0.1:9"},
            {"--hold", "2m", "127.0.0.1:9"},
            {"--case", "nope", "127.0.0.1:9"},
            {"10.1.2.3:80"},
            {"127.0.0.1"},
            {},
        };
        String[] says = {
            "plsim probe: --send: unknown escape \\q at index 1",
            "plsim probe: --send: \\x at index 0 needs two hex digits",
            "plsim probe: --send: cannot read",
            "plsim probe: --expect is not a regular expression",
            "plsim probe: --timeout must be from 1ms to 60s, found 0s",
            "plsim probe: --hold must be at most 60s, found 2m",
            "plsim probe: --case nope is not a case of v2; the cases: aws-privatelink, aws-health-check",
            "plsim probe: target 10.1.2.3 is not on loopback",
            "plsim probe: target must be host:port",
            "plsim probe: give the service to probe as TARGET",
        };
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 1];
            args[0] = "probe";
            System.arraycopy(cases[i], 0, args, 1, cases[i].length);
            Result r = plsim(args);
            assertEquals(2, r.exit(), r.toString());
            assertContains(r.err(), says[i], r);
            assertNoStackTrace(r);
        }
    }

    @Test
    void aServiceThatIsNotThereIsOneLineAndExitTwo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Result r = plsim("probe", "127.0.0.1:" + port);
        assertEquals(2, r.exit(), r.toString());
        assertEquals("plsim probe: cannot connect to 127.0.0.1:" + port + ": connection refused\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void listNamesEveryCaseAndWhatAParserMustDo() {
        Result r = plsim("probe", "--list");
        assertEquals(0, r.exit(), r.toString());
        assertContains(r.out(), "aws-privatelink          accept NLB's PrivateLink header", r);
        assertContains(r.out(), "bad-crc                  refuse", r);
        assertContains(r.out(), "stacked-headers          either", r);
        Result v1 = plsim("probe", "--list", "--v1");
        assertContains(v1.out(), "v2-instead-of-v1         refuse", v1);
    }

    @Test
    void aServiceWithoutAnyParserFailsAndTheJsonSaysSo() throws Exception {
        // An echo server with no Proxy Protocol at all: it answers every case with what it was sent and keeps
        // the connection, so with --expect it serves none of them, and refuses none of them.
        AtomicReference<String> sent = new AtomicReference<>();
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                while (!echo.isClosed()) {
                    try (Socket s = echo.accept()) {
                        s.setSoTimeout(3000);
                        InputStream in = s.getInputStream();
                        byte[] buf = new byte[8192];
                        for (int n; (n = in.read(buf)) > 0; ) {
                            sent.compareAndSet(null, new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                            s.getOutputStream().write(buf, 0, n);
                        }
                    } catch (IOException e) {
                        // next
                    }
                }
            }, "echo");
            t.setDaemon(true);
            t.start();
            Path json = dir.resolve("probe.json");
            Result r = plsim("probe", "127.0.0.1:" + echo.getLocalPort(), "--case", "aws-privatelink,bad-crc",
                    "--send", "PING\\r\\n", "--expect", "^PONG", "--timeout", "500ms", "--json", json.toString());
            assertEquals(1, r.exit(), r.toString());
            assertContains(r.out(), "probing 127.0.0.1:" + echo.getLocalPort() + " with 2 cases of Proxy Protocol v2", r);
            assertContains(r.out(), "fail aws-privatelink", r);
            assertContains(r.out(), "answered \"\\r\\n\\r\\n\\x00\\r\\nQUIT\" (not matching --expect): the parser does not"
                    + " take the header NLB sends", r);
            assertContains(r.out(), "fail bad-crc", r);
            assertContains(r.out(), "0 of 2 required cases passed; 2 failed; 0 informational.", r);
            assertContains(r.out(), "failed: aws-privatelink, bad-crc", r);
            assertTrue(sent.get().endsWith("PING\r\n"), sent::get);
            assertTrue(sent.get().startsWith("\r\n\r\n\0\r\nQUIT\n"), sent::get);
            String text = Files.readString(json);
            assertContains(text, "\"target\" : \"127.0.0.1:" + echo.getLocalPort() + "\"", r);
            assertContains(text, "\"expect\" : \"^PONG\"", r);
            assertContains(text, "\"verdict\" : \"fail\"", r);
        }
    }
}
