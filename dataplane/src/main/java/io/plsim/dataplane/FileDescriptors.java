package io.plsim.dataplane;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process's file descriptors against its limit, so that plsim turns new connections away while
 * it still has some to spare, rather than at the limit, where accepts fail, health checks cannot
 * open their sockets and targets look down although they are fine.
 *
 * <p>Consumer connections are refused once fewer than {@link #dataPlaneReserve()} are left (a tenth
 * of the limit, from 64 to 1,024): what remains is for health checks, the API and the DNS server,
 * which refuse only in the last {@link #SERVER_RESERVE}. The count is read from the operating system
 * at most once a second while far from the limit and every 10 ms near it, on the thread that asks.
 */
public final class FileDescriptors {

    /** What the API and DNS servers keep for themselves, below which they too turn connections away. */
    public static final long SERVER_RESERVE = 16;

    private static final FileDescriptors JVM = new FileDescriptors();
    private static final System.Logger LOG = System.getLogger(FileDescriptors.class.getName());

    private final com.sun.management.UnixOperatingSystemMXBean os;
    private final long max;
    private volatile long open;
    private volatile long sampledAt;
    /** Asked since the last reading: each may have opened a connection of three descriptors. */
    private final AtomicLong askedSince = new AtomicLong();
    private final AtomicLong acceptFailures = new AtomicLong();

    private FileDescriptors() {
        var bean = ManagementFactory.getOperatingSystemMXBean();
        this.os = bean instanceof com.sun.management.UnixOperatingSystemMXBean u ? u : null;
        this.max = os == null ? -1 : os.getMaxFileDescriptorCount();
        // The time-zone rules are read from a file the first time a log line formats its time: read
        // them now, so that a line said at the file limit does not fail for want of a descriptor.
        java.time.ZonedDateTime.now();
    }

    /** The one of this process. */
    public static FileDescriptors process() {
        return JVM;
    }

    /** A tenth of the limit, from 64 to 1,024. */
    /** The most files the process may have open ({@code ulimit -n}); -1 where the JVM cannot tell. */
    public long limit() {
        return max;
    }

    public long dataPlaneReserve() {
        return Math.max(64, Math.min(1024, max / 10));
    }

    /** Whether more than {@code reserve} descriptors are left; true where the limit is not known. */
    public boolean above(long reserve) {
        if (os == null || max <= 0) {
            return true;
        }
        long now = System.nanoTime();
        long interval = open > max / 2 ? 10_000_000L : 1_000_000_000L;
        // Read again when the last reading is old, or when what was opened since may have used the
        // reserve up: three descriptors a connection (the consumer's, the node's, a built-in target's).
        long since = askedSince.incrementAndGet();
        if (now - sampledAt > interval || (open + 3 * since >= max - reserve && now - sampledAt > 1_000_000L)) {
            try {
                open = os.getOpenFileDescriptorCount();
            } catch (RuntimeException | Error e) {
                // Counting opens /proc/self/fd: at the very limit it cannot, and there is no room.
                open = max;
            }
            sampledAt = now;
            askedSince.set(0);
        }
        return open < max - reserve;
    }

    /**
     * For the listening socket of a server: an accept that failed (at the file limit, the kernel
     * refuses it; Netty then pauses accepting for a second) is said in one line the first time and
     * counted after, instead of reaching the end of the pipeline as a stack trace.
     */
    public ChannelHandler acceptErrors(String server) {
        return new AcceptErrors(server);
    }

    private final java.util.concurrent.atomic.AtomicBoolean refusalSaid = new java.util.concurrent.atomic.AtomicBoolean();

    /** Says, once for the process, that connections are being turned away for want of descriptors. */
    void sayRefusing(String where) {
        if (refusalSaid.compareAndSet(false, true)) {
            try {
                LOG.log(System.Logger.Level.WARNING, where + ": few file descriptors left (" + open + " of " + max
                        + " open): new consumer connections are reset and counted as file-limit (said once)");
            } catch (RuntimeException | LinkageError e) {
                // the line is lost; the connection is still turned away
            }
        }
    }

    /** Accepts that failed, over every server of the process. */
    public long acceptFailures() {
        return acceptFailures.get();
    }

    @ChannelHandler.Sharable
    private final class AcceptErrors extends ChannelInboundHandlerAdapter {
        private final String server;

        AcceptErrors(String server) {
            this.server = server;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (acceptFailures.getAndIncrement() == 0) {
                try {
                    LOG.log(System.Logger.Level.WARNING, server + ": cannot accept a connection: " + cause.getMessage()
                            + " (open files " + open + " of " + max + "; further failures are counted, not said)");
                } catch (RuntimeException | LinkageError e) {
                    // A logger that itself needs a descriptor: the line is lost, the event loop must not be.
                }
            }
        }
    }
}
