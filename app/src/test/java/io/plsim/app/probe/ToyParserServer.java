package io.plsim.app.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.plsim.dataplane.proxy.ProxyHeader;
import io.plsim.dataplane.proxy.ProxyHeaderParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP server behind a Proxy Protocol parser built on plsim's own, correct unless told to have one
 * of the defects users met behind NLB. The probe must pass the correct one on every required case and fail
 * each defective one on exactly the cases its defect is about.
 *
 * <p>After the header it reads a request up to the blank line and answers {@code 200} to a {@code GET},
 * {@code 400} to anything else, then closes. A connection it refuses is closed at once.
 */
final class ToyParserServer implements AutoCloseable {

    /** What is wrong with the parser. */
    enum Defect {
        /** None: reads until the header is complete, checks everything, refuses the other version. */
        NONE,
        /** Parses only what its first read gave, as if a header always came in one segment. */
        ONE_READ,
        /** Takes a header whatever its CRC32C says. */
        NO_CRC_CHECK,
        /** Skips only the 16 fixed bytes of a LOCAL header, assuming a LOCAL carries nothing. */
        LOCAL_SKIPS_16,
        /** Reads the header into 256 bytes and refuses what does not fit. */
        BUFFER_256
    }

    private static final int READ_TIMEOUT_MILLIS = 5_000;
    private static final int MAX_BYTES = 64 * 1024;

    private final Defect defect;
    private final boolean v1;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    ToyParserServer(Defect defect, boolean v1) throws IOException {
        this.defect = defect;
        this.v1 = v1;
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        pool.execute(this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                pool.execute(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            InputStream in = s.getInputStream();
            byte[] rest = header(in);
            if (rest == null) {
                return;
            }
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(rest);
            byte[] buf = new byte[4096];
            while (!request.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int n = in.read(buf);
                if (n < 0 || request.size() > MAX_BYTES) {
                    return;
                }
                request.write(buf, 0, n);
            }
            boolean get = request.toString(StandardCharsets.ISO_8859_1).startsWith("GET / HTTP/1.");
            String body = get ? "ok\n" : "bad request\n";
            s.getOutputStream().write(((get ? "HTTP/1.1 200 OK" : "HTTP/1.1 400 Bad Request")
                    + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the client went, or never finished its header
        }
    }

    /** Reads and checks the header; answers the bytes after it, or null to refuse the connection. */
    private byte[] header(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[MAX_BYTES];
        while (true) {
            int n = in.read(buf, 0, defect == Defect.BUFFER_256 ? Math.min(buf.length, 256 - got.size()) : buf.length);
            if (n <= 0) {
                return null; // end of stream, or a full 256-byte buffer without a header
            }
            got.write(buf, 0, n);
            ByteBuf b = Unpooled.wrappedBuffer(got.toByteArray());
            try {
                ProxyHeaderParser.Result r = ProxyHeaderParser.parse(b);
                switch (r.status()) {
                    case NEED_MORE_DATA -> {
                        if (defect == Defect.ONE_READ || got.size() > MAX_BYTES) {
                            return null;
                        }
                        continue;
                    }
                    case NOT_PROXY, MALFORMED -> {
                        return null;
                    }
                    case PARSED -> {
                        return accepted(r.header(), got.toByteArray());
                    }
                }
            } finally {
                b.release();
            }
        }
    }

    private byte[] accepted(ProxyHeader h, byte[] got) {
        if (h.version() != (v1 ? 1 : 2)) {
            return null;
        }
        if (h.crc() == ProxyHeader.Crc.INVALID && defect != Defect.NO_CRC_CHECK) {
            return null;
        }
        int consumed = defect == Defect.LOCAL_SKIPS_16 && "LOCAL".equals(h.command()) ? 16 : h.headerLength();
        return Arrays.copyOfRange(got, consumed, got.length);
    }

    @Override
    public void close() throws Exception {
        server.close();
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}
