package io.plsim.app.dns;

import static io.plsim.app.dns.RawDns.A;
import static io.plsim.app.dns.RawDns.AAAA;
import static io.plsim.app.dns.RawDns.ANY;
import static io.plsim.app.dns.RawDns.AXFR;
import static io.plsim.app.dns.RawDns.FORMERR;
import static io.plsim.app.dns.RawDns.NOERROR;
import static io.plsim.app.dns.RawDns.NOTIMP;
import static io.plsim.app.dns.RawDns.NXDOMAIN;
import static io.plsim.app.dns.RawDns.OPT;
import static io.plsim.app.dns.RawDns.REFUSED;
import static io.plsim.app.dns.RawDns.SERVFAIL;
import static io.plsim.app.dns.RawDns.SOA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.plsim.dataplane.LeakCheck;
import io.plsim.dataplane.Transport;
import io.plsim.app.dns.RawDns.Message;
import io.plsim.app.dns.RawDns.Question;
import io.plsim.app.dns.RawDns.Rr;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The endpoint DNS server on real sockets (UDP and TCP on one free port of 127.0.0.1), with a
 * resolver from a map, queried by {@link RawDns}, a client that shares no code with the server.
 */
@ExtendWith(LeakCheck.class)
class DnsServerTest {

    static final String REGIONAL = "vpce-0a1b2c3d4e5f60718-abcdefgh.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com";
    static final String ZONAL = "vpce-0a1b2c3d4e5f60718-abcdefgh-us-east-1a.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com";
    static final String SINGLE = "vpce-0f0f0f0f0f0f0f0f0-zzzzzzzz.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com";
    static final String BROKEN = "vpce-0eeeeeeeeeeeeeeee-broken00.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com";

    private final Map<String, List<String>> names = new ConcurrentHashMap<>(Map.of(
            REGIONAL, List.of("127.140.129.5", "127.140.130.5"),
            ZONAL, List.of("127.140.129.5"),
            SINGLE, List.of("127.140.129.9")));
    /** Every name the resolver was asked, in order. */
    private final List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Function<String, Optional<List<String>>> resolver = n -> {
        asked.add(n);
        if (n.equals(BROKEN)) {
            throw new IllegalStateException("the resolver broke");
        }
        return Optional.ofNullable(names.get(n));
    };
    private DnsServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private DnsServer start() {
        return start(Transport.best());
    }

    private DnsServer start(Transport transport) {
        server = DnsServer.start(new InetSocketAddress("127.0.0.1", 0), transport, resolver);
        return server;
    }

    private static void assertAnswerOf(Message m, int id, String name, int type, int rcode) {
        assertTrue(m.response(), "QR set");
        assertEquals(id, m.id(), "ID echoed");
        assertEquals(rcode, m.rcode(), () -> "rcode of " + m);
        assertEquals(List.of(new Question(name.endsWith(".") ? name : name + ".", type, 1)), m.questions(),
                "question echoed");
        assertTrue(m.recursionDesired(), "RD copied from the query");
    }

    // ---------------------------------------------------------------- answers

    @Test
    void anAQueryOverUdpGetsOneARecordPerAddressAuthoritatively() throws IOException {
        start();
        assertEquals("127.0.0.1", server.address().getAddress().getHostAddress());
        assertTrue(server.address().getPort() > 0);

        Message m = RawDns.udp(server.address(), RawDns.query(0x1234, REGIONAL, A));
        assertAnswerOf(m, 0x1234, REGIONAL, A, NOERROR);
        assertTrue(m.authoritative(), "AA");
        assertFalse(m.truncated());
        assertEquals(List.of("127.140.129.5", "127.140.130.5"), m.ips());
        for (Rr r : m.answers()) {
            assertEquals(REGIONAL + ".", r.name());
            assertEquals(A, r.type());
            assertEquals(1, r.dnsClass());
            assertEquals(60, r.ttl());
        }
        assertEquals(List.of(), m.authority());
        assertEquals(List.of(), m.additional());

        Message zonal = RawDns.udp(server.address(), RawDns.query(7, ZONAL + ".", A));
        assertAnswerOf(zonal, 7, ZONAL, A, NOERROR);
        assertEquals(List.of("127.140.129.5"), zonal.ips());
    }

    /**
     * A TCP client trickling its query a byte at a time is cut at the query deadline (1 s here,
     * 30 s by default), however slowly the bytes come, while another client is answered meanwhile.
     */
    @Test
    void aTcpClientTricklingItsQueryIsCutAtTheDeadline() throws Exception {
        server = DnsServer.start(new InetSocketAddress("127.0.0.1", 0), Transport.best(), resolver,
                java.time.Duration.ofSeconds(1));
        byte[] query = RawDns.query(31, REGIONAL, A);
        try (java.net.Socket slow = new java.net.Socket()) {
            slow.connect(server.address(), 2000);
            slow.setSoTimeout(100);
            long start = System.nanoTime();
            boolean closed = false;
            // A byte every 100 ms of a length prefix that promises more than comes, for at most 5 s.
            for (int i = 0; i < 50 && !closed; i++) {
                try {
                    slow.getOutputStream().write(i == 0 ? 0 : i == 1 ? 200 : 0x41);
                    slow.getOutputStream().flush();
                    closed = slow.getInputStream().read() < 0;
                } catch (java.net.SocketTimeoutException e) {
                    // nothing yet
                } catch (IOException e) {
                    closed = true;
                }
                if (i == 3) {
                    assertAnswerOf(RawDns.tcp(server.address(), query), 31, REGIONAL, A, NOERROR);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(closed, "the trickling client was never cut");
            assertTrue(seconds < 4.5, "cut after " + seconds + " s with a 1 s deadline");
        }
    }

    @Test
    void theSameOverTcpSeveralQueriesOnOneConnection() throws IOException {
        start();
        Message m = RawDns.tcp(server.address(), RawDns.query(0xfffe, REGIONAL, A));
        assertAnswerOf(m, 0xfffe, REGIONAL, A, NOERROR);
        assertTrue(m.authoritative());
        assertEquals(List.of("127.140.129.5", "127.140.130.5"), m.ips());

        try (Socket s = new Socket()) {
            s.connect(server.address(), 2000);
            s.setSoTimeout(2000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            // Two queries in one write (pipelined), then a third one after the answers.
            byte[] q1 = RawDns.query(1, SINGLE, A);
            byte[] q2 = RawDns.query(2, "nope.vpce.amazonaws.com", A);
            byte[] both = new byte[q1.length + q2.length + 4];
            java.nio.ByteBuffer.wrap(both).putShort((short) q1.length).put(q1).putShort((short) q2.length).put(q2);
            s.getOutputStream().write(both);
            s.getOutputStream().flush();
            Message a1 = RawDns.parse(RawDns.readFrame(in));
            Message a2 = RawDns.parse(RawDns.readFrame(in));
            assertEquals(List.of("127.140.129.9"), a1.ips());
            assertEquals(1, a1.id());
            assertEquals(NXDOMAIN, a2.rcode());
            assertEquals(2, a2.id());
            RawDns.writeFrame(s.getOutputStream(), RawDns.query(3, ZONAL, A));
            Message a3 = RawDns.parse(RawDns.readFrame(in));
            assertEquals(List.of("127.140.129.5"), a3.ips());
        }
    }

    @Test
    void namesAreMatchedWithoutRegardToCaseAndEchoedAsAsked() throws IOException {
        start();
        String mixed = REGIONAL.toUpperCase(java.util.Locale.ROOT).replace("VPCE.AMAZONAWS.COM", "Vpce.AmazonAWS.com");
        Message m = RawDns.udp(server.address(), RawDns.query(9, mixed, A));
        assertAnswerOf(m, 9, mixed, A, NOERROR);
        assertEquals(2, m.ips().size());
        assertEquals(mixed + ".", m.answers().get(0).name());
        assertEquals(REGIONAL, asked.get(asked.size() - 1), "the resolver gets the name lower case, no trailing dot");
    }

    @Test
    void anUnknownNameOfTheZoneIsNxdomainWithTheSoa() throws IOException {
        start();
        String unknown = "vpce-0000000000000000-xxxxxxxx.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com";
        for (Message m : List.of(RawDns.udp(server.address(), RawDns.query(11, unknown, A)),
                RawDns.tcp(server.address(), RawDns.query(11, unknown, A)))) {
            assertAnswerOf(m, 11, unknown, A, NXDOMAIN);
            assertTrue(m.authoritative());
            assertEquals(List.of(), m.answers());
            assertEquals(1, m.authority().size());
            Rr soa = m.authority().get(0);
            assertEquals(SOA, soa.type());
            assertEquals("vpce.amazonaws.com.", soa.name());
            assertEquals(DnsResponder.NEGATIVE_TTL_SECONDS, RawDns.soaMinimum(soa));
        }
    }

    @Test
    void namesOutsideTheZoneAreRefused() throws IOException {
        start();
        for (String name : List.of("example.com", "amazonaws.com", "xvpce.amazonaws.com", "vpce.amazonaws.com.evil.org",
                "localhost")) {
            Message m = RawDns.udp(server.address(), RawDns.query(21, name, A));
            assertAnswerOf(m, 21, name, A, REFUSED);
            assertFalse(m.authoritative(), name);
            assertEquals(List.of(), m.answers());
            assertEquals(List.of(), m.authority());
        }
        Message tcp = RawDns.tcp(server.address(), RawDns.query(22, "example.com", A));
        assertEquals(REFUSED, tcp.rcode());
        assertFalse(asked.contains("example.com"), "names outside the zone never reach the resolver");
    }

    @Test
    void otherTypesOfAKnownNameAreNodata() throws IOException {
        start();
        for (int type : new int[] {AAAA, RawDns.NS, 16 /* TXT */, 33 /* SRV */, 65 /* HTTPS */}) {
            Message m = RawDns.udp(server.address(), RawDns.query(31, REGIONAL, type));
            assertAnswerOf(m, 31, REGIONAL, type, NOERROR);
            assertTrue(m.authoritative());
            assertEquals(List.of(), m.answers(), "NODATA for type " + type);
            assertEquals(SOA, m.authority().get(0).type());
        }
        Message any = RawDns.udp(server.address(), RawDns.query(32, REGIONAL, ANY));
        assertEquals(List.of("127.140.129.5", "127.140.130.5"), any.ips(), "ANY gives the A records");
    }

    @Test
    void theApexHasItsSoaAndNoAddress() throws IOException {
        start();
        Message soa = RawDns.udp(server.address(), RawDns.query(41, "vpce.amazonaws.com", SOA));
        assertAnswerOf(soa, 41, "vpce.amazonaws.com", SOA, NOERROR);
        assertEquals(1, soa.answers().size());
        assertEquals(SOA, soa.answers().get(0).type());
        Message a = RawDns.udp(server.address(), RawDns.query(42, "vpce.amazonaws.com", A));
        assertEquals(NOERROR, a.rcode());
        assertEquals(List.of(), a.answers());
        assertEquals(SOA, a.authority().get(0).type());
    }

    @Test
    void refusedFormerrNotimpAndServfailWhereTheyBelong() throws IOException {
        start();
        // A zone transfer is refused.
        Message axfr = RawDns.tcp(server.address(), RawDns.query(51, REGIONAL, AXFR));
        assertEquals(REFUSED, axfr.rcode());
        // Class CH (as in version.bind) is refused.
        Message ch = RawDns.udp(server.address(),
                RawDns.message(52, 0x0100, List.of(new Question(REGIONAL, A, 3)), 0));
        assertEquals(REFUSED, ch.rcode());
        // No question, two questions: FORMERR.
        Message none = RawDns.udp(server.address(), RawDns.message(53, 0x0100, List.of(), 0));
        assertEquals(FORMERR, none.rcode());
        assertEquals(53, none.id());
        assertEquals(List.of(), none.questions());
        Message two = RawDns.udp(server.address(), RawDns.message(54, 0x0100,
                List.of(new Question(REGIONAL, A, 1), new Question(ZONAL, A, 1)), 0));
        assertEquals(FORMERR, two.rcode());
        // Opcode STATUS (2): NOTIMP.
        Message status = RawDns.udp(server.address(),
                RawDns.message(55, 0x0100 | (2 << 11), List.of(new Question(REGIONAL, A, 1)), 0));
        assertEquals(NOTIMP, status.rcode());
        assertEquals(2, status.opCode());
        // A resolver that throws: SERVFAIL, and the server keeps serving.
        Message broken = RawDns.udp(server.address(), RawDns.query(56, BROKEN, A));
        assertEquals(SERVFAIL, broken.rcode());
        assertEquals(List.of(), broken.answers());
        assertEquals(2, RawDns.udp(server.address(), RawDns.query(57, REGIONAL, A)).ips().size());
    }

    @Test
    void ednsQueriesGetAnOptRecordBack() throws IOException {
        start();
        Message m = RawDns.udp(server.address(), RawDns.query(61, REGIONAL, A, 4096));
        assertEquals(NOERROR, m.rcode());
        assertEquals(2, m.ips().size());
        assertEquals(1, m.additional().size());
        Rr opt = m.additional().get(0);
        assertEquals(OPT, opt.type());
        assertEquals(".", opt.name());
        assertEquals(DnsResponder.EDNS_PAYLOAD, opt.dnsClass(), "the server's UDP payload size");
    }

    @Test
    void anAnswerTooBigForUdpIsTruncatedAndWholeOverTcp() throws IOException {
        List<String> many = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            many.add("127.140.200." + i);
        }
        names.put(SINGLE, many);
        start();
        Message udp = RawDns.udp(server.address(), RawDns.query(71, SINGLE, A));
        assertTrue(udp.truncated(), "TC");
        assertTrue(udp.size() <= 512, () -> udp.size() + " bytes");
        assertTrue(udp.ips().size() < 40 && !udp.ips().isEmpty(), () -> udp.ips().size() + " records");
        assertEquals(many.subList(0, udp.ips().size()), udp.ips());

        Message edns = RawDns.udp(server.address(), RawDns.query(72, SINGLE, A, 4096));
        assertTrue(edns.truncated());
        assertTrue(edns.size() <= DnsResponder.EDNS_PAYLOAD, () -> edns.size() + " bytes");
        assertTrue(edns.ips().size() > udp.ips().size(), "EDNS lets more records fit");

        Message tcp = RawDns.tcp(server.address(), RawDns.query(73, SINGLE, A));
        assertFalse(tcp.truncated());
        assertEquals(many, tcp.ips());
    }

    @Test
    void everyTransportServes() throws IOException {
        List<Transport> transports = new ArrayList<>(List.of(Transport.nio()));
        if (Epoll.isAvailable()) {
            transports.add(Transport.epoll());
        }
        if (IoUring.isAvailable()) {
            transports.add(Transport.ioUring());
        }
        for (Transport t : transports) {
            start(t);
            assertEquals(2, RawDns.udp(server.address(), RawDns.query(81, REGIONAL, A)).ips().size(), t.name());
            assertEquals(2, RawDns.tcp(server.address(), RawDns.query(82, REGIONAL, A)).ips().size(), t.name());
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                 Socket c = new Socket()) {
                s.send(new DatagramPacket(new byte[] {9, 9, 9}, 3, server.address()));
                c.connect(server.address(), 2000);
                c.setSoTimeout(3000);
                RawDns.writeFrame(c.getOutputStream(), new byte[] {1, 2, 3, 4, 5});
                assertClosedByServer(c.getInputStream());
            }
            assertEquals(2, RawDns.udp(server.address(), RawDns.query(83, REGIONAL, A)).ips().size(), t.name());
            server.close();
            server = null;
        }
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void garbageDatagramsAreDroppedOrFormerrAndTheServerKeepsAnswering() throws IOException {
        start();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(300);
            // Too short for a header, random bytes, a response instead of a query: no answer.
            byte[][] dropped = {
                {1, 2, 3},
                new byte[0],
                "GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                withFlags(RawDns.query(5, REGIONAL, A), 0x8180),
            };
            for (byte[] d : dropped) {
                s.send(new DatagramPacket(d, d.length, server.address()));
                // "GET / HTTP/1.1" reads as a query header (QR clear, ID "GE") that promises 12,064
                // questions, so it is answered FORMERR; the others get nothing.
                if (d.length > 12 && d[0] == 'G') {
                    Message m = RawDns.parse(RawDns.receive(s));
                    assertEquals(FORMERR, m.rcode());
                    assertEquals(('G' << 8) | 'E', m.id());
                } else {
                    assertTrue(RawDns.silent(s), "no answer to " + d.length + " bytes");
                }
            }
            // A query header that promises a question it does not carry: FORMERR, same ID.
            byte[] cut = java.util.Arrays.copyOf(RawDns.query(0x4242, REGIONAL, A), 30);
            s.send(new DatagramPacket(cut, cut.length, server.address()));
            Message formerr = RawDns.parse(RawDns.receive(s));
            assertEquals(FORMERR, formerr.rcode());
            assertEquals(0x4242, formerr.id());
            assertTrue(formerr.response());
            // A label too long to echo (decoded, but not a name): FORMERR.
            byte[] longLabel = RawDns.query(0x4343, "a".repeat(63) + ".vpce.amazonaws.com", A);
            longLabel[12] = 64;  // claim 64 bytes: the label swallows the next length byte
            s.send(new DatagramPacket(longLabel, longLabel.length, server.address()));
            assertEquals(FORMERR, RawDns.parse(RawDns.receive(s)).rcode());
            // A name the codec decodes but that cannot be echoed byte for byte (a space): FORMERR.
            byte[] space = RawDns.query(0x4444, "sp ace.vpce.amazonaws.com", A);
            s.send(new DatagramPacket(space, space.length, server.address()));
            Message spaced = RawDns.parse(RawDns.receive(s));
            assertEquals(FORMERR, spaced.rcode());
            assertEquals(0x4444, spaced.id());

            // And the next good query is answered.
            s.setSoTimeout(2000);
            byte[] q = RawDns.query(0x5151, REGIONAL, A);
            s.send(new DatagramPacket(q, q.length, server.address()));
            Message m = RawDns.parse(RawDns.receive(s));
            assertEquals(0x5151, m.id());
            assertEquals(List.of("127.140.129.5", "127.140.130.5"), m.ips());
        }
    }

    private static byte[] withFlags(byte[] message, int flags) {
        message[2] = (byte) (flags >> 8);
        message[3] = (byte) flags;
        return message;
    }

    @Test
    void aTruncatedTcpMessageClosesTheConnectionAndTheServerKeepsAnswering() throws IOException {
        start();
        // A complete frame whose message stops in the middle of its question.
        byte[] q = RawDns.query(0x6161, REGIONAL, A);
        byte[] cut = java.util.Arrays.copyOf(q, 20);
        try (Socket s = new Socket()) {
            s.connect(server.address(), 2000);
            s.setSoTimeout(3000);
            RawDns.writeFrame(s.getOutputStream(), cut);
            assertClosedByServer(s.getInputStream());
        }
        // A frame shorter than its length prefix, then the client's FIN.
        try (Socket s = new Socket()) {
            s.connect(server.address(), 2000);
            s.setSoTimeout(3000);
            s.getOutputStream().write(new byte[] {0, (byte) q.length});
            s.getOutputStream().write(cut);
            s.getOutputStream().flush();
            s.shutdownOutput();
            assertClosedByServer(s.getInputStream());
        }
        // A frame too short for a header.
        try (Socket s = new Socket()) {
            s.connect(server.address(), 2000);
            s.setSoTimeout(3000);
            RawDns.writeFrame(s.getOutputStream(), new byte[] {1, 2, 3, 4, 5});
            assertClosedByServer(s.getInputStream());
        }
        assertEquals(2, RawDns.tcp(server.address(), RawDns.query(0x6262, REGIONAL, A)).ips().size());
        assertEquals(2, RawDns.udp(server.address(), RawDns.query(0x6363, REGIONAL, A)).ips().size());
    }

    private static void assertClosedByServer(InputStream in) throws IOException {
        try {
            int b = in.read();
            assertEquals(-1, b, "no answer before the close");
        } catch (java.net.SocketException e) {
            // A reset is a close too.
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open", e);
        }
    }

    // ---------------------------------------------------------------- binding

    /**
     * A UDP socket on a port whose TCP twin is free, so that the server meets the UDP one first: another
     * process's ephemeral TCP port of the same number would make the TCP bind fail instead.
     */
    private static DatagramSocket udpPortFreeForTcp() throws IOException {
        for (int i = 0; i < 20; i++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            try (java.net.ServerSocket tcp = new java.net.ServerSocket()) {
                tcp.bind(new InetSocketAddress("127.0.0.1", udp.getLocalPort()));
                return udp;
            } catch (IOException inUse) {
                udp.close();
            }
        }
        throw new AssertionError("no UDP port with a free TCP twin in 20 tries");
    }

    @Test
    void aPortTakenForUdpOrTcpIsAClearError() throws IOException {
        try (DatagramSocket taken = udpPortFreeForTcp()) {
            int port = taken.getLocalPort();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DnsServer.start(new InetSocketAddress("127.0.0.1", port), Transport.best(), resolver));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + port + " (udp): "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        start();
        int port = server.address().getPort();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DnsServer.start(new InetSocketAddress("127.0.0.1", port), Transport.best(), resolver));
        assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + port + " (tcp): "), e.getMessage());
        // The first server is unharmed, and a closed server frees its port for the next one.
        assertEquals(2, RawDns.udp(server.address(), RawDns.query(91, REGIONAL, A)).ips().size());
        server.close();
        server = DnsServer.start(new InetSocketAddress("127.0.0.1", port), Transport.best(), resolver);
        assertEquals(2, RawDns.tcp(server.address(), RawDns.query(92, REGIONAL, A)).ips().size());
    }

    @Test
    void wireSizeAcceptsOnlyNamesThatEchoBackByteForByte() {
        assertEquals(1, DnsResponder.wireSize("."));
        assertEquals(13, DnsResponder.wireSize("example.com."));
        assertEquals(13, DnsResponder.wireSize("example.com"));
        assertEquals(-1, DnsResponder.wireSize("a..b"));
        assertEquals(-1, DnsResponder.wireSize(""));
        assertEquals(-1, DnsResponder.wireSize("a".repeat(64) + ".com"));
        assertEquals(-1, DnsResponder.wireSize("sp ace.com"));
        assertEquals(-1, DnsResponder.wireSize("\u00fc.com"));
        assertEquals(-1, DnsResponder.wireSize(("a".repeat(63) + ".").repeat(4)));
    }
}
