package io.plsim.dataplane;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A consumer on a plain blocking socket, every call bounded by a timeout. Knows how a connection
 * ended: reset, orderly close (EOF), or still open.
 */
public final class TestClient implements AutoCloseable {

    public static final int CONNECT_TIMEOUT_MILLIS = 2000;
    public static final int READ_TIMEOUT_MILLIS = 3000;

    /** What became of a connection attempt or an open connection. */
    public enum Outcome {
        /** The connect itself was refused: nothing listens. */
        REFUSED,
        /** A TCP reset. */
        RESET,
        /** An orderly close (FIN) with no data. */
        EOF,
        /** Nothing came back before the read timeout, and the connection is still open. */
        SILENT,
        /** Data came back. */
        ANSWERED
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private TestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static TestClient connect(InterfaceListener l) {
        return connect(l.ip(), l.port());
    }

    public static TestClient connect(String ip, int port) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(ip, port), CONNECT_TIMEOUT_MILLIS);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            return new TestClient(s);
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("connect to " + ip + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Takes over a socket connected elsewhere. */
    public static TestClient wrap(Socket s) {
        try {
            return new TestClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects, sends a line, reads once: what came back, or how the attempt failed. */
    public static Outcome probe(InterfaceListener l, Duration readTimeout) {
        try (Socket s = new Socket()) {
            try {
                s.connect(new InetSocketAddress(l.ip(), l.port()), CONNECT_TIMEOUT_MILLIS);
            } catch (ConnectException e) {
                return Outcome.REFUSED;
            }
            s.setSoTimeout((int) readTimeout.toMillis());
            try {
                s.getOutputStream().write("probe\n".getBytes(StandardCharsets.US_ASCII));
                return s.getInputStream().read() < 0 ? Outcome.EOF : Outcome.ANSWERED;
            } catch (SocketTimeoutException e) {
                return Outcome.SILENT;
            } catch (IOException e) {
                return classify(e);
            }
        } catch (IOException e) {
            return classify(e);
        }
    }

    static Outcome classify(IOException e) {
        if (e instanceof ConnectException) {
            return Outcome.REFUSED;
        }
        String m = String.valueOf(e.getMessage());
        if (e instanceof SocketException && (m.contains("reset") || m.contains("Broken pipe"))) {
            return Outcome.RESET;
        }
        throw new UncheckedIOException("unexpected failure: " + e, e);
    }

    public Socket socket() {
        return socket;
    }

    /** This end's address as the target should see it in the proxy header: {@code ip:port}. */
    public String localAddress() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void writeLine(String line) throws IOException {
        write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Reads up to and without the next newline; fails on EOF before it. */
    public String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("EOF after \"" + b.toString(StandardCharsets.UTF_8) + "\"");
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Sends a line and reads a line back. */
    public String roundTrip(String line) throws IOException {
        writeLine(line);
        return readLine();
    }

    public int read(byte[] buffer, int offset, int length) throws IOException {
        return in.read(buffer, offset, length);
    }

    /** Sends {@code bytes} zero bytes, then reads until the other side's end: answers how many came. */
    public long sendAndReadToEnd(int bytes) throws IOException {
        write(new byte[bytes]);
        byte[] buf = new byte[8192];
        long got = 0;
        for (int n; (n = read(buf, 0, buf.length)) >= 0; ) {
            got += n;
        }
        return got;
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /**
     * Waits up to {@code timeout} for the connection to end and says how: {@link Outcome#RESET},
     * {@link Outcome#EOF} (after any data), or {@link Outcome#SILENT} when it is still open.
     */
    public Outcome awaitEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            byte[] sink = new byte[8192];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return Outcome.SILENT;
                }
                socket.setSoTimeout((int) left);
                if (in.read(sink) < 0) {
                    return Outcome.EOF;
                }
            }
        } catch (SocketTimeoutException e) {
            return Outcome.SILENT;
        } catch (IOException e) {
            return classify(e);
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a socket the peer reset
        }
    }

    /** A string field of a pp2-inspect JSON line. */
    public static String jsonField(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no string field " + name + " in " + json);
        }
        return m.group(1);
    }
}
