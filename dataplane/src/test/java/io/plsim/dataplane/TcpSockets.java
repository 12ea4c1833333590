package io.plsim.dataplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The kernel's table of TCP sockets, as Linux shows it in {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}, for tests that count what a server leaves open: the socket of a
 * connection whose peer has closed but whose own side has not stays there in {@code CLOSE_WAIT},
 * holding a descriptor, until the process closes it. An IPv4 address on a dual-stack socket
 * ({@code ::ffff:a.b.c.d}) is read as the IPv4 address.
 */
public final class TcpSockets {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private TcpSockets() {
    }

    /** The kernel's states, by the number the table shows (include/net/tcp_states.h). */
    public enum State {
        ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN,
        CLOSING, NEW_SYN_RECV;

        static State of(int number) {
            return values()[number - 1];
        }
    }

    /** One row of the table. */
    public record Socket(InetSocketAddress local, InetSocketAddress remote, State state) {
    }

    /** Whether this system has the table (Linux). */
    public static boolean readable() {
        return Files.isReadable(TABLES.get(0));
    }

    /** Every TCP socket of this network namespace. */
    public static List<Socket> all() {
        List<Socket> out = new ArrayList<>();
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + table, e);
            }
            for (String line : lines.subList(1, lines.size())) {
                // "sl local_address rem_address st ...": "0: 0100007F:1F90 0100007F:C350 01 ..."
                String[] f = line.trim().split("\\s+");
                out.add(new Socket(address(f[1]), address(f[2]), State.of(Integer.parseInt(f[3], 16))));
            }
        }
        return out;
    }

    /** How many sockets match. */
    public static long count(Predicate<Socket> which) {
        return all().stream().filter(which).count();
    }

    /**
     * Connections accepted at {@code server} that its side has not closed yet: {@code ESTABLISHED},
     * or {@code CLOSE_WAIT} once the peer has closed its own.
     */
    public static long notClosedAt(InetSocketAddress server) {
        return count(s -> s.local().equals(server) && (s.state() == State.ESTABLISHED || s.state() == State.CLOSE_WAIT));
    }

    /** {@code hex:port} with the address as the kernel prints it: 32-bit words, each in the host's byte order. */
    private static InetSocketAddress address(String field) {
        int colon = field.indexOf(':');
        String hex = field.substring(0, colon);
        ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2);
        for (int i = 0; i < hex.length(); i += 8) {
            int word = Integer.parseUnsignedInt(hex.substring(i, i + 8), 16);
            bytes.putInt(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(word) : word);
        }
        try {
            // A v4-mapped IPv6 address comes back as the Inet4Address.
            return new InetSocketAddress(InetAddress.getByAddress(bytes.array()),
                    Integer.parseInt(field.substring(colon + 1), 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an address in the kernel's TCP table: " + field, e);
        }
    }
}
