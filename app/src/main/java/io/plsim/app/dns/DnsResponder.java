package io.plsim.app.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.dns.AbstractDnsOptPseudoRrRecord;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the endpoint DNS server answers to one query, as an authoritative server of the zone
 * {@value DnsServer#ZONE}, the way Route 53 answers for interface endpoint names:
 * <ul>
 *   <li>a name outside the zone that {@link DnsServer.OtherNames} knows at the address asked (a VPC's
 *       private DNS names at its resolver, public DNS's TXT records everywhere): its A records for type
 *       {@code A}, its TXT records for {@code TXT}, both for {@code ANY}, else NODATA; any other name
 *       outside the zone: {@code REFUSED} (no recursion here);</li>
 *   <li>a name of the zone that the resolver knows: for type {@code A} (or {@code ANY}) one A record
 *       per address, TTL {@value DnsServer#TTL_SECONDS} s; for any other type {@code NOERROR} with no
 *       answer (NODATA) and the zone's SOA in the authority section;</li>
 *   <li>a name of the zone the resolver does not know: {@code NXDOMAIN} with the SOA;</li>
 *   <li>the zone apex: NODATA, or its SOA when asked for;</li>
 *   <li>no question, several questions, an unusable name, several OPT records: {@code FORMERR};
 *       an opcode other than QUERY: {@code NOTIMP}; zone transfers and classes other than IN:
 *       {@code REFUSED}; a resolver that throws: {@code SERVFAIL}.</li>
 * </ul>
 * Answers of the zone carry the AA flag. A query with an EDNS OPT record gets one back (UDP payload
 * {@value #EDNS_PAYLOAD}). An answer that does not fit the transport's limit (512 bytes on UDP, or
 * the client's EDNS payload size up to {@value #EDNS_PAYLOAD}) keeps the records that fit and is
 * flagged truncated (TC), so the client retries over TCP.
 */
final class DnsResponder {

    /** The UDP payload size plsim advertises and honours at most (the DNS flag day 2020 value). */
    static final int EDNS_PAYLOAD = 1232;
    static final int UDP_CLASSIC_LIMIT = 512;
    static final int TCP_LIMIT = 65535;
    /** How long resolvers may cache a negative answer (the SOA MINIMUM): short, as worlds change fast. */
    static final long NEGATIVE_TTL_SECONDS = 5;

    private static final String APEX = DnsServer.ZONE + ".";
    private static final String SOA_MNAME = "ns.plsim.invalid.";
    private static final String SOA_RNAME = "hostmaster.plsim.invalid.";
    private static final int CLASS_ANY = 255;
    private static final int HEADER = 12;
    private static final int OPT_SIZE = 11;

    private final Function<String, Optional<List<String>>> resolver;
    private final DnsServer.OtherNames others;

    DnsResponder(Function<String, Optional<List<String>>> resolver, DnsServer.OtherNames others) {
        this.resolver = resolver;
        this.others = others;
    }

    /**
     * Fills {@code r} (fresh, with the query's ID) with the answer to {@code q}.
     *
     * @param tcp   whether the answer goes back over TCP (no size limit below 64 KiB)
     * @param local the address the query was sent to
     */
    void respond(DnsQuery q, DnsResponse r, boolean tcp, ByteBufAllocator alloc, java.net.InetAddress local) {
        r.setOpCode(q.opCode());
        r.setRecursionDesired(q.isRecursionDesired());
        int opts = 0;
        int clientPayload = 0;
        for (int i = 0; i < q.count(DnsSection.ADDITIONAL); i++) {
            DnsRecord rec = q.recordAt(DnsSection.ADDITIONAL, i);
            if (rec.type() == DnsRecordType.OPT) {
                opts++;
                clientPayload = rec.dnsClass();
            }
        }
        boolean edns = opts == 1;
        int limit = tcp ? TCP_LIMIT
                : edns ? Math.max(UDP_CLASSIC_LIMIT, Math.min(clientPayload, EDNS_PAYLOAD)) : UDP_CLASSIC_LIMIT;
        try {
            answer(q, r, opts, limit - HEADER - (edns ? OPT_SIZE : 0), alloc, local);
        } catch (RuntimeException e) {
            // A name the codec cannot carry, a resolver that fails: answer without records.
            r.clear();
            r.setAuthoritativeAnswer(false).setTruncated(false);
            r.setCode(e instanceof ResolverException ? DnsResponseCode.SERVFAIL : DnsResponseCode.FORMERR);
        }
        if (edns) {
            r.addRecord(DnsSection.ADDITIONAL, new Opt(EDNS_PAYLOAD));
        }
    }

    /** Fills in a FORMERR answer to a message the codec could not decode. */
    static void formErr(DnsResponse r, int opCode, boolean recursionDesired) {
        r.setOpCode(DnsOpCode.valueOf(opCode));
        r.setRecursionDesired(recursionDesired);
        r.setCode(DnsResponseCode.FORMERR);
    }

    private void answer(DnsQuery q, DnsResponse r, int opts, int room, ByteBufAllocator alloc,
                        java.net.InetAddress local) {
        if (q.count(DnsSection.QUESTION) != 1 || opts > 1) {
            r.setCode(DnsResponseCode.FORMERR);
            return;
        }
        DnsQuestion question = q.recordAt(DnsSection.QUESTION);
        String asked = question.name();
        int nameSize = wireSize(asked);
        if (nameSize < 0) {
            r.setCode(DnsResponseCode.FORMERR);
            return;
        }
        if (!q.opCode().equals(DnsOpCode.QUERY)) {
            r.setCode(DnsResponseCode.NOTIMP);
            return;
        }
        r.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(asked, question.type(), question.dnsClass()));
        room -= nameSize + 4;
        String name = normalize(asked);
        DnsRecordType type = question.type();
        boolean inZone = name.equals(DnsServer.ZONE) || name.endsWith("." + DnsServer.ZONE);
        if ((question.dnsClass() != DnsRecord.CLASS_IN && question.dnsClass() != CLASS_ANY)
                || type == DnsRecordType.AXFR || type == DnsRecordType.IXFR) {
            r.setCode(DnsResponseCode.REFUSED);
            return;
        }
        if (!inZone) {
            other(r, asked, name, type, nameSize, room, alloc, local);
            return;
        }
        r.setAuthoritativeAnswer(true);
        if (name.equals(DnsServer.ZONE)) {
            boolean soaAsked = type == DnsRecordType.SOA || type == DnsRecordType.ANY;
            r.setCode(DnsResponseCode.NOERROR);
            addSoa(r, soaAsked ? DnsSection.ANSWER : DnsSection.AUTHORITY, room, alloc);
            return;
        }
        Optional<List<String>> ips;
        try {
            ips = resolver.apply(name);
        } catch (RuntimeException e) {
            throw new ResolverException(e);
        }
        if (ips == null) {
            throw new ResolverException(null);
        }
        if (ips.isEmpty()) {
            r.setCode(DnsResponseCode.NXDOMAIN);
            addSoa(r, DnsSection.AUTHORITY, room, alloc);
            return;
        }
        r.setCode(DnsResponseCode.NOERROR);
        List<byte[]> addresses = new ArrayList<>();
        if (type == DnsRecordType.A || type == DnsRecordType.ANY) {
            for (String ip : ips.get()) {
                byte[] a = ip == null ? null : NetUtil.createByteArrayFromIpAddressString(ip);
                if (a != null && a.length == 4) {
                    addresses.add(a);
                }
            }
        }
        if (addresses.isEmpty()) {
            addSoa(r, DnsSection.AUTHORITY, room, alloc);
            return;
        }
        int recordSize = nameSize + 10 + 4;
        for (byte[] a : addresses) {
            if (recordSize > room) {
                r.setTruncated(true);
                break;
            }
            ByteBuf rdata = alloc.buffer(4).writeBytes(a);
            r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(asked, DnsRecordType.A, DnsServer.TTL_SECONDS, rdata));
            room -= recordSize;
        }
    }

    /** A name outside the zone: what {@link #others} knows of it at {@code local}, or REFUSED. */
    private void other(DnsResponse r, String asked, String name, DnsRecordType type, int nameSize, int room,
                       ByteBufAllocator alloc, java.net.InetAddress local) {
        DnsServer.Records found;
        try {
            found = others.lookup(name, local);
        } catch (RuntimeException e) {
            throw new ResolverException(e);
        }
        if (found == null) {
            r.setCode(DnsResponseCode.REFUSED);
            return;
        }
        r.setAuthoritativeAnswer(true);
        r.setCode(DnsResponseCode.NOERROR);
        List<ByteBuf> rdatas = new ArrayList<>();
        List<DnsRecordType> types = new ArrayList<>();
        if (type == DnsRecordType.A || type == DnsRecordType.ANY) {
            for (String ip : found.addresses()) {
                byte[] a = NetUtil.createByteArrayFromIpAddressString(ip);
                if (a != null && a.length == 4) {
                    rdatas.add(alloc.buffer(4).writeBytes(a));
                    types.add(DnsRecordType.A);
                }
            }
        }
        if (type == DnsRecordType.TXT || type == DnsRecordType.ANY) {
            for (String text : found.texts()) {
                byte[] b = text.getBytes(StandardCharsets.US_ASCII);
                rdatas.add(alloc.buffer(1 + b.length).writeByte(b.length).writeBytes(b));
                types.add(DnsRecordType.TXT);
            }
        }
        for (int i = 0; i < rdatas.size(); i++) {
            ByteBuf rdata = rdatas.get(i);
            int size = nameSize + 10 + rdata.readableBytes();
            if (size > room || r.isTruncated()) {
                r.setTruncated(true);
                rdata.release();
                continue;
            }
            r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(asked, types.get(i), DnsServer.TTL_SECONDS, rdata));
            room -= size;
        }
    }

    private static void addSoa(DnsResponse r, DnsSection section, int room, ByteBufAllocator alloc) {
        int rdataSize = wireSize(SOA_MNAME) + wireSize(SOA_RNAME) + 20;
        if (wireSize(APEX) + 10 + rdataSize > room) {
            if (section == DnsSection.ANSWER) {
                r.setTruncated(true);
            }
            return;
        }
        ByteBuf rdata = alloc.buffer(rdataSize);
        try {
            writeName(rdata, SOA_MNAME);
            writeName(rdata, SOA_RNAME);
            rdata.writeInt(1);          // serial
            rdata.writeInt(7200);       // refresh
            rdata.writeInt(900);        // retry
            rdata.writeInt(1209600);    // expire
            rdata.writeInt((int) NEGATIVE_TTL_SECONDS);
        } catch (RuntimeException e) {
            rdata.release();
            throw e;
        }
        r.addRecord(section, new DefaultDnsRawRecord(APEX, DnsRecordType.SOA, DnsServer.TTL_SECONDS, rdata));
    }

    /** Lower case, without the trailing dot: the form the resolver is asked with. */
    static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /**
     * The size of a name on the wire (uncompressed, as Netty's encoder writes it), or -1 when the
     * name cannot be echoed back byte for byte: an empty or over-long label, a byte outside
     * printable ASCII (the decoder reads labels as UTF-8), a name over 255 bytes.
     */
    static int wireSize(String name) {
        if (name.equals(".")) {
            return 1;
        }
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty()) {
            return -1;
        }
        int size = 1;
        int label = 0;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return -1;
                }
                size += label + 1;
                label = 0;
            } else if (c < 0x21 || c > 0x7e || ++label > 63) {
                return -1;
            }
        }
        if (label == 0) {
            return -1;
        }
        size += label + 1;
        return size > 255 ? -1 : size;
    }

    private static void writeName(ByteBuf out, String name) {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                out.writeByte(label.length());
                out.writeCharSequence(label, StandardCharsets.US_ASCII);
            }
        }
        out.writeByte(0);
    }

    /** An EDNS OPT pseudo-record with no options. */
    private static final class Opt extends AbstractDnsOptPseudoRrRecord {
        Opt(int payload) {
            super(payload);
        }
    }

    /** The resolver failed: SERVFAIL. */
    private static final class ResolverException extends RuntimeException {
        ResolverException(Throwable cause) {
            super(cause == null ? "resolver answered null" : cause.toString(), cause, false, false);
        }
    }
}
