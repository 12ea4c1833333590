package io.plsim.app.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One connection slot of a request/response run ({@code rr}, {@code closed}, {@code churn}): at most
 * one request outstanding on it, and a local queue of the intended send times of requests that came
 * due while it was busy (open loop). In {@code churn} mode each request gets a connection of its
 * own; otherwise the connection is kept and reopened when it breaks.
 *
 * <p>Only the worker's event loop touches a lane, so nothing here is synchronized. Sending costs a
 * retained duplicate of the worker's payload buffer (pooled, recycled: the payload or the encoded HTTP
 * GET); reading counts bytes (or frames HTTP answers where they lie) and releases them. Bytes are
 * counted as they go on the wire, PROXY headers included.
 */
final class Lane {

    /** Wait this long before a closed loop tries to connect again after a failed connect. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Worker worker;
    private final LoadRun run;
    private final LoadSpec spec;
    private final boolean churn;
    private final boolean closedLoop;
    private final io.netty.bootstrap.Bootstrap bootstrap;
    private final boolean http;
    private final Runnable retry = this::retry;

    private Channel channel;
    private boolean connecting;
    private boolean ready;
    private boolean aborted;
    private boolean retryPending;
    private boolean ahead;

    private boolean busy;
    /**
     * A request timed out on this connection and its answer may still come: it is read and dropped
     * before the next request is sent (cheaper than a new connection, which matters when a target
     * is overloaded); if it does not come within another timeout, the connection is closed.
     */
    private boolean draining;
    private long drainBytes;
    private long drainSince;
    private long origin;
    private long sentAt;
    private long received;
    private int httpStatus;
    /** With {@code --http}: where each answer on the current connection ends. */
    private final HttpResponseFramer framer = new HttpResponseFramer();
    private final Answers answers = new Answers();
    /** The connection whose bytes the framer is reading; its answers stop counting once it is not the lane's. */
    private Channel reading;

    private long[] queue = new long[8];
    private int head;
    private int size;

    Lane(Worker worker) {
        this.worker = worker;
        this.run = worker.run;
        this.spec = run.spec;
        this.churn = spec.mode() == LoadMode.CHURN;
        this.closedLoop = !spec.openLoop();
        this.http = spec.http();
        // One handler for every connection of the lane, the only one in each pipeline: no initializer to
        // run and remove per connection, which churn opens for every request.
        this.bootstrap = worker.bootstrap.clone().handler(new Handler());
    }

    // ---- issuing ----

    /** Open loop: a request is due; send it now or queue it (its latency counts from {@code intended} either way). */
    void submit(long intended) {
        if (aborted) {
            run.error(ErrorKind.TIMEOUT);
            run.resolved();
            return;
        }
        enqueue(intended);
        pump();
    }

    /** Sends the next request if the lane is free, connecting first if needed. */
    void pump() {
        if (aborted || busy || retryPending || draining) {
            return;
        }
        if (size == 0) {
            if (!closedLoop || !run.started || !run.tryIssue()) {
                return;
            }
            worker.countIssued();
            enqueue(System.nanoTime());
        }
        if (!ready) {
            if (!connecting) {
                connect();
            }
            return;
        }
        send(dequeue());
    }

    /** The address of the current (or last) connection, to which its requests' outcomes count. */
    private InetSocketAddress address;
    /** That address's latency recorder when the target is a name; null when there is one address. */
    private org.HdrHistogram.SingleWriterRecorder addressLatency;

    /** Opens the connection before the run starts, so the first requests do not pay for it. */
    void connectAhead() {
        ahead = true;
        connect();
    }

    private void connect() {
        connecting = true;
        InetSocketAddress to = run.addresses.next();
        address = to;
        addressLatency = run.addresses.resolvesName() ? worker.recorderFor(to) : null;
        worker.connect(bootstrap, to, this::onConnect);
    }

    private void onConnect(ChannelFuture f) {
        connecting = false;
        if (ahead) {
            ahead = false;
            run.connectsAhead.countDown();
        }
        if (!f.isSuccess()) {
            if (aborted) {
                return;
            }
            ErrorKind kind = ErrorKind.ofConnect(f.cause());
            // Requests waiting for this connection cannot be sent on it.
            while (size > 0) {
                dequeue();
                fail(kind);
            }
            if (closedLoop && run.started) {
                retryPending = true;
                worker.loop.schedule(retry, RETRY_NANOS, TimeUnit.NANOSECONDS);
            }
            return;
        }
        Channel ch = f.channel();
        if (aborted) {
            ch.close();
            return;
        }
        channel = ch;
        ready = true;
        framer.reset();
        if (spec.proxyV2()) {
            worker.writeProxyHeader(ch);
            if (size == 0 && !run.started) {
                ch.flush();
            }
        }
        pump();
    }

    private void retry() {
        retryPending = false;
        pump();
    }

    private void send(long intended) {
        busy = true;
        origin = intended;
        received = 0;
        httpStatus = 0;
        sentAt = System.nanoTime();
        worker.countSent();
        // The same bytes every time (an HTTP GET or the payload): a retained duplicate, nothing allocated.
        run.bytesOut.add(worker.payload.readableBytes());
        channel.writeAndFlush(worker.payload.retainedDuplicate(), channel.voidPromise());
    }

    // ---- answers ----

    private void onBytes(ByteBuf buf) {
        int n = buf.readableBytes();
        buf.release();
        if (draining) {
            if (n < drainBytes) {
                drainBytes -= n;
                return;
            }
            draining = false;
            if (n > drainBytes) {
                unexpected();
                return;
            }
            pump();
            return;
        }
        if (!busy) {
            unexpected();
            return;
        }
        received += n;
        if (received >= spec.payloadSize()) {
            boolean extra = received > spec.payloadSize();
            complete();
            if (extra) {
                unexpected();
            }
        }
    }

    private void onHttp(Channel ch, ByteBuf buf) {
        try {
            received += buf.readableBytes();
            reading = ch;
            framer.feed(buf, answers);
        } finally {
            buf.release();
        }
    }

    /** What the framer finds on the lane's connection, as the lane's outcomes. */
    private final class Answers implements HttpResponseFramer.Listener {

        @Override
        public boolean begin() {
            if (reading != channel) {
                return false; // the lane closed it (churn), and the rest of its bytes count for nothing
            }
            if (!draining && !busy) {
                unexpected();
                return false;
            }
            return true;
        }

        @Override
        public void status(int code) {
            httpStatus = code;
        }

        @Override
        public void end() {
            if (draining) {
                draining = false;
                pump();
            } else if (httpStatus >= 500) {
                fail(ErrorKind.HTTP_5XX);
                endOfRequest();
            } else if (httpStatus >= 400) {
                fail(ErrorKind.HTTP_4XX);
                endOfRequest();
            } else {
                complete();
            }
        }

        @Override
        public void malformed(String why) {
            if (!draining) {
                fail(ErrorKind.BAD_RESPONSE);
            }
            closeChannel();
            pump();
        }
    }

    /** More than the answer arrived: the stream is out of step, so drop the connection. */
    private void unexpected() {
        run.error(ErrorKind.UNEXPECTED_DATA);
        closeChannel();
        pump();
    }

    private void complete() {
        long now = System.nanoTime();
        busy = false;
        worker.record(now - origin, now - sentAt);
        if (addressLatency != null) {
            addressLatency.recordValue(Worker.clamp(now - origin));
        }
        run.resolved();
        endOfRequest();
    }

    private void endOfRequest() {
        if (churn) {
            closeChannel();
        }
        pump();
    }

    private void fail(ErrorKind kind) {
        busy = false;
        run.error(kind);
        if (address != null) {
            run.addresses.requestFailed(address);
        }
        run.resolved();
    }

    private void onInactive(Channel ch, Throwable cause) {
        if (ch != channel) {
            return; // closed by us: churn, timeout, out of step
        }
        channel = null;
        ready = false;
        draining = false;
        if (busy) {
            fail(cause != null ? ErrorKind.ofIo(cause) : received > 0 ? ErrorKind.SHORT_READ : ErrorKind.CLOSED);
        }
        pump();
    }

    private void closeChannel() {
        Channel ch = channel;
        channel = null;
        ready = false;
        draining = false;
        if (ch != null) {
            ch.close();
        }
    }

    // ---- time ----

    /** Fails what has waited longer than the timeout since its intended send time. */
    void sweep(long now) {
        boolean changed = false;
        if (busy && now - origin > run.timeoutNanos) {
            fail(ErrorKind.TIMEOUT);
            if (churn || channel == null) {
                closeChannel();
            } else {
                // A late answer would be taken for the next request's: wait for it and drop it.
                draining = true;
                drainBytes = spec.payloadSize() - received;
                drainSince = now;
            }
            changed = true;
        } else if (draining && now - drainSince > run.timeoutNanos) {
            closeChannel();
            changed = true;
        }
        while (size > 0 && now - queue[head] > run.timeoutNanos) {
            dequeue();
            fail(ErrorKind.TIMEOUT);
            changed = true;
        }
        if (changed) {
            pump();
        }
    }

    /** The run is over: what is outstanding or queued times out; the connection closes. */
    void abort() {
        aborted = true;
        if (busy) {
            fail(ErrorKind.TIMEOUT);
        }
        while (size > 0) {
            dequeue();
            fail(ErrorKind.TIMEOUT);
        }
        closeChannel();
    }

    // ---- the queue of intended send times ----

    private void enqueue(long t) {
        if (size == queue.length) {
            long[] q = new long[queue.length * 2];
            for (int i = 0; i < size; i++) {
                q[i] = queue[(head + i) & (queue.length - 1)];
            }
            queue = q;
            head = 0;
        }
        queue[(head + size) & (queue.length - 1)] = t;
        size++;
    }

    private long dequeue() {
        long t = queue[head];
        head = (head + 1) & (queue.length - 1);
        size--;
        return t;
    }

    /**
     * The pipeline of every connection of this lane. Churn may close one connection while the next opens,
     * so each event asks which connection it is about; a failure is kept with the connection it ended.
     */
    @ChannelHandler.Sharable
    private final class Handler extends ChannelInboundHandlerAdapter {
        private Channel causeOf;
        private Throwable cause;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            run.open.incrementAndGet();
            run.connections.increment();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            run.open.decrementAndGet();
            Channel ch = ctx.channel();
            if (http && ch == channel && causeOf != ch && framer.endsAtClose()) {
                // An answer without a length ends with its connection: complete, then the lane goes on
                // without this connection.
                channel = null;
                ready = false;
                reading = null;
                framer.endOfInput(answers);
                return;
            }
            onInactive(ch, causeOf == ch ? cause : null);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            run.bytesIn.add(((ByteBuf) msg).readableBytes());
            if (ctx.channel() != channel) {
                ReferenceCountUtil.release(msg);
            } else if (http) {
                onHttp(ctx.channel(), (ByteBuf) msg);
            } else {
                onBytes((ByteBuf) msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
            if (causeOf != ctx.channel()) {
                causeOf = ctx.channel();
                cause = t;
            }
            ctx.close();
        }
    }
}
