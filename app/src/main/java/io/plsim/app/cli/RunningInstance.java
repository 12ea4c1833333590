package io.plsim.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plsim.app.api.ApiServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The options and calls of the commands that talk to a running {@code plsim run}: its admin JSON,
 * and its EC2 API signed (by access key ID only) as a principal of the world.
 */
final class RunningInstance {

    @Option(names = "--api", paramLabel = "URL", defaultValue = "http://127.0.0.1:" + ApiServer.DEFAULT_PORT,
            description = "The API of the running plsim (default: ${DEFAULT-VALUE}).")
    String api;

    @Option(names = "--access-key-id", paramLabel = "KEY",
            description = "Act as the principal this access key ID stands for in the sim-config; by default the"
                    + " root of the account that owns the service.")
    String accessKeyId;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ERROR = Pattern.compile("<Code>([^<]*)</Code>\\s*<Message>([^<]*)</Message>");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** A failure to show the user in one line. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    JsonNode world() throws Failure {
        return parse(get("/admin/world"));
    }

    /** The region of a running world, as its {@link #world()} names it: the one its API takes signatures for. */
    String region(JsonNode world) throws Failure {
        String region = world.path("region").asText("");
        if (region.isEmpty()) {
            throw new Failure(api + "/admin/world names no region; is it a plsim?");
        }
        return region;
    }

    private JsonNode parse(String body) throws Failure {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new Failure(api + " did not answer with JSON; is it a plsim?");
        }
    }

    /** A JSON answer from the admin API, and its HTTP status. */
    record Answer(int status, JsonNode json) {
        /** The admin API's one-line reason for a refusal. */
        String error() {
            return json.path("error").asText();
        }
    }

    Answer admin(String method, String path, String jsonBody) throws Failure {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5));
        b = switch (method) {
            case "POST" -> b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody));
            case "PATCH" -> b.header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(jsonBody));
            case "DELETE" -> b.DELETE();
            default -> b.GET();
        };
        HttpResponse<String> res = send(b.build());
        return new Answer(res.statusCode(), parse(res.body()));
    }

    private String get(String path) throws Failure {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build()).body();
    }

    /**
     * Calls an EC2 action as the given access key ID, signed for the world's region (EC2 refuses a
     * signature for another); answers the XML body or fails with the EC2 error.
     */
    String call(String keyId, String region, Map<String, String> params) throws Failure {
        String body = params.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        String scope = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE) + "/" + region
                + "/ec2/aws4_request";
        HttpRequest req = HttpRequest.newBuilder(uri("/")).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + keyId + "/" + scope
                        + ", SignedHeaders=host, Signature=plsim")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        String xml = send(req).body();
        Matcher m = ERROR.matcher(xml);
        if (m.find()) {
            throw new Failure(m.group(1) + ": " + m.group(2));
        }
        return xml;
    }

    /** Sends a request, every way of not getting an answer a {@link Failure} that says what to do. */
    private HttpResponse<String> send(HttpRequest req) throws Failure {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Failure("no plsim answers at " + api + "; start one with: plsim run FILE");
        } catch (IOException e) {
            throw new Failure("cannot reach " + api + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }

    private URI uri(String path) throws Failure {
        try {
            URI base = URI.create(api.endsWith("/") ? api.substring(0, api.length() - 1) : api);
            if (!"http".equals(base.getScheme()) || base.getHost() == null) {
                throw new IllegalArgumentException("not an http:// URL");
            }
            return URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new Failure("--api " + api + ": " + e.getMessage());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
