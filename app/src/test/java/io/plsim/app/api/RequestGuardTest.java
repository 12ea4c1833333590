package io.plsim.app.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A web page cannot drive plsim: foreign Host names and cross-origin changes are refused, on a real socket. */
class RequestGuardTest {

    private static final HttpRoutes ROUTES = new HttpRoutes() {
        @Override
        public Reply get(String path, String query) {
            return path.equals("/ping") ? Reply.json("{}") : null;
        }

        @Override
        public Reply post(String path, String query, String body) {
            return path.equals("/ping") ? Reply.json("{\"changed\":true}") : null;
        }
    };

    private static String ask(ApiServer api, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(api.address(), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRebindingNameIsRefusedWhileLoopbackNamesAndAllowedOnesAreAnswered() throws Exception {
        try (ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(), null, ROUTES,
                AllowedHosts.of(List.of("plsim.internal")))) {
            int port = api.address().getPort();
            String evil = ask(api, "GET /ping HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n\r\n");
            assertTrue(evil.startsWith("HTTP/1.1 403") && evil.contains("--allow-host evil.example"), evil);
            for (String host : List.of("127.0.0.1:" + port, "localhost", "[::1]:" + port, "plsim.internal:9")) {
                String ok = ask(api, "GET /ping HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
                assertTrue(ok.startsWith("HTTP/1.1 200"), host + ": " + ok);
            }
            String otherPort = ask(api, "GET /ping HTTP/1.1\r\nHost: localhost:1\r\nConnection: close\r\n\r\n");
            assertTrue(otherPort.startsWith("HTTP/1.1 403"), otherPort);
        }
    }

    @Test
    void aChangeFromAnotherOriginIsRefusedAndOneFromItsOwnOrNoneIsTaken() throws Exception {
        try (ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(), null, ROUTES)) {
            String host = "127.0.0.1:" + api.address().getPort();
            String post = "POST /ping HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 2\r\nConnection: close\r\n";
            String evil = ask(api, post + "Origin: http://evil.example\r\n\r\n{}");
            assertTrue(evil.startsWith("HTTP/1.1 403") && evil.contains("http://evil.example"), evil);
            String nullOrigin = ask(api, post + "Origin: null\r\n\r\n{}");
            assertTrue(nullOrigin.startsWith("HTTP/1.1 403"), nullOrigin);
            assertTrue(ask(api, post + "Origin: http://" + host + "\r\n\r\n{}").startsWith("HTTP/1.1 200"));
            assertTrue(ask(api, post + "\r\n{}").startsWith("HTTP/1.1 200"), "curl, the CLI and SDKs send no Origin");
            String read = ask(api, "GET /ping HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://evil.example\r\n"
                    + "Connection: close\r\n\r\n");
            assertTrue(read.startsWith("HTTP/1.1 200"), "a read is the browser's to withhold: " + read);
        }
    }
}
