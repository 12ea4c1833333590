package io.plsim.bench;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A JMH executor whose worker threads are Netty {@code FastThreadLocalThread}s, like the event loop threads
 * the data plane allocates on. Netty 4.2's allocators only give such threads their thread-local caches
 * (adaptive: thread-local magazines; pooled: {@code useCacheForAllThreads} is off), so a buffer allocated
 * from a plain JMH thread would measure a slower, shared path that production never takes.
 *
 * <p>Selected per fork with {@code -Djmh.executor=CUSTOM -Djmh.executor.class=}this class; JMH calls the
 * {@code (int, String)} constructor.
 */
public final class EventLoopThreadExecutor extends ThreadPoolExecutor {

    public EventLoopThreadExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
