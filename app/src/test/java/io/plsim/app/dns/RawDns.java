package io.plsim.app.dns;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A DNS client of a few lines on plain JDK sockets, independent of Netty's codec: builds queries
 * byte by byte and parses answers (without name compression, which the server does not use, but
 * following pointers all the same).
 */
final class RawDns {

    static final int A = 1;
    static final int NS = 2;
    static final int SOA = 6;
    static final int AAAA = 28;
    static final int OPT = 41;
    static final int ANY = 255;
    static final int AXFR = 252;

    static final int NOERROR = 0;
    static final int FORMERR = 1;
    static final int SERVFAIL = 2;
    static final int NXDOMAIN = 3;
    static final int NOTIMP = 4;
    static final int REFUSED = 5;

    private RawDns() {
    }

    /** A resource record as parsed. */
    record Rr(String name, int type, int dnsClass, long ttl, byte[] rdata) {
        /** The dotted IPv4 address of an A record. */
        String ipv4() {
            if (rdata.length != 4) {
                throw new AssertionError("not 4 bytes of A rdata: " + Arrays.toString(rdata));
            }
            return (rdata[0] & 0xff) + "." + (rdata[1] & 0xff) + "." + (rdata[2] & 0xff) + "." + (rdata[3] & 0xff);
        }
    }

    /** A question as parsed. */
    record Question(String name, int type, int dnsClass) {
    }

    /** A whole message as parsed. */
    record Message(int id, int flags, List<Question> questions, List<Rr> answers, List<Rr> authority,
                   List<Rr> additional, int size) {
        boolean response() {
            return (flags & 0x8000) != 0;
        }

        int opCode() {
            return (flags >> 11) & 0xf;
        }

        boolean authoritative() {
            return (flags & 0x0400) != 0;
        }

        boolean truncated() {
            return (flags & 0x0200) != 0;
        }

        boolean recursionDesired() {
            return (flags & 0x0100) != 0;
        }

        int rcode() {
            return flags & 0xf;
        }

        List<String> ips() {
            return answers.stream().filter(r -> r.type() == A).map(Rr::ipv4).toList();
        }
    }

    // ---------------------------------------------------------------- building

    /** A standard query (RD set) for one name and type, class IN, with an EDNS OPT record when payload > 0. */
    static byte[] query(int id, String name, int type, int ednsPayload) {
        return message(id, 0x0100, List.of(new Question(name, type, 1)), ednsPayload);
    }

    static byte[] query(int id, String name, int type) {
        return query(id, name, type, 0);
    }

    /** A message with the given header flags, questions and optional OPT record. */
    static byte[] message(int id, int flags, List<Question> questions, int ednsPayload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeShort(out, id);
        writeShort(out, flags);
        writeShort(out, questions.size());
        writeShort(out, 0);
        writeShort(out, 0);
        writeShort(out, ednsPayload > 0 ? 1 : 0);
        for (Question q : questions) {
            writeName(out, q.name());
            writeShort(out, q.type());
            writeShort(out, q.dnsClass());
        }
        if (ednsPayload > 0) {
            out.write(0);              // root
            writeShort(out, OPT);
            writeShort(out, ednsPayload);
            writeShort(out, 0);        // extended rcode, version
            writeShort(out, 0);        // flags
            writeShort(out, 0);        // rdlength
        }
        return out.toByteArray();
    }

    private static void writeName(ByteArrayOutputStream out, String name) {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                byte[] b = label.getBytes(StandardCharsets.US_ASCII);
                out.write(b.length);
                out.write(b, 0, b.length);
            }
        }
        out.write(0);
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write((v >> 8) & 0xff);
        out.write(v & 0xff);
    }

    // ---------------------------------------------------------------- parsing

    static Message parse(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int id = b.getShort() & 0xffff;
        int flags = b.getShort() & 0xffff;
        int qd = b.getShort() & 0xffff;
        int an = b.getShort() & 0xffff;
        int ns = b.getShort() & 0xffff;
        int ar = b.getShort() & 0xffff;
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < qd; i++) {
            questions.add(new Question(readName(b), b.getShort() & 0xffff, b.getShort() & 0xffff));
        }
        List<Rr> answers = records(b, an);
        List<Rr> authority = records(b, ns);
        List<Rr> additional = records(b, ar);
        if (b.hasRemaining()) {
            throw new AssertionError(b.remaining() + " bytes after the last record");
        }
        return new Message(id, flags, questions, answers, authority, additional, bytes.length);
    }

    private static List<Rr> records(ByteBuffer b, int count) {
        List<Rr> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = readName(b);
            int type = b.getShort() & 0xffff;
            int cls = b.getShort() & 0xffff;
            long ttl = b.getInt() & 0xffffffffL;
            byte[] rdata = new byte[b.getShort() & 0xffff];
            b.get(rdata);
            out.add(new Rr(name, type, cls, ttl, rdata));
        }
        return out;
    }

    /** A name, dotted, with a trailing dot ("." for the root). */
    static String readName(ByteBuffer b) {
        StringBuilder s = new StringBuilder();
        int pos = b.position();
        int end = -1;
        for (int hops = 0; ; ) {
            int len = b.get(pos) & 0xff;
            if ((len & 0xc0) == 0xc0) {
                if (end < 0) {
                    end = pos + 2;
                }
                if (++hops > 20) {
                    throw new AssertionError("name pointer loop");
                }
                pos = ((len & 0x3f) << 8) | (b.get(pos + 1) & 0xff);
                continue;
            }
            pos++;
            if (len == 0) {
                break;
            }
            byte[] label = new byte[len];
            for (int i = 0; i < len; i++) {
                label[i] = b.get(pos + i);
            }
            s.append(new String(label, StandardCharsets.US_ASCII)).append('.');
            pos += len;
        }
        b.position(end < 0 ? pos : end);
        return s.length() == 0 ? "." : s.toString();
    }

    /** The last field of SOA rdata, MINIMUM: the negative-caching TTL. */
    static long soaMinimum(Rr soa) {
        ByteBuffer b = ByteBuffer.wrap(soa.rdata());
        readName(b);
        readName(b);
        b.getInt();
        b.getInt();
        b.getInt();
        b.getInt();
        return b.getInt() & 0xffffffffL;
    }

    // ---------------------------------------------------------------- talking

    /** Sends one datagram and waits for one back; fails after two seconds. */
    static Message udp(InetSocketAddress server, byte[] query) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(2000);
            s.send(new DatagramPacket(query, query.length, server));
            return parse(receive(s));
        }
    }

    /** One datagram from {@code s} (fails after its timeout). */
    static byte[] receive(DatagramSocket s) throws IOException {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    /** Whether {@code s} receives nothing within its timeout. */
    static boolean silent(DatagramSocket s) throws IOException {
        try {
            receive(s);
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    /** One query over a fresh TCP connection. */
    static Message tcp(InetSocketAddress server, byte[] query) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server, 2000);
            s.setSoTimeout(2000);
            writeFrame(s.getOutputStream(), query);
            return parse(readFrame(new DataInputStream(s.getInputStream())));
        }
    }

    /** A message with its two-byte length prefix, as DNS over TCP frames it. */
    static void writeFrame(OutputStream out, byte[] message) throws IOException {
        out.write((message.length >> 8) & 0xff);
        out.write(message.length & 0xff);
        out.write(message);
        out.flush();
    }

    static byte[] readFrame(DataInputStream in) throws IOException {
        int len;
        try {
            len = in.readUnsignedShort();
        } catch (EOFException e) {
            throw new EOFException("connection closed before an answer");
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }
}
