package io.plsim.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Reads the proxy protocol header at the start of a connection, v2 (binary) or v1 (text), for the
 * {@code pp2-inspect} target. It is written independently of Netty's {@code HAProxyMessageDecoder} so that the
 * simulator's own header writer is checked against a second implementation, and so a malformed header is
 * reported with a precise reason instead of a closed channel.
 *
 * <p>Call {@link #parse(ByteBuf)} each time bytes arrive. Nothing is consumed unless a header was parsed, so the
 * caller can keep accumulating on {@link Status#NEED_MORE_DATA}, and on {@link Status#NOT_PROXY} treat the
 * untouched stream as plain data (the first bytes match neither signature).
 *
 * <p>Bounds: a v2 header of more than {@link #MAX_V2_HEADER_BYTES} bytes in total is refused as malformed as soon
 * as its length field is read, even though the format allows 16 + 65,535, so a hostile client cannot make the
 * target buffer 64 KiB; real headers (addresses plus a few TLVs) are far smaller. A v1 header longer than
 * {@link #MAX_V1_HEADER_BYTES} bytes, CRLF included, is malformed as the v1 spec says.
 */
public final class ProxyHeaderParser {

    /** Largest v2 header accepted, signature to last TLV byte: 16 fixed bytes plus a length of at most 4080. */
    public static final int MAX_V2_HEADER_BYTES = 4096;
    /** The v1 spec's worst case ("PROXY UNKNOWN" with two full IPv6 addresses and ports), CRLF included. */
    public static final int MAX_V1_HEADER_BYTES = 107;

    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);

    private ProxyHeaderParser() {
    }

    /** What {@link #parse} found at the reader index. */
    public enum Status {
        /** A prefix of a possibly valid header; call again with more bytes. Nothing was consumed. */
        NEED_MORE_DATA,
        /** The first bytes match neither the v1 nor the v2 signature. Nothing was consumed. */
        NOT_PROXY,
        /** Starts with a signature but breaks the format; {@link Result#error()} says how. Nothing was consumed. */
        MALFORMED,
        /** {@link Result#header()} holds the header; {@link Result#consumed()} bytes were consumed. */
        PARSED
    }

    /**
     * The outcome of one {@link #parse} call.
     *
     * @param status what was found
     * @param header the header when {@code PARSED}, else {@code null}
     * @param error what is wrong when {@code MALFORMED}, else {@code null}
     * @param consumed bytes the header occupied when {@code PARSED} (the reader index moved by this much), else 0
     */
    public record Result(Status status, ProxyHeader header, String error, int consumed) {

        static final Result NEED_MORE_DATA = new Result(Status.NEED_MORE_DATA, null, null, 0);
        static final Result NOT_PROXY = new Result(Status.NOT_PROXY, null, null, 0);

        static Result malformed(String error) {
            return new Result(Status.MALFORMED, null, error, 0);
        }

        static Result parsed(ProxyHeader header) {
            return new Result(Status.PARSED, header, null, header.headerLength());
        }
    }

    /**
     * Parses the header at {@code in}'s reader index. On {@code PARSED} the reader index advances past the
     * header (any bytes after it are the connection's payload); otherwise {@code in} is left as it was.
     */
    public static Result parse(ByteBuf in) {
        int base = in.readerIndex();
        int readable = in.readableBytes();
        if (readable == 0) {
            return Result.NEED_MORE_DATA;
        }
        byte[] signature = in.getByte(base) == ProxyV2Format.SIGNATURE[0] ? ProxyV2Format.SIGNATURE : V1_PREFIX;
        int match = prefixMatch(in, base, readable, signature);
        if (match < 0) {
            return Result.NOT_PROXY;
        }
        if (match == 0) {
            return Result.NEED_MORE_DATA;
        }
        Result result = signature == V1_PREFIX
                ? ProxyV1Decoder.decode(in, base, readable)
                : ProxyV2Decoder.decode(in, base, readable);
        if (result.status() == Status.PARSED) {
            in.skipBytes(result.consumed());
        }
        return result;
    }

    /** Parses the header at the start of {@code bytes}; {@link Result#consumed()} tells where the payload begins. */
    public static Result parse(byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            return parse(in);
        } finally {
            in.release();
        }
    }

    /** -1 if the readable bytes contradict {@code signature}, 0 if they are a proper prefix of it, 1 if it is all there. */
    private static int prefixMatch(ByteBuf in, int base, int readable, byte[] signature) {
        int n = Math.min(readable, signature.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(base + i) != signature[i]) {
                return -1;
            }
        }
        return n == signature.length ? 1 : 0;
    }
}
