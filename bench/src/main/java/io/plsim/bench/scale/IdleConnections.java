package io.plsim.bench.scale;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Many idle connections through one endpoint: the memory a plsim process needs to hold them, and
 * whether every one still works after the wait. Two roles, run as two processes so that each
 * stays within the machine's limit of open files:
 *
 * <pre>
 *   IdleConnections echo PORT                         an echo target on 127.0.0.1:PORT
 *   IdleConnections hold HOST:PORT COUNT SECONDS PID  opens COUNT connections, holds them, checks them
 * </pre>
 *
 * {@code hold} samples the resident memory (VmRSS) of process PID while the connections are idle
 * and prints the highest figure, then sends one byte on every connection and counts the echoes.
 */
public final class IdleConnections {

    private IdleConnections() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("echo")) {
            echo(Integer.parseInt(args[1]));
        } else if (args.length == 5 && args[0].equals("hold")) {
            String[] hp = args[1].split(":");
            System.exit(hold(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), Long.parseLong(args[4])));
        } else {
            System.err.println("usage: IdleConnections echo PORT | hold HOST:PORT COUNT SECONDS PID");
            System.exit(2);
        }
    }

    /** A single-threaded NIO echo server; runs until killed. */
    static void echo(int port) throws IOException {
        try (Selector sel = Selector.open(); ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
            server.configureBlocking(false);
            server.register(sel, SelectionKey.OP_ACCEPT);
            ByteBuffer buf = ByteBuffer.allocateDirect(4096);
            while (true) {
                sel.select();
                for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.isAcceptable()) {
                        SocketChannel c;
                        while ((c = server.accept()) != null) {
                            c.configureBlocking(false);
                            c.register(sel, SelectionKey.OP_READ);
                        }
                    } else if (k.isReadable()) {
                        SocketChannel c = (SocketChannel) k.channel();
                        buf.clear();
                        int n;
                        try {
                            n = c.read(buf);
                        } catch (IOException e) {
                            n = -1;
                        }
                        if (n < 0) {
                            k.cancel();
                            c.close();
                        } else {
                            buf.flip();
                            c.write(buf);
                        }
                    }
                }
            }
        }
    }

    static int hold(InetSocketAddress to, int count, int seconds, long pid) throws Exception {
        List<SocketChannel> conns = new ArrayList<>(count);
        long start = System.nanoTime();
        try (Selector sel = Selector.open()) {
            for (int i = 0; i < count; i++) {
                SocketChannel c = SocketChannel.open();
                c.setOption(StandardSocketOptions.SO_LINGER, 0);
                c.configureBlocking(false);
                c.connect(to);
                c.register(sel, SelectionKey.OP_CONNECT);
                conns.add(c);
                if (i % 500 == 499) {
                    finishConnects(sel, 5_000);
                }
            }
            int connected = finishConnects(sel, 30_000);
            System.out.printf("opened %d of %d connections to %s in %.1f s%n", connected, count, to,
                    (System.nanoTime() - start) / 1e9);
            long peak = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                long rss = rssKib(pid);
                peak = Math.max(peak, rss);
                System.out.printf("  idle, plsim resident memory %.1f MiB%n", rss / 1024.0);
                TimeUnit.SECONDS.sleep(Math.min(10, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()))));
            }
            int working = checkAll(conns, 60_000);
            System.out.printf("held %d connections for %d s; peak plsim resident memory %.1f MiB; %d of %d still"
                    + " echo after the wait%n", connected, seconds, peak / 1024.0, working, count);
            return working == count ? 0 : 1;
        } finally {
            for (SocketChannel c : conns) {
                c.close();
            }
        }
    }

    private static int finishConnects(Selector sel, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int done = 0;
        while (System.nanoTime() < deadline && sel.keys().stream().anyMatch(k -> k.isValid()
                && (k.interestOps() & SelectionKey.OP_CONNECT) != 0)) {
            sel.select(100);
            for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                if (k.isConnectable()) {
                    try {
                        if (((SocketChannel) k.channel()).finishConnect()) {
                            k.interestOps(0);
                        }
                    } catch (IOException e) {
                        k.cancel();
                    }
                }
            }
        }
        for (SelectionKey k : sel.keys()) {
            if (k.isValid() && k.interestOps() == 0 && ((SocketChannel) k.channel()).isConnected()) {
                done++;
            }
        }
        return done;
    }

    /** Sends one byte on every connection and counts the ones whose echo comes back in time. */
    private static int checkAll(List<SocketChannel> conns, long timeoutMillis) throws IOException {
        int ok = 0;
        try (Selector sel = Selector.open()) {
            ByteBuffer one = ByteBuffer.allocate(1);
            for (SocketChannel c : conns) {
                if (!c.isConnected()) {
                    continue;
                }
                one.clear();
                one.put((byte) 42).flip();
                try {
                    c.write(one);
                    c.register(sel, SelectionKey.OP_READ);
                } catch (IOException e) {
                    // counted as not working
                }
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            ByteBuffer in = ByteBuffer.allocate(16);
            while (System.nanoTime() < deadline && !sel.keys().isEmpty()) {
                sel.select(100);
                for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    in.clear();
                    int n;
                    try {
                        n = ((SocketChannel) k.channel()).read(in);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n > 0 && in.get(0) == 42) {
                        ok++;
                    }
                    k.cancel();
                }
                sel.selectNow();
            }
        }
        return ok;
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
