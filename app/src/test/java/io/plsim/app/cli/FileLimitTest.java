package io.plsim.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.TestBlocks;
import io.plsim.dataplane.TestTarget;
import io.plsim.dataplane.TestWorld;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plsim run} at a lowered file limit ({@code ulimit -n 400}), in 127.143.0.0/16: consumers
 * holding connections open until plsim turns new ones away find it does so while it still has
 * descriptors to spare, counted as {@code file-limit}; the API still answers, the targets stay
 * healthy (no connection denied for want of one), and nothing it prints is a stack trace.
 */
class FileLimitTest {

    private static final int NET = TestBlocks.of(FileLimitTest.class);
    private static final int FILES = 400;

    @TempDir
    Path dir;

    private final PlsimProcesses processes = new PlsimProcesses();
    private final List<Socket> held = new ArrayList<>();
    private final List<TestTarget> targets = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Socket s : held) {
            s.close();
        }
        processes.close();
        targets.forEach(TestTarget::close);
    }

    /** A connection through the interface that echoes a line, or null when plsim turned it away. */
    private static Socket open(InetSocketAddress at) {
        Socket s = new Socket();
        try {
            s.connect(at, 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            if (in.readNBytes(5).length == 5) {
                return s;
            }
        } catch (IOException e) {
            // reset or refused: turned away
        }
        try {
            s.close();
        } catch (IOException e) {
            // nothing more to release
        }
        return null;
    }

    /**
     * A world whose interfaces need more listening sockets than the file limit allows: plsim stops with
     * one line that names the limit and the ways out, not Netty's words of a close that failed after it.
     */
    @Test
    void aWorldTooLargeForTheFileLimitIsRefusedWithTheLimitNamed() throws Exception {
        StringBuilder yaml = new StringBuilder("""
                region: us-east-1
                accounts:
                  - {id: "111122223333", zones: {us-east-1a: use1-az1}}
                  - {id: "444455556666", zones: {us-east-1a: use1-az1}}
                vpcs:
                  - id: vpc-0c0c0c0c0c0c00001
                    account: "111122223333"
                    cidr: 127.%1$d.0.0/16
                    subnets: [{id: subnet-0c0c0c0c0c0c00011, zone: us-east-1a, cidr: 127.%1$d.60.0/24}]
                  - id: vpc-0d0d0d0d0d0d00002
                    account: "444455556666"
                    cidr: 127.%1$d.0.0/16
                    subnets: [{id: subnet-0d0d0d0d0d0d00021, zone: us-east-1a, cidr: 127.%1$d.64.0/22}]
                loadBalancers:
                  - name: many-nlb
                    account: "111122223333"
                    nodes: [{zone: us-east-1a, ip: 127.%1$d.60.10}]
                    listeners: [7000]
                    targets: [{zone: us-east-1a, address: "127.0.0.1:9"}]
                services:
                  - {name: many, account: "111122223333", loadBalancers: [many-nlb], acceptanceRequired: false,
                     allowedPrincipals: ["*"]}
                endpoints:
                """.formatted(NET));
        // 500 interfaces, each listening once per event loop: more sockets than 400 files.
        for (int i = 0; i < 500; i++) {
            yaml.append("  - {name: e").append(i).append(", principal: \"arn:aws:iam::444455556666:root\", service: many,"
                    + " vpc: vpc-0d0d0d0d0d0d00002, subnets: [subnet-0d0d0d0d0d0d00021]}\n");
        }
        Path config = Files.writeString(dir.resolve("many.yaml"), yaml);
        PlsimProcesses.Ended run = processes.runToEnd(FILES, "run", config.toString(), "--api-port", "0",
                "--dns-port", "0");
        assertEquals(1, run.exit(), run.out());
        String last = run.out().lines().filter(l -> l.startsWith("plsim")).reduce((x, y) -> y).orElse("");
        assertTrue(last.startsWith("plsim run: cannot listen on ") && last.contains("Too many open files")
                && last.contains("the process is at its limit of " + FILES + " open files")
                && last.contains("ulimit -n"), run.out());
        assertFalse(run.out().contains("IllegalStateException"), run.out());
    }

    @Test
    void nearTheFileLimitNewConnectionsAreTurnedAwayWhileTheApiAndHealthChecksGoOn() throws Exception {
        // Targets of the test's own, outside plsim's limit, that count the health checks reaching them.
        TestTarget a = TestTarget.echo();
        TestTarget b = TestTarget.echo();
        targets.addAll(List.of(a, b));
        TestWorld world = TestWorld.in(NET).targetAt("us-east-1a", a.port()).targetAt("us-east-1b", b.port())
                .proxyProtocol("false")
                .healthCheck("{intervalSeconds: 0.2, timeoutSeconds: 0.2, healthyThreshold: 2, unhealthyThreshold: 2}");
        Path config = Files.writeString(dir.resolve("world.yaml"), world.yaml());
        PlsimProcesses.Running run = processes.startLimited(FILES, "run", config.toString(), "--api-port", "0",
                "--dns-port", "0", "--grace", "0");
        String line = run.line("endpoint ");
        String address = line.split(" ")[3];
        InetSocketAddress at = new InetSocketAddress(address.substring(0, address.indexOf(':')),
                Integer.parseInt(address.substring(address.indexOf(':') + 1)));
        // Every target healthy on every node first (two checks 0.2 s apart): a connection before that
        // is turned away for want of a healthy target, which would say nothing of the file limit.
        HttpClient first = HttpClient.newHttpClient();
        io.plsim.dataplane.Await.until(java.time.Duration.ofSeconds(10), () -> {
            try {
                String m = first.send(HttpRequest.newBuilder(URI.create(run.url() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return m.lines().filter(l -> l.startsWith("plsim_target_healthy{") && l.endsWith(" 1")).count() == 4;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, "both targets healthy on both nodes");
        int turnedAway = 0;
        // Each held connection costs plsim two descriptors (the consumer's and the node's): 400 are used
        // up long before 300 connections.
        for (int i = 0; i < 300 && turnedAway < 5; i++) {
            Socket s = open(at);
            if (s == null) {
                turnedAway++;
            } else {
                held.add(s);
            }
        }
        assertTrue(turnedAway > 0, "plsim never turned a connection away at a limit of " + FILES + " files; held "
                + held.size());
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> worldAnswer = http.send(HttpRequest.newBuilder(URI.create(run.url() + "/admin/world"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, worldAnswer.statusCode(), "the API answers near the limit");
        // Health checks still reach both targets near the limit: two more connects to each (a check that
        // could not open its socket would reach nobody), then no target is counted unhealthy.
        long checkedA = a.accepted();
        long checkedB = b.accepted();
        io.plsim.dataplane.Await.until(java.time.Duration.ofSeconds(10),
                () -> a.accepted() >= checkedA + 2 && b.accepted() >= checkedB + 2,
                () -> "two more health checks of each target near the limit: " + a.accepted() + ", " + b.accepted());
        String metrics = http.send(HttpRequest.newBuilder(URI.create(run.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("reason=\"file-limit\""), "turned away as file-limit:\n" + metrics);
        assertFalse(metrics.contains("reason=\"no-healthy-target\""), "no target lost its health:\n" + metrics);
        int heldCount = held.size();
        for (Socket s : held) {
            s.close();
        }
        held.clear();
        String out = String.join("\n", run.out());
        assertFalse(out.contains("Exception") || out.contains("\tat "), "no stack trace in:\n" + out);
        System.out.printf("at a limit of %d files: %d connections held, then %d turned away as file-limit%n", FILES,
                heldCount, turnedAway);
    }
}
