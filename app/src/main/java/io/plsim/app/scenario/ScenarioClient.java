package io.plsim.app.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * The scenario's built-in client: a payload written and its echo read back within a timeout,
 * either on a new connection ({@link #churn}) or on a long-lived one ({@link LongLived}). Blocking
 * sockets, bounded by the timeout on every step.
 */
final class ScenarioClient {

    /** How a request ended. */
    enum Outcome {
        OK, TIMEOUT, RESET, REFUSED, CLOSED, WRONG_ANSWER, NO_ADDRESS;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One request's end: how, how long it took (to the answer or to the failure), and the client's
     * own address on the connection, by which the data plane's record of where it went is found
     * (null when no connection was made).
     */
    record Result(Outcome outcome, long nanos, InetSocketAddress local) {
    }

    private ScenarioClient() {
    }

    /** A new connection to {@code ip:port}, one request, and the connection closed by reset. */
    static Result churn(String ip, int port, byte[] payload, int timeoutMillis) {
        long start = System.nanoTime();
        InetSocketAddress local = null;
        try (Socket s = new Socket()) {
            s.setSoLinger(true, 0);
            local = bind(s);
            s.connect(new InetSocketAddress(ip, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            return new Result(exchange(s, payload), System.nanoTime() - start, local);
        } catch (IOException e) {
            return new Result(outcomeOf(e), System.nanoTime() - start, local);
        }
    }

    /**
     * A connection kept open across requests, as a pooled client keeps one. A failed request
     * closes it; the next one opens it again, to the address its caller gives then, so a client
     * that picks from DNS afresh follows DNS failover on its next connection.
     */
    static final class LongLived implements AutoCloseable {
        private Socket socket;
        private String ip;
        private InetSocketAddress local;

        /** Whether a connection is open; the next request opens one if not. */
        boolean isOpen() {
            return socket != null;
        }

        /** The interface the open connection goes to, or null. */
        String ip() {
            return ip;
        }

        /** One request on the open connection, or on a new one to {@code ip:port} when none is open. */
        Result request(String newIp, int port, byte[] payload, int timeoutMillis) {
            long start = System.nanoTime();
            try {
                if (socket == null) {
                    Socket s = new Socket();
                    socket = s;
                    ip = newIp;
                    local = null;
                    s.setSoLinger(true, 0);
                    s.setTcpNoDelay(true);
                    local = bind(s);
                    s.connect(new InetSocketAddress(newIp, port), timeoutMillis);
                }
                socket.setSoTimeout(timeoutMillis);
                Outcome o = exchange(socket, payload);
                InetSocketAddress at = local;
                if (o != Outcome.OK) {
                    close();
                }
                return new Result(o, System.nanoTime() - start, at);
            } catch (IOException e) {
                InetSocketAddress at = local;
                close();
                return new Result(outcomeOf(e), System.nanoTime() - start, at);
            }
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a socket that failed: nothing more to release
                }
                socket = null;
            }
        }
    }

    /**
     * Binds before connecting, so that the client's address is known even when the connect itself
     * fails: a data plane that refuses at once resets the connection before {@code connect} returns.
     */
    private static InetSocketAddress bind(Socket s) throws IOException {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    private static Outcome exchange(Socket s, byte[] payload) throws IOException {
        s.getOutputStream().write(payload);
        byte[] answer = new byte[payload.length];
        InputStream in = s.getInputStream();
        int got = 0;
        while (got < answer.length) {
            int n = in.read(answer, got, answer.length - got);
            if (n < 0) {
                return Outcome.CLOSED;
            }
            got += n;
        }
        return Arrays.equals(answer, payload) ? Outcome.OK : Outcome.WRONG_ANSWER;
    }

    private static Outcome outcomeOf(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return Outcome.TIMEOUT;
        }
        if (e instanceof ConnectException) {
            return String.valueOf(e.getMessage()).contains("timed out") ? Outcome.TIMEOUT : Outcome.REFUSED;
        }
        return Outcome.RESET;
    }
}
