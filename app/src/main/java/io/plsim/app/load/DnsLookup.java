package io.plsim.app.load;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A tiny DNS client: one UDP query for the A record of a name, asked of one server (plsim's own
 * DNS server on loopback), with a few retries. It reads the answer section for the first A record
 * (skipping CNAMEs and anything else), and reports NXDOMAIN and other response codes by name.
 * Used once per run, to resolve the target, so it is plain blocking code.
 */
public final class DnsLookup {

    private static final int TYPE_A = 1;
    private static final int CLASS_IN = 1;
    private static final int ATTEMPTS = 3;

    private DnsLookup() {
    }

    /** Why a name could not be resolved. */
    public static final class DnsException extends Exception {
        public DnsException(String message) {
            super(message);
        }
    }

    /**
     * The first IPv4 address the server answers for {@code name}.
     *
     * @param timeout for the whole lookup, split across {@value #ATTEMPTS} attempts
     */
    public static Inet4Address resolveA(String name, InetSocketAddress server, Duration timeout) throws DnsException {
        return resolveAll(name, server, timeout).get(0);
    }

    /**
     * Every IPv4 address the server answers for {@code name}, in the order of the answer.
     *
     * @param timeout for the whole lookup, split across {@value #ATTEMPTS} attempts
     */
    public static java.util.List<Inet4Address> resolveAll(String name, InetSocketAddress server, Duration timeout)
            throws DnsException {
        byte[] query;
        int id = ThreadLocalRandom.current().nextInt(1 << 16);
        try {
            query = query(id, name);
        } catch (IllegalArgumentException e) {
            throw new DnsException(e.getMessage());
        }
        int perAttempt = (int) Math.max(100, timeout.toMillis() / ATTEMPTS);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(perAttempt);
            byte[] buf = new byte[4096];
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                socket.send(new DatagramPacket(query, query.length, server));
                long deadline = System.nanoTime() + perAttempt * 1_000_000L;
                while (true) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    if (p.getLength() >= 2 && ((buf[0] & 0xFF) << 8 | (buf[1] & 0xFF)) == id) {
                        return parse(ByteBuffer.wrap(buf, 0, p.getLength()), name);
                    }
                    // A stray or late answer to another query: keep waiting for ours.
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) left);
                }
                socket.setSoTimeout(perAttempt);
            }
        } catch (IOException e) {
            throw new DnsException("cannot query " + server.getAddress().getHostAddress() + ":" + server.getPort()
                    + ": " + e.getMessage());
        }
        throw new DnsException("no answer from " + server.getAddress().getHostAddress() + ":" + server.getPort()
                + " within " + timeout.toMillis() + " ms");
    }

    static byte[] query(int id, String name) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) id);
        b.putShort((short) 0x0100); // standard query, recursion desired
        b.putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() > 253) {
            throw new IllegalArgumentException("not a DNS name: " + name);
        }
        for (String label : n.split("\\.", -1)) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            if (l.length == 0 || l.length > 63) {
                throw new IllegalArgumentException("not a DNS name: " + name);
            }
            b.put((byte) l.length).put(l);
        }
        b.put((byte) 0).putShort((short) TYPE_A).putShort((short) CLASS_IN);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    static java.util.List<Inet4Address> parse(ByteBuffer b, String name) throws DnsException {
        java.util.List<Inet4Address> found = new java.util.ArrayList<>();
        try {
            b.getShort(); // id
            int flags = b.getShort() & 0xFFFF;
            int qd = b.getShort() & 0xFFFF;
            int an = b.getShort() & 0xFFFF;
            b.getShort();
            b.getShort();
            if ((flags & 0x8000) == 0) {
                throw new DnsException("the server sent a query, not a response");
            }
            int rcode = flags & 0xF;
            if (rcode != 0) {
                throw new DnsException(name + ": " + rcodeName(rcode));
            }
            for (int i = 0; i < qd; i++) {
                skipName(b);
                b.getInt(); // type, class
            }
            for (int i = 0; i < an; i++) {
                skipName(b);
                int type = b.getShort() & 0xFFFF;
                int cls = b.getShort() & 0xFFFF;
                b.getInt(); // ttl
                int len = b.getShort() & 0xFFFF;
                if (type == TYPE_A && cls == CLASS_IN && len == 4) {
                    byte[] a = new byte[4];
                    b.get(a);
                    found.add((Inet4Address) InetAddress.getByAddress(a));
                } else {
                    b.position(b.position() + len);
                }
            }
        } catch (RuntimeException | IOException e) {
            throw new DnsException(name + ": malformed DNS response (" + e.getClass().getSimpleName() + ")");
        }
        if (found.isEmpty()) {
            throw new DnsException(name + ": no A record in the answer");
        }
        return found;
    }

    private static void skipName(ByteBuffer b) {
        while (true) {
            int len = b.get() & 0xFF;
            if (len == 0) {
                return;
            }
            if ((len & 0xC0) == 0xC0) {
                b.get();
                return;
            }
            b.position(b.position() + len);
        }
    }

    private static String rcodeName(int rcode) {
        return switch (rcode) {
            case 1 -> "FORMERR (the server could not read the query)";
            case 2 -> "SERVFAIL";
            case 3 -> "NXDOMAIN (no such name)";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            default -> "response code " + rcode;
        };
    }
}
