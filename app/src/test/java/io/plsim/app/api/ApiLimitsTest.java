package io.plsim.app.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.app.limits.ConnectionLimits;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API server under slow and many clients, on sockets: a client trickling a request a byte at a
 * time is cut at the request deadline while a normal request on another connection is answered;
 * one connection beyond the cap is answered 503 at once, and served again once others close.
 */
@ExtendWith(LeakCheck.class)
class ApiLimitsTest {

    private static final HttpRoutes PING = (path, query) -> path.equals("/ping") ? HttpRoutes.Reply.json("{\"ok\":true}")
            : null;

    private static String get(InetSocketAddress at) throws IOException {
        return get(at, "/ping");
    }

    /** The whole answer, status line to body, to a GET of {@code path} on a connection of its own. */
    private static String get(InetSocketAddress at, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(at, 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRouteThatFailsIsAnswered500AndTheServerKeepsServing() throws Exception {
        HttpRoutes failing = (path, query) -> {
            if (path.equals("/broken")) {
                throw new IllegalStateException("a route's bug");
            }
            return PING.get(path, query);
        };
        try (ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(), null, failing)) {
            String broken = get(api.address(), "/broken");
            assertTrue(broken.startsWith("HTTP/1.1 500"), broken);
            assertTrue(broken.contains("GET /broken failed: java.lang.IllegalStateException: a route's bug"), broken);
            assertTrue(get(api.address()).startsWith("HTTP/1.1 200"), "served after the failure");
            String nope = get(api.address(), "/nope");
            // A server of routes alone (Toxiproxy's) points at no EC2 API or console it does not serve.
            assertTrue(nope.startsWith("HTTP/1.1 404") && nope.endsWith("\r\n\r\nno such path: /nope\n"), nope);
        }
    }

    @Test
    void aClientTricklingItsRequestIsCutAtTheDeadlineWhileOthersAreServed() throws Exception {
        try (ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(), null, PING,
                AllowedHosts.loopbackOnly(), Duration.ofSeconds(1))) {
            try (Socket slow = new Socket()) {
                slow.connect(api.address(), 2000);
                slow.setSoTimeout(100);
                OutputStream out = slow.getOutputStream();
                InputStream in = slow.getInputStream();
                byte[] request = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII);
                long start = System.nanoTime();
                boolean closed = false;
                // A byte every 100 ms, for at most 5 s: the read timeout of old restarted on each.
                for (int i = 0; i < 50 && !closed; i++) {
                    try {
                        out.write(request[i % request.length]);
                        out.flush();
                    } catch (IOException e) {
                        closed = true;
                        break;
                    }
                    try {
                        closed = in.read() < 0;
                    } catch (SocketTimeoutException e) {
                        // nothing yet
                    } catch (IOException e) {
                        closed = true;
                    }
                    if (i == 3) {
                        assertTrue(get(api.address()).startsWith("HTTP/1.1 200"), "a normal request meanwhile");
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(closed, "the trickling client was never cut");
                assertTrue(seconds < 4.5, "cut after " + seconds + " s, with a 1 s deadline");
                assertEquals(1, api.cutAtDeadline());
                System.out.printf("a client sending a byte every 100 ms was cut after %.1f s (deadline 1 s)%n", seconds);
            }
            assertTrue(get(api.address()).startsWith("HTTP/1.1 200"), "and the server still serves");
        }
    }

    @Test
    void aKeptAliveConnectionThatKeepsAskingIsNotCut() throws Exception {
        try (ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(), null, PING,
                AllowedHosts.loopbackOnly(), Duration.ofMillis(500));
             Socket s = new Socket()) {
            s.connect(api.address(), 2000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            // A request every 200 ms for 2 s on one connection: each answer starts the deadline again.
            for (int i = 0; i < 10; i++) {
                out.write("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String head = new String(in.readNBytes(17), StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 200 OK\r\n", head, "request " + i);
                String rest = "";
                while (!rest.endsWith("{\"ok\":true}")) {
                    int b = in.read();
                    assertTrue(b >= 0, "closed during answer " + i);
                    rest += (char) b;
                }
                Thread.sleep(200);
            }
            assertEquals(0, api.cutAtDeadline(), "a busy connection is not cut");
        }
    }

    @Test
    void oneConnectionBeyondTheCapIsAnswered503AndServedOnceOthersClose() throws Exception {
        try (ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(), null, PING)) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < ConnectionLimits.MAX_CONNECTIONS; i++) {
                    Socket s = new Socket();
                    s.connect(api.address(), 2000);
                    held.add(s);
                }
                // Each held connection is counted once the server has seen it: wait, with a deadline.
                long deadline = System.nanoTime() + 10_000_000_000L;
                String over = "";
                while (System.nanoTime() < deadline) {
                    over = get(api.address());
                    if (over.startsWith("HTTP/1.1 503")) {
                        break;
                    }
                    Thread.sleep(20);
                }
                assertTrue(over.startsWith("HTTP/1.1 503") && over.contains("too many connections"), over);
                assertTrue(api.refusedConnections() >= 1);
                for (int i = 0; i < 10; i++) {
                    held.remove(held.size() - 1).close();
                }
                deadline = System.nanoTime() + 10_000_000_000L;
                String again = "";
                while (System.nanoTime() < deadline && !again.startsWith("HTTP/1.1 200")) {
                    again = get(api.address());
                }
                assertTrue(again.startsWith("HTTP/1.1 200"), again);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
