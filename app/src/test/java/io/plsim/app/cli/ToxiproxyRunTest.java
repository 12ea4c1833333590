package io.plsim.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestWorld;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plsim run --toxiproxy-port} as a separate process, on {@link TestWorld}'s world in
 * 127.142.0.0/16: it says where Toxiproxy's API is, that API lists the world's proxies and takes a
 * toxic that shows among plsim's faults; a bad port is refused before anything starts.
 */
class ToxiproxyRunTest {

    private static final int NET = TestBlocks.of(ToxiproxyRunTest.class);

    private static final Pattern TOXIPROXY = Pattern.compile("^toxiproxy (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path dir;

    private final PlsimProcesses processes = new PlsimProcesses();

    @AfterEach
    void tearDown() throws InterruptedException {
        processes.close();
    }

    @Test
    void runServesToxiproxysApiBesideItsOwn() throws Exception {
        TestWorld world = TestWorld.in(NET).target("us-east-1a", "builtin: echo").target("us-east-1b", "builtin: echo");
        Path config = Files.writeString(dir.resolve("world.yaml"), world.yaml());
        PlsimProcesses.Running run = processes.start("run", config.toString(), "--api-port", "0", "--dns-port", "0",
                "--toxiproxy-port", "0", "--grace", "0");
        Matcher m = TOXIPROXY.matcher(run.line("toxiproxy "));
        assertTrue(m.find(), run.out().toString());
        URI toxiproxy = URI.create(m.group(1));
        HttpClient http = HttpClient.newHttpClient();
        String proxies = http.send(HttpRequest.newBuilder(toxiproxy.resolve("/proxies")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        // The proxies are named as the sim-config names the endpoint.
        String endpointName = world.load().endpointIds().keySet().iterator().next();
        assertTrue(proxies.contains("\"" + endpointName + "\":{\"name\":\"" + endpointName + "\""), proxies);
        HttpResponse<String> added = http.send(HttpRequest.newBuilder(toxiproxy.resolve("/proxies/" + endpointName
                + "/toxics")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"slow\",\"type\":\"latency\","
                + "\"attributes\":{\"latency\":100}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, added.statusCode(), added.body());
        String faults = http.send(HttpRequest.newBuilder(URI.create(run.url() + "/admin/faults")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(faults.contains(endpointName + "/slow"), "the toxic is a plsim fault: " + faults);
        assertEquals("2.5.0-plsim", http.send(HttpRequest.newBuilder(toxiproxy.resolve("/version")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void aBadToxiproxyPortIsRefused() throws Exception {
        Path config = Files.writeString(dir.resolve("world.yaml"), TestWorld.in(NET)
                .target("us-east-1a", "builtin: echo").yaml());
        Map.Entry<Integer, String> r = processes.exited("run", config.toString(), "--toxiproxy-port", "70000");
        assertEquals(2, r.getKey(), r.getValue());
        assertTrue(r.getValue().contains("--toxiproxy-port must be from 0 to 65535, found 70000"), r.getValue());
    }
}
