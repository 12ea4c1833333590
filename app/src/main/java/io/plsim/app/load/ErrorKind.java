package io.plsim.app.load;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;

/** Why a request (or, in bulk mode, a connection) failed. */
public enum ErrorKind {
    CONNECT_REFUSED("connect-refused", "connection refused"),
    CONNECT_TIMEOUT("connect-timeout", "connect timed out"),
    CONNECT_ERROR("connect-error", "connect failed otherwise (e.g. no local port free)"),
    RESET("reset", "connection reset by the peer"),
    CLOSED("closed", "closed by the peer before any byte of the answer"),
    SHORT_READ("short-read", "closed by the peer in the middle of the answer"),
    TIMEOUT("timeout", "no answer within --timeout of the intended send time"),
    BAD_RESPONSE("bad-response", "an answer that is not HTTP"),
    HTTP_4XX("http-4xx", "HTTP status 400-499"),
    HTTP_5XX("http-5xx", "HTTP status 500-599"),
    UNEXPECTED_DATA("unexpected-data", "bytes beyond the expected answer"),
    IO_ERROR("io-error", "another socket error");

    private final String label;
    private final String description;

    ErrorKind(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** The kind of a failed connect attempt. */
    static ErrorKind ofConnect(Throwable t) {
        if (t instanceof ConnectTimeoutException) {
            return CONNECT_TIMEOUT;
        }
        String m = message(t);
        if (m.contains("refused")) {
            return CONNECT_REFUSED;
        }
        if (m.contains("reset")) {
            return RESET;
        }
        return t instanceof ConnectException || t instanceof IOException ? CONNECT_ERROR : IO_ERROR;
    }

    /** The kind of an exception on an established connection. */
    static ErrorKind ofIo(Throwable t) {
        if (t instanceof PrematureChannelClosureException) {
            return SHORT_READ;
        }
        if (t instanceof DecoderException) {
            return BAD_RESPONSE;
        }
        String m = message(t);
        if (m.contains("reset") || m.contains("broken pipe")) {
            return RESET;
        }
        return IO_ERROR;
    }

    private static String message(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null && b.length() < 1000; c = c.getCause()) {
            b.append(c.getMessage()).append(' ');
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
