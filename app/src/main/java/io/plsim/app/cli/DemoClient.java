package io.plsim.app.cli;

import io.plsim.dataplane.InterfaceListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The consumer of {@code plsim demo}: plain blocking sockets, every call bounded by a timeout. */
final class DemoClient {

    private static final int TIMEOUT_MILLIS = 3000;

    private DemoClient() {
    }

    /** Connects, sends a line, and says what came back: answered, reset, closed or silent. */
    static String probe(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            try {
                s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
                int b = s.getInputStream().read();
                return b < 0 ? "closed" : "answered";
            } catch (SocketTimeoutException e) {
                return "silent";
            } catch (SocketException e) {
                return isReset(e) ? "reset" : "failed: " + e.getMessage();
            }
        } catch (IOException e) {
            return isReset(e) ? "reset" : "failed: " + e.getMessage();
        }
    }

    private static boolean isReset(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("reset") || m.contains("Broken pipe") || m.contains("Connection refused");
    }

    /** What a pp2-inspect target answered to one line: its JSON line, then the echo. */
    record Exchange(String json, String echo, String clientAddress) {
        private static final Pattern FIELD = Pattern.compile("\"([A-Za-z0-9]+)\":\"([^\"]*)\"");

        String field(String name) {
            Matcher m = FIELD.matcher(json);
            while (m.find()) {
                if (m.group(1).equals(name)) {
                    return m.group(2);
                }
            }
            return "";
        }
    }

    static Exchange exchange(String ip, int port, String line) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String json = String.valueOf(in.readLine());
            String echo = String.valueOf(in.readLine());
            return new Exchange(json, echo, s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException("exchange with " + ip + ":" + port + " failed: " + e.getMessage(), e);
        }
    }

    /** A connection kept open after one round trip. */
    static Held hold(InterfaceListener l) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(l.ip(), l.port()), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream o = s.getOutputStream();
            o.write("hold\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            in.readLine();
            in.readLine();
            return new Held(s, in);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one to report
            }
            throw new UncheckedIOException("could not open a connection through " + l.address(), e);
        }
    }

    record Held(Socket socket, BufferedReader in) {
        String localAddress() {
            return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
        }

        /** Waits, up to the deadline, for the connection to end, and says how it ended. */
        String awaitEnd(Duration deadline) {
            try {
                socket.setSoTimeout((int) deadline.toMillis());
                int b = socket.getInputStream().read();
                return b < 0 ? "closed" : "still open (data)";
            } catch (SocketTimeoutException e) {
                return "still open";
            } catch (IOException e) {
                return isReset(e) ? "reset" : "failed: " + e.getMessage();
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket that the peer reset
            }
        }
    }
}
