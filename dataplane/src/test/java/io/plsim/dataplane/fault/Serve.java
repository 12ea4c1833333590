package io.plsim.dataplane.fault;

import io.plsim.dataplane.InterfaceListener;
import io.plsim.dataplane.TestTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * What the fault tests' own targets do, and a few measurements on the consumer's side. A target
 * (Proxy Protocol off) reads one line and then:
 * <ul>
 *   <li>{@code send N}: writes N bytes of {@link #pattern}, half-closes, and reads until EOF;</li>
 *   <li>{@code bye}: writes {@code bye\n} and closes at once;</li>
 *   <li>{@code who}: writes its own address as a line, then echoes;</li>
 *   <li>anything else: echoes the line, then every byte after it.</li>
 * </ul>
 * A health check (connect and close) reads EOF before any line and ends quietly.
 */
final class Serve {

    private Serve() {
    }

    static final TestTarget.Behaviour BEHAVIOUR = (s, t) -> {
        s.setTcpNoDelay(true);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            first.write(c);
        }
        if (c < 0) {
            return;
        }
        String line = first.toString(StandardCharsets.UTF_8);
        byte[] buf = new byte[16384];
        if (line.startsWith("send ")) {
            long n = Long.parseLong(line.substring(5).trim());
            for (long sent = 0; sent < n; ) {
                int k = (int) Math.min(buf.length, n - sent);
                for (int i = 0; i < k; i++) {
                    buf[i] = pattern(sent + i);
                }
                out.write(buf, 0, k);
                sent += k;
            }
            out.flush();
            s.shutdownOutput();
            while (in.read(buf) >= 0) {
                // until the peer closes
            }
            return;
        }
        if (line.equals("bye")) {
            out.write("bye\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return;
        }
        String answer = line.equals("who") ? t.address() : line;
        out.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            out.flush();
        }
        s.shutdownOutput();
    };

    /** The byte at position {@code i} of a {@code send N} answer. */
    static byte pattern(long i) {
        return (byte) (i * 31 + 7);
    }

    static Socket connect(InterfaceListener l, int readTimeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(l.ip(), l.port()), 2000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(readTimeoutMillis);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    static void writeLine(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    /** Reads a line byte by byte (nothing read ahead), or fails on EOF. */
    static String readLine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("EOF after \"" + b.toString(StandardCharsets.UTF_8) + "\"");
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** What a probe saw: an answer, a reset, an orderly close, or nothing in time. */
    enum Seen { ANSWERED, RESET, EOF, SILENT }

    /**
     * Connects, sends {@code probe}, and reads its echo within {@code readTimeoutMillis}; closes with
     * a reset, so that a connection held silent does not linger half-closed.
     */
    static Seen probe(String ip, int port, int readTimeoutMillis) {
        try (Socket s = new Socket()) {
            s.setSoLinger(true, 0);
            s.connect(new InetSocketAddress(ip, port), 2000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(readTimeoutMillis);
            writeLine(s, "probe");
            String back = readLine(s);
            if (!back.equals("probe")) {
                throw new AssertionError("probe of " + ip + ":" + port + " came back as " + back);
            }
            return Seen.ANSWERED;
        } catch (SocketTimeoutException e) {
            return Seen.SILENT;
        } catch (SocketException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("reset") || m.contains("Broken pipe")) {
                return Seen.RESET;
            }
            throw new AssertionError("probe of " + ip + ":" + port + ": " + e, e);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).startsWith("EOF")) {
                return Seen.EOF;
            }
            throw new AssertionError("probe of " + ip + ":" + port + ": " + e, e);
        }
    }

    /** How a connection ended, and after how long. */
    enum End { EOF, RESET, SILENT }

    /** Reads until the connection ends or {@code timeoutMillis} pass; counts what arrived. */
    static final class Drain {
        End end;
        long bytes;
        long endNanos;

        static Drain of(Socket s, long timeoutMillis) throws IOException {
            Drain d = new Drain();
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            byte[] sink = new byte[65536];
            InputStream in = s.getInputStream();
            try {
                while (true) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        d.end = End.SILENT;
                        break;
                    }
                    s.setSoTimeout((int) left);
                    int n = in.read(sink);
                    if (n < 0) {
                        d.end = End.EOF;
                        break;
                    }
                    d.bytes += n;
                }
            } catch (SocketTimeoutException e) {
                d.end = End.SILENT;
            } catch (SocketException e) {
                if (!String.valueOf(e.getMessage()).contains("reset")) {
                    throw e;
                }
                d.end = End.RESET;
            }
            d.endNanos = System.nanoTime();
            return d;
        }
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000L;
    }
}
