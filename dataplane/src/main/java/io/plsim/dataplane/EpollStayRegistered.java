package io.plsim.dataplane;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * Netty's epoll I/O handler, with every socket kept in the epoll set until it is closed.
 *
 * <p>Why: Netty 4.2.18 (the same code is in 4.2.19 and 4.2.20) removes a socket from the epoll set
 * ({@code EPOLL_CTL_DEL}) when its interest set becomes empty, but keeps the registration marked as
 * added, so the next interest change is an {@code EPOLL_CTL_MOD} that fails with {@code ENOENT}, and
 * the channel is shut. A half-closed connection meets it: its input is shut (no more
 * {@code EPOLLIN}), it waits for nothing else, and when a large answer later has to wait for
 * {@code EPOLLOUT} the answer is cut short with a clean EOF. It came with netty/netty#16689, the
 * fix of netty/netty#16683 (a socket registered with an empty mask is woken up forever by
 * {@code EPOLLHUP}). Asking for {@code EPOLLET} alone instead of nothing avoids both: the socket
 * stays registered (so a later {@code MOD} finds it) and, edge-triggered, a hang-up wakes it once,
 * not forever. {@code EpollStayRegisteredTest} reproduces the loss on Netty's own handler, without
 * plsim, and shows this one keeps the bytes.
 */
final class EpollStayRegistered implements IoHandlerFactory {

    private final IoHandlerFactory epoll = EpollIoHandler.newFactory();

    @Override
    public IoHandler newHandler(ThreadAwareExecutor executor) {
        return new Handler(epoll.newHandler(executor));
    }

    @Override
    public boolean isChangingThreadSupported() {
        return epoll.isChangingThreadSupported();
    }

    private record Handler(IoHandler epoll) implements IoHandler {
        @Override
        public void initialize() {
            epoll.initialize();
        }

        @Override
        public int run(IoHandlerContext context) {
            return epoll.run(context);
        }

        @Override
        public void prepareToDestroy() {
            epoll.prepareToDestroy();
        }

        @Override
        public void destroy() {
            epoll.destroy();
        }

        @Override
        public IoRegistration register(IoHandle handle) throws Exception {
            return new Registration(epoll.register(handle));
        }

        @Override
        public void wakeup() {
            epoll.wakeup();
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return epoll.isCompatible(handleType);
        }
    }

    private record Registration(IoRegistration epoll) implements IoRegistration {
        @Override
        public <T> T attachment() {
            return epoll.attachment();
        }

        @Override
        public long submit(IoOps ops) {
            return epoll.submit(ops instanceof EpollIoOps e && e.value() == 0 ? EpollIoOps.EPOLLET : ops);
        }

        @Override
        public boolean isValid() {
            return epoll.isValid();
        }

        @Override
        public boolean cancel() {
            return epoll.cancel();
        }
    }
}
