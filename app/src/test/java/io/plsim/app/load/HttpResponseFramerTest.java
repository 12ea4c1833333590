package io.plsim.app.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where {@link HttpResponseFramer} finds responses to begin and end, whatever way their bytes are split
 * over reads: each case is fed whole, one byte at a time, and cut at every place in two.
 */
class HttpResponseFramerTest {

    /** The events, as text: "begin", "status 200", "end", "malformed: ..."; or only the count of ends. */
    private static final class Events implements HttpResponseFramer.Listener {
        final List<String> seen = new ArrayList<>();
        final boolean record;
        int ends;

        Events(boolean record) {
            this.record = record;
        }

        Events() {
            this(true);
        }

        @Override
        public boolean begin() {
            if (record) {
                seen.add("begin");
            }
            return true;
        }

        @Override
        public void status(int code) {
            if (record) {
                seen.add("status " + code);
            }
        }

        @Override
        public void end() {
            ends++;
            if (record) {
                seen.add("end");
            }
        }

        @Override
        public void malformed(String why) {
            seen.add("malformed: " + why);
        }
    }

    private static List<String> feed(String bytes, int... cuts) {
        byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
        HttpResponseFramer f = new HttpResponseFramer();
        Events e = new Events();
        int from = 0;
        for (int to : cuts) {
            feedPart(f, e, b, from, to);
            from = to;
        }
        feedPart(f, e, b, from, b.length);
        if (f.endsAtClose()) {
            f.endOfInput(e);
            e.seen.add("closed");
        }
        return e.seen;
    }

    private static void feedPart(HttpResponseFramer f, Events e, byte[] b, int from, int to) {
        ByteBuf part = Unpooled.wrappedBuffer(b, from, to - from);
        f.feed(part, e);
        part.release();
    }

    /** The same events whole, byte by byte, and cut in two at every place. */
    private static void assertFramed(List<String> expected, String bytes) {
        assertEquals(expected, feed(bytes), "whole");
        int n = bytes.length();
        int[] every = new int[Math.max(0, n - 1)];
        for (int i = 1; i < n; i++) {
            every[i - 1] = i;
        }
        assertEquals(expected, feed(bytes, every), "one byte at a time");
        for (int i = 1; i < n; i++) {
            assertEquals(expected, feed(bytes, i), "cut at " + i);
        }
    }

    @Test
    void aLengthEndsTheBodyAndTheNextResponseFollows() {
        String nginx = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
                + "Connection: keep-alive\r\n\r\nok\n";
        assertFramed(List.of("begin", "status 200", "end", "begin", "status 404", "end"),
                nginx + "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
        assertFramed(List.of("begin", "status 200", "end"), "HTTP/1.0 200 OK\nCONTENT-LENGTH:   5\n\nhello");
    }

    @Test
    void onlyAWholeFramingHeaderNameFramesTheBody() {
        // Lines that only begin like Content-Length or Transfer-Encoding, or carry one in their value, are
        // skipped to their end; the real Content-Length after them still counts.
        assertFramed(List.of("begin", "status 200", "end", "begin", "status 200", "end"),
                "HTTP/1.1 200 Content-Length: 7\r\nContent-Lengthy: 9\r\nContent-Lengt: 8\r\n"
                        + "X-Note: Transfer-Encoding: chunked\r\nTransfer-Encodings: chunked\r\nContent-Length: 2\r\n\r\nok"
                        + "HTTP/1.1 200\r\nContent-Length: 1\r\n\r\n!");
    }

    @Test
    void chunksWithExtensionsAndTrailersEndAtTheLastChunk() {
        assertFramed(List.of("begin", "status 200", "end", "begin", "status 503", "end"),
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                        + "5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n"
                        + "HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    }

    @Test
    void interimAnswersAreSkippedAndSomeStatusesHaveNoBody() {
        assertFramed(List.of("begin", "status 204", "end", "begin", "status 304", "end"),
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n"
                        + "HTTP/1.1 304 Not Modified\r\n\r\n");
    }

    @Test
    void aBodyWithoutLengthOrChunksEndsWithTheConnection() {
        assertFramed(List.of("begin", "status 200", "end", "closed"),
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nall of this until the close");
    }

    @Test
    void bytesThatAreNoResponseAreMalformedAndNothingMoreIsRead() {
        assertEquals(List.of("begin", "malformed: a response that does not begin with HTTP/1."),
                feed("SSH-2.0-OpenSSH\r\n\r\n"));
        assertEquals(List.of("begin", "malformed: a status code that is not three digits"),
                feed("HTTP/1.1 2x0 OK\r\n\r\n"));
        assertEquals(List.of("begin", "malformed: a status line that is not HTTP/1.x and a three-digit code"),
                feed("HTTP/1.1 20\n\n"));
        assertEquals(List.of("begin", "malformed: a Content-Length that is not a number"),
                feed("HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\nHTTP/1.1 200 OK\r\n"));
        assertEquals(List.of("begin", "malformed: a Content-Length without a number"),
                feed("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n"));
        assertEquals(List.of("begin", "malformed: a Content-Length too large"),
                feed("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"));
        assertEquals(List.of("begin", "status 200", "malformed: a chunk size that is not a hexadecimal number"),
                feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
        assertEquals(List.of("begin", "status 200", "malformed: chunk data longer than its size"),
                feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n"));
        String huge = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(HttpResponseFramer.MAX_HEAD) + "\r\n\r\n";
        assertEquals(List.of("begin", "malformed: a response head or trailer longer than 65536 bytes"), feed(huge));
    }

    @Test
    void framingAnAnswerAllocatesNothing() {
        byte[] b = ("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 3\r\nTransfer-Encoding: identity\r\n\r\nok\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nok\n\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuf in = Unpooled.wrappedBuffer(b);
        HttpResponseFramer f = new HttpResponseFramer();
        Events quiet = new Events(false);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) {
            in.readerIndex(0);
            f.feed(in, quiet);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        in.release();
        assertEquals(2 * rounds, quiet.ends);
        assertTrue(quiet.seen.isEmpty(), quiet.seen::toString);
        assertTrue(allocated < rounds, allocated + " bytes allocated framing " + 2 * rounds + " answers");
    }
}
