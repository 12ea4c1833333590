package io.plsim.app.load;

import io.netty.buffer.ByteBuf;

/**
 * Finds where each HTTP/1.1 response on a connection begins and ends, and its status code, reading the
 * bytes where they lie: nothing is copied, kept or allocated per response, so measuring a request costs
 * the generator no garbage (Netty's {@code HttpResponseDecoder} builds a response object, its headers and
 * their strings for every answer, and two line buffers for every connection). Of the headers it reads
 * only what frames the body: {@code Content-Length}, {@code Transfer-Encoding: chunked}, and a body that
 * runs to the close when neither is given; {@code 1xx} answers are interim and skipped, {@code 204} and
 * {@code 304} have no body. A response is malformed when its status line is not {@code HTTP/1.x NNN},
 * a length or chunk size is not a number, or its head is longer than {@link #MAX_HEAD} bytes.
 *
 * <p>The state survives any split of the bytes over reads: it moves one byte at a time through what it
 * must read (the status code, the names and values of the framing headers, a chunk's size line) and skips
 * in one step each to its end a line that can frame nothing (a reason phrase, any other header, found
 * so by its first letters) and a body's bytes. One instance per connection at a time,
 * used only on its event loop; {@link #reset} for the next connection. Public for the benchmark of the
 * generator's per-request path ({@code LoadRequestBench}).
 */
public final class HttpResponseFramer {

    /** What the framer finds, as it finds it. */
    public interface Listener {

        /** The first byte of a response arrived; false to stop reading (an answer nobody asked for). */
        boolean begin();

        /** The final (not 1xx) response's head is read: its status code. */
        void status(int code);

        /** The response is complete. */
        void end();

        /** The bytes are no HTTP response; nothing more is read from the connection. */
        void malformed(String why);
    }

    /** The longest status line and headers taken (as nginx's default large buffers, 4 x 8 KiB, and more). */
    static final int MAX_HEAD = 64 * 1024;

    private static final byte[] VERSION = {'H', 'T', 'T', 'P', '/', '1', '.'};
    private static final byte[] CONTENT_LENGTH = lower("content-length");
    private static final byte[] TRANSFER_ENCODING = lower("transfer-encoding");
    private static final byte[] CHUNKED = lower("chunked");
    private static final int CANDIDATE_LENGTH = 1;
    private static final int CANDIDATE_ENCODING = 2;

    private enum State { IDLE, STATUS, HEADER, SKIP_LINE, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, UNTIL_CLOSE, BROKEN }

    private State state = State.IDLE;
    /** Bytes of the current line read so far, or of the whole head for the limit. */
    private int column;
    private int headBytes;
    private int code;
    /** In a header line: before its colon (the name), or its value. */
    private boolean inValue;
    /** Which framing headers the name read so far may still be, a bit each. */
    private int candidates;
    /** The framing header whose value is being read, 0 for any other. */
    private int header;
    private long contentLength;
    private boolean chunked;
    /** Of "chunked" in a Transfer-Encoding value: how many bytes matched in a row. */
    private int matched;
    /** Body or chunk bytes still to skip. */
    private long remaining;
    private boolean sizeDigits;
    private boolean inExtension;
    /** The listener of the {@link #feed} under way, for {@link #headWalk}. */
    private Listener listener;
    /** Reads bytes of the head (or a chunk's size line, or the trailer) until the state leaves them. */
    private final io.netty.util.ByteProcessor headWalk = b -> head(b, listener) && inLines();

    private static byte[] lower(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Ready for a new connection's first response. */
    public void reset() {
        state = State.IDLE;
    }

    /** Whether the response being read has neither a length nor chunks: its connection's close ends it. */
    public boolean endsAtClose() {
        return state == State.UNTIL_CLOSE;
    }

    /** The connection closed: a response whose body runs to the close ({@link #endsAtClose}) ends here. */
    public void endOfInput(Listener l) {
        if (state == State.UNTIL_CLOSE) {
            state = State.IDLE;
            l.end();
        }
    }

    /** Reads what {@code in} holds (all of it, unless the listener stops or the bytes are malformed). */
    public void feed(ByteBuf in, Listener l) {
        while (in.isReadable()) {
            switch (state) {
                case BROKEN -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                case IDLE -> {
                    if (!l.begin()) {
                        return;
                    }
                    state = State.STATUS;
                    column = 0;
                    headBytes = 0;
                    code = 0;
                    contentLength = -1;
                    chunked = false;
                }
                case SKIP_LINE -> skipLine(in, l);
                case BODY, CHUNK_DATA, UNTIL_CLOSE -> {
                    int n = state == State.UNTIL_CLOSE ? in.readableBytes() : (int) Math.min(remaining, in.readableBytes());
                    in.skipBytes(n);
                    remaining -= n;
                    if (state == State.BODY && remaining == 0) {
                        done(l);
                    } else if (state == State.CHUNK_DATA && remaining == 0) {
                        state = State.CHUNK_END;
                        column = 0;
                    }
                }
                default -> {
                    // Netty's byte walk checks the buffer once, not per byte as readByte would.
                    listener = l;
                    int at = in.forEachByte(headWalk);
                    listener = null;
                    in.readerIndex(at < 0 ? in.writerIndex() : at + 1);
                    if (state == State.BROKEN) {
                        return;
                    }
                }
            }
        }
    }

    /** Whether the state reads line by line: a head, a chunk's size line and its end, a trailer. */
    private boolean inLines() {
        return state == State.STATUS || state == State.HEADER || state == State.CHUNK_SIZE
                || state == State.CHUNK_END || state == State.TRAILER;
    }

    /** One byte of a status line, header, chunk size line or trailer; false once malformed. */
    private boolean head(byte b, Listener l) {
        if ((state == State.STATUS || state == State.HEADER || state == State.TRAILER) && ++headBytes > MAX_HEAD) {
            return broken(l, "a response head or trailer longer than " + MAX_HEAD + " bytes");
        }
        switch (state) {
            case STATUS -> {
                if (b == '\n') {
                    if (code < 100) {
                        return broken(l, "a status line that is not HTTP/1.x and a three-digit code");
                    }
                    startLine(State.HEADER);
                    return true;
                }
                if (column < VERSION.length) {
                    if (b != VERSION[column]) {
                        return broken(l, "a response that does not begin with HTTP/1.");
                    }
                } else if (column >= 9 && column <= 11) { // "HTTP/1.1 200": the code's three digits
                    if (b < '0' || b > '9') {
                        return broken(l, "a status code that is not three digits");
                    }
                    code = code * 10 + (b - '0');
                } else if (column == 12) { // the reason phrase (or the line's CR) tells nothing
                    if (code < 100) {
                        return broken(l, "a status line that is not HTTP/1.x and a three-digit code");
                    }
                    state = State.SKIP_LINE;
                    return true;
                }
                column++;
            }
            case HEADER -> headerByte(b, l);
            case CHUNK_SIZE -> {
                return chunkSizeByte(b, l);
            }
            case CHUNK_END -> {
                if (b == '\n') {
                    startLine(State.CHUNK_SIZE);
                    sizeDigits = false;
                    inExtension = false;
                } else if (b != '\r') {
                    return broken(l, "chunk data longer than its size");
                }
            }
            case TRAILER -> {
                if (b == '\n') {
                    if (column == 0) {
                        done(l);
                    } else {
                        column = 0;
                    }
                } else if (b != '\r') {
                    column++;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
        return state != State.BROKEN;
    }

    private void headerByte(byte b, Listener l) {
        if (b == '\n') {
            if (column == 0) {
                endOfHead(l);
            } else if (header == CANDIDATE_LENGTH && contentLength < 0) {
                broken(l, "a Content-Length without a number");
            } else {
                // The last coding must be chunked: "gzip, chunked" is; "chunked, gzip" is not.
                if (header == CANDIDATE_ENCODING) {
                    chunked = matched == CHUNKED.length;
                }
                startLine(State.HEADER);
            }
            return;
        }
        if (b == '\r') {
            return;
        }
        int c = b >= 'A' && b <= 'Z' ? b + 32 : b;
        if (!inValue) {
            if (c == ':') {
                inValue = true;
                header = (candidates & CANDIDATE_LENGTH) != 0 && column == CONTENT_LENGTH.length ? CANDIDATE_LENGTH
                        : (candidates & CANDIDATE_ENCODING) != 0 && column == TRANSFER_ENCODING.length
                        ? CANDIDATE_ENCODING : 0;
                if (header == CANDIDATE_LENGTH) {
                    contentLength = -1; // a second Content-Length counts on its own
                }
                matched = 0;
                if (header == 0) {
                    state = State.SKIP_LINE;
                    return;
                }
            } else {
                if (column >= CONTENT_LENGTH.length || CONTENT_LENGTH[column] != c) {
                    candidates &= ~CANDIDATE_LENGTH;
                }
                if (column >= TRANSFER_ENCODING.length || TRANSFER_ENCODING[column] != c) {
                    candidates &= ~CANDIDATE_ENCODING;
                }
                if (candidates == 0) {
                    state = State.SKIP_LINE;
                    return;
                }
            }
        } else if (header == CANDIDATE_LENGTH) {
            if (c >= '0' && c <= '9') {
                long v = (contentLength < 0 ? 0 : contentLength) * 10 + (c - '0');
                if (v < 0) {
                    broken(l, "a Content-Length too large");
                    return;
                }
                contentLength = v;
            } else if (c != ' ' && c != '\t') {
                broken(l, "a Content-Length that is not a number");
                return;
            }
        } else if (header == CANDIDATE_ENCODING) {
            if (matched < CHUNKED.length && c == CHUNKED[matched]) {
                matched++;
            } else if (c != ' ' && c != '\t') {
                matched = c == CHUNKED[0] ? 1 : 0;
            }
        }
        column++;
    }

    /**
     * The rest of a line that frames nothing, up to and with its LF, in one search; the next line is a
     * header (a status line's end leads to the headers too). Its bytes count toward {@link #MAX_HEAD}.
     */
    private void skipLine(ByteBuf in, Listener l) {
        int from = in.readerIndex();
        int lf = in.indexOf(from, in.writerIndex(), (byte) '\n');
        int n = (lf < 0 ? in.writerIndex() : lf + 1) - from;
        headBytes += n;
        if (headBytes > MAX_HEAD) {
            broken(l, "a response head or trailer longer than " + MAX_HEAD + " bytes");
            return;
        }
        in.skipBytes(n);
        if (lf >= 0) {
            startLine(State.HEADER);
        }
    }

    private void endOfHead(Listener l) {
        if (code < 200) {
            startLine(State.STATUS); // interim: the real response follows
            code = 0;
            return;
        }
        l.status(code);
        if (code == 204 || code == 304) {
            done(l);
        } else if (chunked) {
            startLine(State.CHUNK_SIZE);
            sizeDigits = false;
            inExtension = false;
            remaining = 0;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            if (remaining == 0) {
                done(l);
            } else {
                state = State.BODY;
            }
        } else {
            state = State.UNTIL_CLOSE;
        }
    }

    private boolean chunkSizeByte(byte b, Listener l) {
        if (b == '\n') {
            if (!sizeDigits) {
                return broken(l, "a chunk size that is not a hexadecimal number");
            }
            if (remaining == 0) {
                startLine(State.TRAILER);
                headBytes = 0;
            } else {
                state = State.CHUNK_DATA;
            }
            return true;
        }
        if (inExtension || b == '\r') {
            return true;
        }
        if (b == ';' || b == ' ' || b == '\t') {
            inExtension = true;
            return true;
        }
        int d = Character.digit(b, 16);
        if (d < 0 || remaining > (Long.MAX_VALUE >> 4)) {
            return broken(l, "a chunk size that is not a hexadecimal number");
        }
        remaining = remaining * 16 + d;
        sizeDigits = true;
        return true;
    }

    private void startLine(State next) {
        state = next;
        column = 0;
        inValue = false;
        candidates = CANDIDATE_LENGTH | CANDIDATE_ENCODING;
        header = 0;
    }

    private void done(Listener l) {
        state = State.IDLE;
        l.end();
    }

    private boolean broken(Listener l, String why) {
        state = State.BROKEN;
        l.malformed(why);
        return false;
    }
}
