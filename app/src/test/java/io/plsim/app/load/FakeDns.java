package io.plsim.app.load;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A DNS server for tests on 127.0.0.1: answers A queries from a fixed table, NXDOMAIN for anything
 * else. Enough to stand in for plsim's own DNS server.
 */
final class FakeDns implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;
    private final Map<String, String> table;

    FakeDns(Map<String, String> table) throws IOException {
        this.table = table;
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        thread = new Thread(this::serve, "fake-dns");
        thread.setDaemon(true);
        thread.start();
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                byte[] answer = answer(ByteBuffer.wrap(buf, 0, p.getLength()));
                socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
            } catch (SocketException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // a malformed query: ignore it
            }
        }
    }

    private byte[] answer(ByteBuffer q) throws IOException {
        short id = q.getShort();
        q.position(12);
        StringBuilder name = new StringBuilder();
        for (int len; (len = q.get() & 0xFF) != 0; ) {
            byte[] label = new byte[len];
            q.get(label);
            name.append(name.length() == 0 ? "" : ".").append(new String(label, java.nio.charset.StandardCharsets.US_ASCII));
        }
        q.getInt(); // type, class
        int questionEnd = q.position();
        String ip = table.get(name.toString().toLowerCase(java.util.Locale.ROOT));
        ByteBuffer out = ByteBuffer.allocate(512);
        out.putShort(id).putShort((short) (ip == null ? 0x8183 : 0x8180)).putShort((short) 1)
                .putShort((short) (ip == null ? 0 : 2)).putShort((short) 0).putShort((short) 0);
        out.put(q.array(), 12, questionEnd - 12);
        if (ip != null) {
            // a CNAME first, to show the client skips it, then the A record
            out.putShort((short) 0xC00C).putShort((short) 5).putShort((short) 1).putInt(60).putShort((short) 2)
                    .putShort((short) 0xC00C);
            out.putShort((short) 0xC00C).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4)
                    .put(InetAddress.getByName(ip).getAddress());
        }
        byte[] b = new byte[out.position()];
        out.flip().get(b);
        return b;
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
