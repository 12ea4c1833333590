package io.plsim.app.probe;

import io.plsim.app.probe.ProbeCase.Finish;
import io.plsim.app.probe.ProbeCase.Must;
import io.plsim.app.probe.ProbeCase.Pause;
import io.plsim.app.probe.ProbeCase.Send;
import io.plsim.app.probe.ProbeCase.Step;
import io.plsim.dataplane.proxy.ProxyHeaderWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The probe's catalogue: what NLB sends, what the wider world sends, and what a parser must refuse, each a
 * {@link ProbeCase}. The parser defects behind the cases are the ones users met behind NLB (FACTS.md): a
 * header split across segments, a header longer than the first read, LOCAL with a block, unknown, duplicate
 * or empty TLVs, a checksum checked wrongly, two headers stacked.
 *
 * <p>Headers carry the addresses of AWS's own capture: the consumer 172.31.7.113:51442 and the endpoint
 * network interface 172.31.10.31, with the target's port as the listener port, and the endpoint ID
 * {@value #VPCE_ID}. NLB's two headers come from the data plane's writer, the one plsim sends.
 */
public final class ProbeCases {

    static final String VPCE_ID = "vpce-08d2bf15fac5001c9";
    private static final int[] CONSUMER = {172, 31, 7, 113};
    private static final int CONSUMER_PORT = 51442;
    private static final int[] ENDPOINT = {172, 31, 10, 31};
    /** How long a split header waits between its pieces. */
    private static final long PIECE_PAUSE_MILLIS = 20;
    /** Long enough that the service reads the fixed part on its own even on a busy machine. */
    private static final long SPLIT_PAUSE_MILLIS = 250;
    private static final long BYTE_PAUSE_MILLIS = 3;

    private ProbeCases() {
    }

    /**
     * The cases for a service that expects Proxy Protocol v2 (as behind NLB), or v1 with {@code v1}.
     *
     * @param request   the bytes that follow the header in every case
     * @param port      the service's port, written as the destination port of the headers
     * @param holdMillis how long the held-back case keeps quiet before it sends
     */
    public static List<ProbeCase> of(boolean v1, byte[] request, int port, long holdMillis) {
        return v1 ? v1(request, port, holdMillis) : v2(request, port, holdMillis);
    }

    private static List<ProbeCase> v2(byte[] request, int port, long holdMillis) {
        byte[] nlb = nlbHeader(port);
        List<ProbeCase> cases = new ArrayList<>();
        cases.add(accept("aws-privatelink", "NLB's PrivateLink header (100 bytes: CRC32C, AWS TLV, NOOP) and the"
                        + " request in one segment", "does not take the header NLB sends",
                send(nlb, request)));
        cases.add(accept("aws-health-check", "NLB's health-check header (LOCAL, family TCP4, 84 bytes of CRC32C"
                        + " and NOOP TLVs with no address block), then the request",
                "does not skip the length of a LOCAL header whatever its family says (go-proxyproto had this)",
                send(ProxyHeaderWriter.awsLocalBytes(), request)));
        cases.add(accept("minimal", "the smallest PROXY header: TCP4 and the AWS TLV alone (54 bytes)",
                "needs more than the spec requires",
                send(ProxyHeaderWriter.minimal(VPCE_ID, false).toBytes(ipv4(CONSUMER), CONSUMER_PORT,
                        ipv4(ENDPOINT), port), request)));
        cases.add(accept("header-then-payload", "NLB's header alone, then the request 100 ms later (NLB's"
                        + " on_first_ack placement)", "expects the request in the header's segment",
                steps(new Send(nlb), new Pause(100), new Send(request))));
        cases.add(accept("split-fixed-part", "NLB's header split after its 16 fixed bytes, "
                        + SPLIT_PAUSE_MILLIS + " ms between the pieces",
                "assumes the whole header arrives in one read", split(nlb, 16, SPLIT_PAUSE_MILLIS, request)));
        cases.add(accept("split-7-bytes", "NLB's header in 7-byte segments, " + PIECE_PAUSE_MILLIS
                        + " ms apart", "assumes the whole header arrives in one or two reads",
                chunks(nlb, 7, PIECE_PAUSE_MILLIS, request)));
        cases.add(accept("split-1-byte", "NLB's header one byte per segment, " + BYTE_PAUSE_MILLIS + " ms apart",
                "does not keep reading until the header is complete", chunks(nlb, 1, BYTE_PAUSE_MILLIS, request)));
        cases.add(accept("held-back", "nothing for " + holdMillis + " ms, then NLB's header and the request (NLB"
                        + " holds the header until the client's first bytes)",
                "gives up on a header that comes late, or speaks before it (behind NLB's default placement a"
                        + " server that waits for the header to greet waits for the client)",
                steps(new Pause(holdMillis), new Send(concat(nlb, request)))));
        cases.add(accept("local-with-address-block", "LOCAL with a TCP4 address block and a CRC32C TLV",
                "does not take a LOCAL header that carries a block (the spec says to skip it)",
                send(HeaderBytes.local().ipv4(CONSUMER, ENDPOINT, CONSUMER_PORT, port).crc32c().build(), request)));
        cases.add(accept("unknown-tlvs", "NLB's TLVs with an unassigned type (0x55) and a custom one (0xE1) among"
                        + " them", "refuses TLV types it does not know, which the spec says to ignore",
                send(nlbLike(port).tlv(0x55, bytes("unassigned")).tlv(0xE1, bytes("custom")).noop(16).build(),
                        request)));
        cases.add(accept("duplicate-tlvs", "the AWS TLV twice and two NOOP TLVs",
                "refuses a TLV type that comes twice",
                send(proxyV4(port).crc32c().aws(VPCE_ID).aws(VPCE_ID).noop(4).noop(8).build(), request)));
        cases.add(accept("zero-length-tlvs", "a NOOP TLV and a custom TLV (0xE2) of length 0",
                "mishandles a TLV with no value", send(proxyV4(port).crc32c().aws(VPCE_ID).noop(0)
                        .tlv(0xE2, new byte[0]).build(), request)));
        cases.add(accept("noop-only", "PROXY TCP4 whose only TLV is a NOOP", "needs a TLV besides padding",
                send(proxyV4(port).noop(10).build(), request)));
        cases.add(accept("long-600", "a 600-byte header (NLB's TLVs, padded)",
                "reads the header into a buffer smaller than the header (256 bytes in some parsers)",
                send(nlbLike(port).padTo(600).build(), request)));
        cases.add(accept("long-4k", "a 4096-byte header (NLB's TLVs, padded)",
                "reads the header into a buffer smaller than 4 KiB",
                send(nlbLike(port).padTo(4096).build(), request)));
        cases.add(accept("tcp6", "PROXY over TCP/IPv6 (2001:db8::7 to 2001:db8::a) with CRC32C and AWS TLVs",
                "does not take IPv6 addresses",
                send(HeaderBytes.proxy().family(HeaderBytes.TCP6).ipv6(v6(7), v6(10), CONSUMER_PORT, port)
                        .crc32c().aws(VPCE_ID).build(), request)));
        cases.add(either("unspec", "PROXY with family UNSPEC and no address block (the spec lets a receiver"
                + " accept it, using the real endpoints, or refuse it)", "",
                send(HeaderBytes.proxy().family(HeaderBytes.UNSPEC).build(), request)));

        cases.add(refuse("bad-crc", "NLB's header with a wrong CRC32C value",
                "does not check the CRC32C (the spec says a mismatch makes the connection invalid)",
                send(nlbLike(port).padTo(100).breakCrc().build(), request)));
        cases.add(refuse("bad-signature", "NLB's header with the signature's last byte 0x0A changed to 0x0B",
                "does not check the whole signature",
                send(nlbLike(port).signature(badSignature()).padTo(100).build(), request)));
        cases.add(refuse("bad-version-command", "NLB's header with version 2 and command 0x2 (only LOCAL 0x0 and"
                + " PROXY 0x1 exist)", "takes a command the spec says to drop",
                send(nlbLike(port).command(0x22).padTo(100).build(), request)));
        cases.add(refuse("v1-instead-of-v2", "a v1 text header where v2 is expected",
                "takes v1 too: anyone who can reach it directly can claim any client address in either",
                send(v1Line("TCP4 172.31.7.113 172.31.10.31 51442 " + port), request)));
        byte[] tail = {0, 0};
        cases.add(refuse("length-overruns-tlvs", "a header whose length covers 2 bytes more than its TLVs (2 zero"
                        + " bytes, too few for a TLV, then the request; CRC32C valid over them)",
                "trusts the length without checking that the TLVs fill it",
                send(concat(nlbLike(port).padTo(100).lengthDelta(tail.length).coveredByCrc(tail).build(), tail),
                        request)));
        cases.add(refuse("tlv-overruns-header", "a NOOP TLV whose length runs 12 bytes past the end of the header"
                + " (CRC32C valid)", "does not check TLV lengths against the header",
                send(proxyV4(port).crc32c().aws(VPCE_ID).tlv(HeaderBytes.TYPE_NOOP, 48, new byte[36]).build(),
                        request)));
        cases.add(refuse("truncated-then-close", "the first 50 bytes of NLB's header, then the end of the stream",
                "waits for the rest of a header that can never come, or serves the connection",
                steps(new Send(Arrays.copyOf(nlb, 50)), new Finish())));
        cases.add(either("stacked-headers", "NLB's header, then a client's own v2 header (NLB does not strip it),"
                        + " then the request: whether the second should be refused, taken or passed on depends"
                        + " on the service", "",
                send(concat(nlb, HeaderBytes.proxy().ipv4(new int[] {203, 0, 113, 7}, ENDPOINT, 40000, port)
                        .build()), request)));
        return cases;
    }

    private static List<ProbeCase> v1(byte[] request, int port, long holdMillis) {
        byte[] tcp4 = v1Line("TCP4 172.31.7.113 172.31.10.31 51442 " + port);
        List<ProbeCase> cases = new ArrayList<>();
        cases.add(accept("v1-tcp4", "a v1 TCP4 line and the request in one segment", "does not take a v1 line",
                send(tcp4, request)));
        cases.add(accept("v1-tcp6", "a v1 TCP6 line", "does not take IPv6 addresses",
                send(v1Line("TCP6 2001:db8::7 2001:db8::a 51442 " + port), request)));
        cases.add(accept("v1-unknown", "PROXY UNKNOWN (the spec says to accept it and use the real endpoints)",
                "refuses UNKNOWN", send(v1Line("UNKNOWN"), request)));
        String longest = "UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
                + " 65535 65535";
        cases.add(accept("v1-longest", "the longest v1 line the spec allows (107 bytes)",
                "reads the line into a buffer shorter than the spec's 107 bytes", send(v1Line(longest), request)));
        cases.add(accept("v1-header-then-payload", "the v1 line alone, then the request 100 ms later",
                "expects the request in the header's segment",
                steps(new Send(tcp4), new Pause(100), new Send(request))));
        cases.add(accept("v1-split-1-byte", "the v1 line one byte per segment, " + BYTE_PAUSE_MILLIS + " ms apart",
                "does not keep reading until the CRLF", chunks(tcp4, 1, BYTE_PAUSE_MILLIS, request)));
        cases.add(accept("v1-held-back", "nothing for " + holdMillis + " ms, then the v1 line and the request",
                "gives up on a header that comes late",
                steps(new Pause(holdMillis), new Send(concat(tcp4, request)))));
        cases.add(refuse("v2-instead-of-v1", "NLB's v2 header where v1 is expected",
                "takes v2 too: anyone who can reach it directly can claim any client address in either",
                send(nlbHeader(port), request)));
        String unknown = "PROXY UNKNOWN ";
        cases.add(refuse("v1-no-crlf", "PROXY UNKNOWN and padding, 120 bytes with the CRLF only at its end (the"
                        + " spec allows 107)", "reads past the 107 bytes the spec allows",
                send(bytes(unknown + "x".repeat(120 - unknown.length() - 2) + "\r\n"), request)));
        cases.add(refuse("v1-bad-address", "a v1 TCP4 line with the address 999.31.7.113",
                "does not check the addresses", send(v1Line("TCP4 999.31.7.113 172.31.10.31 51442 " + port),
                        request)));
        cases.add(refuse("v1-truncated-then-close", "the first 20 bytes of a v1 line, then the end of the stream",
                "waits for the rest of a header that can never come, or serves the connection",
                steps(new Send(Arrays.copyOf(tcp4, 20)), new Finish())));
        cases.add(either("v1-stacked", "a v1 line, then a client's own v1 line, then the request", "",
                send(concat(tcp4, v1Line("TCP4 203.0.113.7 172.31.10.31 40000 " + port)), request)));
        return cases;
    }

    /** NLB's PrivateLink header, from the writer plsim's data plane uses. */
    private static byte[] nlbHeader(int port) {
        return ProxyHeaderWriter.aws(VPCE_ID).toBytes(ipv4(CONSUMER), CONSUMER_PORT, ipv4(ENDPOINT), port);
    }

    /** NLB's TLVs in NLB's order, to be padded or broken by the caller. */
    private static HeaderBytes nlbLike(int port) {
        return proxyV4(port).crc32c().aws(VPCE_ID);
    }

    private static HeaderBytes proxyV4(int port) {
        return HeaderBytes.proxy().ipv4(CONSUMER, ENDPOINT, CONSUMER_PORT, port);
    }

    private static ProbeCase accept(String id, String sends, String onFail, List<Step> steps) {
        return new ProbeCase(id, sends, Must.ACCEPT, onFail, steps);
    }

    private static ProbeCase refuse(String id, String sends, String onFail, List<Step> steps) {
        return new ProbeCase(id, sends, Must.REFUSE, onFail, steps);
    }

    private static ProbeCase either(String id, String sends, String onFail, List<Step> steps) {
        return new ProbeCase(id, sends, Must.EITHER, onFail, steps);
    }

    private static List<Step> steps(Step... steps) {
        return List.of(steps);
    }

    /** The header and the request in one segment. */
    private static List<Step> send(byte[] header, byte[] request) {
        return List.of(new Send(concat(header, request)));
    }

    private static List<Step> split(byte[] header, int at, long pause, byte[] request) {
        return List.of(new Send(Arrays.copyOf(header, at)), new Pause(pause),
                new Send(Arrays.copyOfRange(header, at, header.length)), new Pause(pause), new Send(request));
    }

    private static List<Step> chunks(byte[] header, int size, long pause, byte[] request) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < header.length; i += size) {
            steps.add(new Send(Arrays.copyOfRange(header, i, Math.min(header.length, i + size))));
            steps.add(new Pause(pause));
        }
        steps.add(new Send(request));
        return steps;
    }

    private static byte[] v1Line(String rest) {
        return bytes("PROXY " + rest + "\r\n");
    }

    private static byte[] badSignature() {
        byte[] s = HeaderBytes.SIGNATURE.clone();
        s[11] = 0x0B;
        return s;
    }

    private static byte[] v6(int last) {
        byte[] b = new byte[16];
        b[0] = 0x20;
        b[1] = 0x01;
        b[2] = 0x0d;
        b[3] = (byte) 0xb8;
        b[15] = (byte) last;
        return b;
    }

    private static int ipv4(int[] a) {
        return a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
