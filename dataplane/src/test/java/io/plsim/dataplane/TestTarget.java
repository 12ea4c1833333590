package io.plsim.dataplane;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A target the test runs itself on {@code 127.0.0.1}, with plain blocking sockets and a thread per
 * connection: configured in a world as {@code address: "127.0.0.1:<port>"}. It can stop listening
 * while keeping its open connections (so health checks fail but flows live on), and listen again on
 * the same port.
 *
 * <p>Connections that carry data are told apart from health checks (which connect and close, or
 * send only a LOCAL proxy header): the first line of each data connection is recorded.
 */
public final class TestTarget implements AutoCloseable {

    /** What the target does with one accepted connection; runs on the connection's own thread. */
    @FunctionalInterface
    public interface Behaviour {
        void serve(Socket s, TestTarget target) throws IOException;
    }

    /** Writes back every byte; half-closes its output once the peer half-closed. */
    public static final Behaviour ECHO = (s, t) -> {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[16384];
        ByteArrayOutputStream firstLine = new ByteArrayOutputStream();
        boolean lineDone = false;
        for (int n; (n = in.read(buf)) >= 0; ) {
            if (!lineDone) {
                for (int i = 0; i < n && !lineDone; i++) {
                    if (buf[i] == '\n' || firstLine.size() >= 200) {
                        lineDone = true;
                        t.lines.add(firstLine.toString(StandardCharsets.UTF_8));
                    } else {
                        firstLine.write(buf[i]);
                    }
                }
            }
            out.write(buf, 0, n);
            out.flush();
        }
        s.shutdownOutput();
    };

    /** Reads {@code request} bytes, answers {@code response} bytes, and half-closes. */
    public static Behaviour answering(int request, int response) {
        return (s, t) -> {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            for (int got = 0, n; got < request && (n = in.read(buf, 0, Math.min(buf.length, request - got))) >= 0; ) {
                got += n;
            }
            s.getOutputStream().write(new byte[response]);
            s.getOutputStream().flush();
            s.shutdownOutput();
        };
    }

    private final Behaviour behaviour;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    final Set<String> lines = ConcurrentHashMap.newKeySet();
    private volatile int port;
    private volatile ServerSocket server;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();

    private TestTarget(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    public static TestTarget echo() {
        return start(ECHO);
    }

    /** Starts listening on a free port of 127.0.0.1. */
    public static TestTarget start(Behaviour behaviour) {
        TestTarget t = new TestTarget(behaviour);
        t.listen(0);
        return t;
    }

    private void listen(int onPort) {
        try {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress("127.0.0.1", onPort), 256);
            port = ss.getLocalPort();
            server = ss;
            Thread acceptor = new Thread(() -> acceptLoop(ss), "test-target-accept-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + onPort, e);
        }
    }

    private void acceptLoop(ServerSocket ss) {
        while (!ss.isClosed()) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            open.add(s);
            Thread worker = new Thread(() -> serveOne(s), "test-target-" + port);
            worker.setDaemon(true);
            worker.start();
        }
    }

    private void serveOne(Socket s) {
        try (s) {
            behaviour.serve(s, this);
        } catch (SocketException e) {
            // reset by the data plane: an ordinary ending here
        } catch (IOException e) {
            // the same for any other I/O failure of one connection
        } finally {
            open.remove(s);
        }
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The first line of every data connection so far. */
    public Set<String> lines() {
        return Set.copyOf(lines);
    }

    public boolean saw(String line) {
        return lines.contains(line);
    }

    /** Connections accepted so far, health checks included: a check that connects is one more. */
    public long accepted() {
        return accepted.get();
    }

    /** Connections open now (health checks included, while they last). */
    public int openConnections() {
        return open.size();
    }

    /** Stops accepting: the port refuses connections, open connections stay. */
    public void stopListening() {
        ServerSocket ss = server;
        if (ss != null) {
            try {
                ss.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** Listens again on the same port. */
    public void listenAgain() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        listen(port);
    }

    /** Stops listening and closes every open connection. */
    @Override
    public void close() {
        closed = true;
        stopListening();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
