package io.plsim.app.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;

/**
 * One connection of a bulk run: it writes chunks (retained duplicates of the worker's 64 KiB
 * buffer) while the channel is writable, until {@code --bytes-per-connection} is sent or the
 * duration is over, reads and counts whatever comes back, then half-closes and waits for the peer
 * to finish (an echo sends the rest and half-closes too). Success: all was sent and the peer ended
 * its side (or sent back as much as it got). Only the worker's event loop touches it.
 */
final class BulkLane extends ChannelInboundHandlerAdapter {

    private final Worker worker;
    private final LoadRun run;
    private final long limit;
    private Channel channel;
    private long sent;
    private long received;
    private boolean stopping;
    private boolean outputDone;
    private boolean resolved;
    private Throwable cause;

    BulkLane(Worker worker) {
        this.worker = worker;
        this.run = worker.run;
        this.limit = run.spec.bytesPerConnection() > 0 ? run.spec.bytesPerConnection() : Long.MAX_VALUE;
    }

    void start() {
        channel = worker.connect(worker.bootstrap.clone().handler(this), run.addresses.next(), this::onConnect).channel();
    }

    private void onConnect(ChannelFuture f) {
        if (resolved) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            resolve(ErrorKind.ofConnect(f.cause()));
            return;
        }
        channel = f.channel();
        worker.writeProxyHeader(channel);
        writeMore();
    }

    /** The duration is over: stop sending, let the peer finish. */
    void stop() {
        stopping = true;
        if (channel != null && channel.isActive()) {
            writeMore();
        }
    }

    private void writeMore() {
        Channel ch = channel;
        if (outputDone || resolved || !ch.isActive()) {
            return;
        }
        ByteBuf chunk = worker.payload;
        while (ch.isWritable()) {
            if (stopping || sent >= limit) {
                outputDone = true;
                // Half-close once everything before has gone out (an empty write completes in order).
                ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) w -> {
                    if (w.isSuccess() && w.channel() instanceof DuplexChannel d && d.isActive()) {
                        d.shutdownOutput();
                    }
                });
                return;
            }
            int n = (int) Math.min(chunk.readableBytes(), limit - sent);
            ch.write(n == chunk.readableBytes() ? chunk.retainedDuplicate() : chunk.retainedSlice(0, n), ch.voidPromise());
            sent += n;
            run.bytesOut.add(n);
        }
        ch.flush();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        run.open.incrementAndGet();
        run.connections.increment();
        ctx.fireChannelActive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            writeMore();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        int n = b.readableBytes();
        b.release();
        received += n;
        run.bytesIn.add(n);
        if (outputDone && received >= sent && run.spec.bytesPerConnection() > 0) {
            succeed();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (outputDone) {
                succeed();
            } else {
                resolve(ErrorKind.CLOSED);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
        if (cause == null) {
            cause = t;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        run.open.decrementAndGet();
        if (!resolved) {
            if (cause != null) {
                resolve(ErrorKind.ofIo(cause));
            } else if (outputDone) {
                succeed();
            } else {
                resolve(ErrorKind.CLOSED);
            }
        }
    }

    private void succeed() {
        if (!resolved) {
            resolved = true;
            worker.countCompleted();
            run.resolved();
            channel.close();
        }
    }

    private void resolve(ErrorKind kind) {
        if (!resolved) {
            resolved = true;
            run.error(kind);
            run.resolved();
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** The run is over: a stream that finished sending counts as done, one still sending as timed out. */
    void abort() {
        if (outputDone) {
            succeed();
        } else {
            resolve(ErrorKind.TIMEOUT);
        }
        if (channel != null) {
            channel.close();
        }
    }
}
