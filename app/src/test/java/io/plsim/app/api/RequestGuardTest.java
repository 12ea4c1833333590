package io.plsim.app.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A web page cannot drive plsim: foreign Host names, cross-origin changes and bodies a page may post without
 * a preflight are refused, on a real socket.
 */
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
            String post = "POST /ping HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
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

    @Test
    void aJsonRouteTakesOnlyJsonBodiesWhileTheQueryApiTakesItsForms() throws Exception {
        try (ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(),
                new io.plsim.core.api.QueryApi(io.plsim.core.config.SimConfigLoader.load(
                        java.nio.file.Path.of("..", "sim-configs", "quickstart.yaml"))), ROUTES)) {
            String host = "127.0.0.1:" + api.address().getPort();
            String head = "Host: " + host + "\r\nConnection: close\r\n";
            // What the page (and curl) sent: text/plain, with a body or without one.
            String text = ask(api, "POST /ping HTTP/1.1\r\n" + head + "Content-Type: text/plain\r\n"
                    + "Content-Length: 2\r\n\r\n{}");
            assertTrue(text.startsWith("HTTP/1.1 415") && text.contains("not text/plain")
                    && text.contains("-H 'Content-Type: application/json'"), text);
            String emptyText = ask(api, "POST /ping HTTP/1.1\r\n" + head + "Content-Type: text/plain\r\n"
                    + "Content-Length: 0\r\n\r\n");
            assertTrue(emptyText.startsWith("HTTP/1.1 415"), emptyText);
            String untyped = ask(api, "POST /ping HTTP/1.1\r\n" + head + "Content-Length: 2\r\n\r\n{}");
            assertTrue(untyped.startsWith("HTTP/1.1 415") && untyped.contains("without a Content-Type"), untyped);
            // A cross-site form says where it comes from, even when a policy withholds its Origin.
            String form = "POST /ping HTTP/1.1\r\n" + head + "Content-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 2\r\n";
            String crossSiteForm = ask(api, form + "Sec-Fetch-Site: cross-site\r\n\r\n{}");
            assertTrue(crossSiteForm.startsWith("HTTP/1.1 415"), crossSiteForm);

            for (String taken : List.of(
                    "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
                    "Content-Type: Application/JSON; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}",
                    "Content-Length: 0\r\n\r\n",
                    // HttpURLConnection's type when its caller names none (toxiproxy-java), and curl -d's
                    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2\r\n\r\n{}")) {
                String ok = ask(api, "POST /ping HTTP/1.1\r\n" + head + taken);
                assertTrue(ok.startsWith("HTTP/1.1 200") && ok.contains("changed"), taken + ": " + ok);
            }
            String aws = ask(api, "POST / HTTP/1.1\r\n" + head + "Content-Type: application/x-www-form-urlencoded;"
                    + " charset=utf-8\r\nContent-Length: 14\r\n\r\nAction=Version");
            // The Query API itself answers, in its XML: the form reached it.
            assertTrue(aws.contains("<Response><Errors><Error><Code>"), aws);
        }
    }
}
