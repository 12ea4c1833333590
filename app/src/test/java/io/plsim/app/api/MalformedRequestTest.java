package io.plsim.app.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.TestBlocks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad requests of every kind, sent with the JDK's HTTP client and on raw sockets to a running API
 * server (127.123.0.0/16): each gets a clear 4xx answer, or the connection closed for what is not
 * HTTP at all, and never a 500 nor a stack trace; and the server keeps answering valid requests.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestTest {

    private static final int NET = TestBlocks.of(MalformedRequestTest.class);
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIACONSUMERROOT0001/20240501/us-east-1/ec2/"
            + "aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0123456789abcdef";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");

    private ApiWorld w;
    private HttpClient http;

    @BeforeAll
    void start() throws Exception {
        w = ApiWorld.start(NET);
        http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    @AfterAll
    void stop() {
        if (w != null) {
            w.close();
        }
    }

    // ---------------------------------------------------------------- what came back

    /** An answer: HTTP status and body, or {@code status == 0} when the server closed without one. */
    record Answer(String what, int status, String body) {
        String code() {
            Matcher m = CODE.matcher(body);
            return m.find() ? m.group(1) : null;
        }

        @Override
        public String toString() {
            return what + " -> " + (status == 0 ? "closed" : status + " " + body);
        }
    }

    private Answer post(String what, String auth, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(w.url() + "/")).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return send(what, b.build());
    }

    private Answer request(String what, String method, String path) {
        return send(what, HttpRequest.newBuilder(URI.create(w.url() + path)).timeout(TIMEOUT)
                .header("Authorization", AUTH)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private Answer send(String what, HttpRequest req) {
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new Answer(what, res.statusCode(), res.body());
        } catch (IOException e) {
            throw new AssertionError(what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted", e);
        }
    }

    /**
     * Writes {@code bytes} on a fresh socket and reads what comes back until the server closes, the
     * response is complete, or the timeout passes. {@code status 0} when no HTTP answer came.
     */
    private Answer raw(String what, byte[] bytes, boolean waitForAnswer) {
        return raw(what, bytes, waitForAnswer, false);
    }

    /** As {@link #raw(String, byte[], boolean)}; {@code halfClose} shuts this side's output after writing. */
    private Answer raw(String what, byte[] bytes, boolean waitForAnswer, boolean halfClose) {
        InetSocketAddress a = w.server().address();
        try (Socket s = new Socket()) {
            s.connect(a, 2000);
            s.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = s.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                if (halfClose) {
                    s.shutdownOutput();
                }
            } catch (SocketException e) {
                // the server may close before it has read everything; see what it answered
            }
            if (!waitForAnswer) {
                return new Answer(what, 0, "");
            }
            return readAnswer(what, s.getInputStream());
        } catch (IOException e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    private static Answer readAnswer(String what, InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (true) {
                if (complete(got.toByteArray())) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(what + ": no complete answer within " + TIMEOUT + ": "
                            + got.toString(StandardCharsets.ISO_8859_1));
                }
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got.write(buf, 0, n);
            }
        } catch (SocketException e) {
            // reset after (or instead of) the answer: judged below by what arrived
        } catch (SocketTimeoutException e) {
            throw new AssertionError(what + ": the server neither answered nor closed within " + TIMEOUT
                    + ": " + got.toString(StandardCharsets.ISO_8859_1));
        }
        String text = got.toString(StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
            return new Answer(what, 0, "");
        }
        Matcher m = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ").matcher(text);
        if (!m.find()) {
            throw new AssertionError(what + ": not an HTTP answer: " + text);
        }
        int headerEnd = text.indexOf("\r\n\r\n");
        return new Answer(what, Integer.parseInt(m.group(1)), headerEnd < 0 ? "" : text.substring(headerEnd + 4));
    }

    /** Whether {@code bytes} hold a whole response: headers and Content-Length bytes of body. */
    private static boolean complete(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            return false;
        }
        Matcher m = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(text.substring(0, headerEnd));
        return m.find() && bytes.length - headerEnd - 4 >= Integer.parseInt(m.group(1));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A whole form POST to {@code /}, closing after the answer. */
    private static byte[] formPost(byte[] body) {
        return concat(ascii("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: " + AUTH
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                + "\r\n\r\n"), body);
    }

    // ---------------------------------------------------------------- checks

    private static void noStackTrace(Answer a) {
        assertTrue(a.status() == 0 || (a.status() >= 200 && a.status() < 500), () -> "never a 5xx: " + a);
        for (String leak : List.of("Exception", "at io.", "\tat ", "at java.", "Caused by")) {
            assertTrue(!a.body().contains(leak), () -> "a stack trace in the body (" + leak + "): " + a);
        }
    }

    private static void ec2Error(Answer a, int status, String code) {
        noStackTrace(a);
        assertEquals(status, a.status(), a::toString);
        assertEquals(code, a.code(), a::toString);
        assertTrue(a.body().startsWith("<?xml") && a.body().contains("<Response><Errors><Error><Code>")
                && a.body().contains("<RequestID>"), a::toString);
        wellFormed(a);
    }

    /** Parses as XML 1.0, as the AWS CLI and SDKs parse it: an answer that does not is no answer. */
    private static void wellFormed(Answer a) {
        try {
            javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new java.io.ByteArrayInputStream(a.body().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML (" + e.getMessage() + "): " + a, e);
        }
    }

    private static void status(Answer a, int status) {
        noStackTrace(a);
        assertEquals(status, a.status(), a::toString);
    }

    private static void badRequestOrClosed(Answer a) {
        noStackTrace(a);
        assertTrue(a.status() == 0 || (a.status() >= 400 && a.status() < 500), () -> "4xx or closed: " + a);
    }

    private void stillServes() {
        Answer ok = post("valid DescribeAvailabilityZones", AUTH, "Action=DescribeAvailabilityZones&Version=2016-11-15");
        status(ok, 200);
        assertTrue(ok.body().contains("<zoneName>us-east-1a</zoneName>"), ok::toString);
    }

    // ---------------------------------------------------------------- the bad requests

    /** Every kind of bad request once, each checked. */
    private List<Supplier<Answer>> batch(Random random) {
        List<Supplier<Answer>> out = new ArrayList<>();
        String v = "&Version=2016-11-15";
        out.add(() -> {
            Answer a = post("unknown action", AUTH, "Action=FrobnicateVpcEndpoints" + v);
            ec2Error(a, 400, "InvalidAction");
            return a;
        });
        out.add(() -> {
            Answer a = post("no Action", AUTH, "Version=2016-11-15&ServiceId=vpce-svc-0123456789abcdef0");
            ec2Error(a, 400, "MissingAction");
            return a;
        });
        out.add(() -> {
            Answer a = post("empty body", AUTH, "");
            ec2Error(a, 400, "MissingAction");
            return a;
        });
        out.add(() -> {
            Answer a = post("no Authorization", null, "Action=DescribeAvailabilityZones" + v);
            ec2Error(a, 401, "AuthFailure");
            return a;
        });
        out.add(() -> {
            Answer a = post("garbled Authorization", "Bearer !!garbage== Credential=", "Action=DescribeAvailabilityZones" + v);
            ec2Error(a, 401, "AuthFailure");
            return a;
        });
        out.add(() -> {
            Answer a = post("Credential without scope", "AWS4-HMAC-SHA256 Credential=AKIACONSUMERROOT0001",
                    "Action=DescribeAvailabilityZones" + v);
            ec2Error(a, 401, "AuthFailure");
            return a;
        });
        out.add(() -> {
            Answer a = post("bad percent-encoding", AUTH, "Action=DescribeAvailabilityZones&ZoneName.1=%zz" + v);
            ec2Error(a, 400, "MalformedQueryString");
            return a;
        });
        out.add(() -> {
            Answer a = post("truncated percent-encoding", AUTH, "Action=DescribeAvailabilityZones" + v + "&X=%E");
            ec2Error(a, 400, "MalformedQueryString");
            return a;
        });
        out.add(() -> {
            Answer a = post("duplicate parameter", AUTH,
                    "Action=DescribeAvailabilityZones&ZoneName.1=us-east-1a&ZoneName.1=us-east-1b" + v);
            ec2Error(a, 400, "InvalidParameterValue");
            return a;
        });
        out.add(() -> {
            Answer a = post("duplicate Action", AUTH, "Action=DescribeAvailabilityZones&Action=CreateTags" + v);
            ec2Error(a, 400, "InvalidParameterValue");
            return a;
        });
        out.add(() -> {
            Answer a = post("a control character in a tag key", AUTH,
                    "Action=CreateTags&ResourceId.1=vpce-0123456789abcdef0&Tag.1.Key=k%01&Tag.1.Value=%00" + v);
            ec2Error(a, 400, "InvalidParameterValue");
            assertTrue(a.body().contains("Tag.1.Key") && a.body().contains("U+0001"), a::toString);
            return a;
        });
        out.add(() -> {
            Answer a = post("a control character echoed", AUTH, "Action=DescribeVpcEndpoints&MaxResults=%01" + v);
            ec2Error(a, 400, "InvalidParameterValue");
            return a;
        });
        out.add(() -> {
            // Reading a name's dots would cost its length squared: a long name is refused at once.
            Answer a = post("a parameter name of 100,000 characters", AUTH, "Action=CreateTags&Tag."
                    + "1.".repeat(50_000) + "Key=k" + v);
            ec2Error(a, 400, "InvalidParameterValue");
            assertTrue(a.body().contains("a parameter name has at most 256"), a::toString);
            return a;
        });
        for (String index : List.of("9999999", "-1", "0")) {
            out.add(() -> {
                Answer a = post("list index " + index, AUTH, "Action=DescribeVpcEndpoints&VpcEndpointId." + index
                        + "=vpce-0123456789abcdef0" + v);
                ec2Error(a, 400, "InvalidParameterValue");
                assertTrue(a.body().contains("VpcEndpointId." + index), a::toString);
                return a;
            });
        }
        out.add(() -> {
            Answer a = post("a credential scope of another region", AUTH.replace("/us-east-1/", "/eu-west-9/"),
                    "Action=DescribeVpcEndpoints" + v);
            ec2Error(a, 401, "AuthFailure");
            assertTrue(a.body().contains("Credential should be scoped to a valid region, not 'eu-west-9'"), a::toString);
            return a;
        });
        out.add(() -> {
            // A signature for another service is no signature for this one: refused, not taken as EC2's.
            Answer a = post("an EC2 action signed for s3", AUTH.replace("/ec2/", "/s3/"),
                    "Action=DescribeVpcEndpoints" + v);
            ec2Error(a, 403, "SignatureDoesNotMatch");
            assertTrue(a.body().contains("<Message>Credential should be scoped to correct service: 'ec2'. </Message>"),
                    a::toString);
            return a;
        });
        out.add(() -> {
            Answer a = post("an ELBv2 action signed for s3", AUTH.replace("/ec2/", "/s3/"),
                    "Action=DescribeLoadBalancers&Version=2015-12-01");
            noStackTrace(a);
            assertEquals(403, a.status(), a::toString);
            assertEquals("SignatureDoesNotMatch", a.code(), a::toString);
            assertTrue(a.body().contains("<ErrorResponse") && a.body().contains(
                    "<Message>Credential should be scoped to correct service: 'elasticloadbalancing'. </Message>"),
                    a::toString);
            wellFormed(a);
            return a;
        });
        out.add(() -> {
            int services = w.cp().services().size();
            Answer a = post("a change signed for s3", AUTH.replace("/ec2/", "/s3/").replace(ApiWorld.CONSUMER_KEY,
                    ApiWorld.PROVIDER_KEY), "Action=CreateVpcEndpointServiceConfiguration&NetworkLoadBalancerArn.1="
                    + w.nlbArn(ApiWorld.NLB_VPCE) + v);
            ec2Error(a, 403, "SignatureDoesNotMatch");
            assertEquals(services, w.cp().services().size(), "nothing was made");
            return a;
        });
        for (String max : List.of("abc", "1", "-5", "99999999999999999999", "")) {
            out.add(() -> {
                Answer a = post("MaxResults=" + max, AUTH, "Action=DescribeVpcEndpoints&MaxResults=" + max + v);
                ec2Error(a, 400, "InvalidParameterValue");
                return a;
            });
        }
        out.add(() -> {
            Answer a = post("DryRun=maybe", AUTH, "Action=DescribeVpcEndpoints&DryRun=maybe" + v);
            ec2Error(a, 400, "InvalidParameterValue");
            return a;
        });
        out.add(() -> {
            Answer a = post("bad filter name", AUTH,
                    "Action=DescribeVpcEndpoints&Filter.1.Name=colour&Filter.1.Value.1=blue" + v);
            ec2Error(a, 400, "InvalidParameterValue");
            return a;
        });
        out.add(() -> {
            Answer a = post("filter without a name", AUTH, "Action=DescribeVpcEndpoints&Filter.1.Value.1=x" + v);
            ec2Error(a, 400, "InvalidParameterValue");
            return a;
        });
        out.add(() -> {
            Answer a = post("filter without values", AUTH,
                    "Action=DescribeVpcEndpointConnections&Filter.1.Name=vpc-endpoint-state" + v);
            ec2Error(a, 400, "InvalidParameterValue");
            return a;
        });
        out.add(() -> {
            Answer a = post("bad filter on zones", AUTH,
                    "Action=DescribeAvailabilityZones&Filter.1.Name=nope&Filter.1.Value.1=x" + v);
            ec2Error(a, 400, "InvalidParameterValue");
            return a;
        });
        out.add(() -> {
            Answer a = post("required parameter missing", AUTH, "Action=AcceptVpcEndpointConnections" + v);
            ec2Error(a, 400, "MissingParameter");
            return a;
        });
        out.add(() -> {
            Answer a = post("malformed service id", AUTH,
                    "Action=DescribeVpcEndpointServicePermissions&ServiceId=not-a-service" + v);
            ec2Error(a, 400, "InvalidVpcEndpointServiceId.Malformed");
            return a;
        });
        out.add(() -> {
            Answer a = post("pagination token not handed out", AUTH,
                    "Action=DescribeVpcEndpoints&NextToken=not-one-of-ours" + v);
            ec2Error(a, 400, "InvalidPaginationToken");
            return a;
        });
        out.add(() -> {
            // Ignored, a list index out of range would turn "these IDs" into "every ID": refused.
            Answer a = post("huge list index", AUTH,
                    "Action=DescribeVpcEndpoints&VpcEndpointId.99999999999=vpce-1&Filter.9999999.Name=x" + v);
            ec2Error(a, 400, "InvalidParameterValue");
            return a;
        });
        out.add(() -> {
            Answer a = request("PUT /", "PUT", "/");
            status(a, 405);
            return a;
        });
        out.add(() -> {
            Answer a = request("DELETE /", "DELETE", "/");
            status(a, 405);
            return a;
        });
        out.add(() -> {
            Answer a = request("POST /metrics", "POST", "/metrics");
            noStackTrace(a);
            assertTrue(a.status() == 404 || a.status() == 405, a::toString);
            return a;
        });
        out.add(() -> {
            Answer a = request("GET /nope", "GET", "/nope");
            status(a, 404);
            return a;
        });
        out.add(() -> {
            Answer a = request("GET /admin/events?limit=abc", "GET", "/admin/events?limit=abc");
            status(a, 400);
            return a;
        });
        out.add(() -> {
            Answer a = request("GET with a query", "GET", "/?Action=DescribeAvailabilityZones&Version=2016-11-15");
            status(a, 200);
            return a;
        });
        out.add(() -> {
            Answer a = raw("body over 1 MiB declared", ascii("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + AUTH
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + (ApiServer.MAX_BODY_BYTES + 1) + "\r\n\r\nAction=DescribeAvailabilityZones"), true);
            status(a, 413);
            return a;
        });
        out.add(() -> {
            byte[] body = new byte[ApiServer.MAX_BODY_BYTES + 1024];
            Arrays.fill(body, (byte) 'a');
            System.arraycopy(ascii("Action=DescribeAvailabilityZones&X="), 0, body, 0, 35);
            Answer a = send("body over 1 MiB sent", HttpRequest.newBuilder(URI.create(w.url() + "/")).timeout(TIMEOUT)
                    .header("Authorization", AUTH).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            status(a, 413);
            return a;
        });
        out.add(() -> {
            byte[] garbage = new byte[64 + random.nextInt(512)];
            random.nextBytes(garbage);
            Answer a = raw("garbage bytes, then end of line", concat(garbage, ascii("\r\n\r\n")), true);
            badRequestOrClosed(a);
            return a;
        });
        out.add(() -> {
            byte[] garbage = new byte[64 + random.nextInt(512)];
            random.nextBytes(garbage);
            Answer a = raw("garbage bytes, then half-close", garbage, true, true);
            badRequestOrClosed(a);
            return a;
        });
        out.add(() -> {
            Answer a = raw("not HTTP", ascii("HELLO THERE\r\n\r\n"), true);
            badRequestOrClosed(a);
            return a;
        });
        out.add(() -> {
            Answer a = raw("request line over the limit", ascii("GET /" + "a".repeat(8192) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
                    true);
            badRequestOrClosed(a);
            assertTrue(a.status() != 200, a::toString);
            return a;
        });
        out.add(() -> {
            Answer a = raw("header over the limit", ascii("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                    + "b".repeat(20_000) + "\r\n\r\n"), true);
            badRequestOrClosed(a);
            return a;
        });
        out.add(() -> {
            Answer a = raw("bad Content-Length", ascii("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: banana\r\n\r\n"),
                    true);
            badRequestOrClosed(a);
            return a;
        });
        out.add(() -> {
            Answer a = raw("valid request, raw", formPost(ascii("Action=DescribeAvailabilityZones&Version=2016-11-15")),
                    true);
            status(a, 200);
            return a;
        });
        out.add(() -> {
            Answer a = raw("not UTF-8 in the body", formPost(concat(ascii("Action=DescribeAvailabilityZones&X="),
                    new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0})), true);
            noStackTrace(a);
            assertTrue(a.status() == 200 || a.status() == 400, a::toString);
            return a;
        });
        out.add(() -> raw("half a request, then gone", ascii("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n"
                + "Authorization: " + AUTH + "\r\n\r\nAction=Describe"), false));
        out.add(() -> raw("half a request line, then gone", ascii("POST /adm"), false));
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void everyKindOfBadRequestOnceAnswersClearly() {
        List<Answer> answers = new ArrayList<>();
        for (Supplier<Answer> s : batch(new Random(1))) {
            answers.add(s.get());
            stillServes();
        }
        assertTrue(answers.size() > 30, "the batch: " + answers.size());
    }

    @Test
    void theServerSurvivesManyBatchesOfBadRequests() {
        Random random = new Random(42);
        long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        int batches = 0;
        int requests = 0;
        for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
            List<Supplier<Answer>> batch = batch(random);
            java.util.Collections.shuffle(batch, random);
            for (Supplier<Answer> s : batch) {
                s.get();
                requests++;
            }
            stillServes();
            batches++;
        }
        assertTrue(batches >= 5, "only " + batches + " batches in 6 s");
        // the admin and metrics routes still answer too
        Answer metrics = request("GET /metrics", "GET", "/metrics");
        status(metrics, 200);
        Answer world = request("GET /admin/world", "GET", "/admin/world");
        status(world, 200);
        System.out.printf(Locale.ROOT, "MalformedRequestTest: %d batches, %d bad requests%n", batches, requests);
    }
}
