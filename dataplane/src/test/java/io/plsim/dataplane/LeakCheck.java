package io.plsim.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty's leak detector reports a leak during or right after it.
 *
 * <p>Two ways in, because test classes share one JVM and Netty creates its {@code ByteBuf} leak
 * detector once, when {@code AbstractByteBuf} is first loaded:
 * <ul>
 *   <li>a {@link ResourceLeakDetectorFactory} whose detectors record every report (effective when
 *       this class is loaded before the first buffer is allocated);</li>
 *   <li>a {@code java.util.logging} handler on the detector's logger (Netty logs through JUL when
 *       no SLF4J or Log4j 2 is on the class path, as here), which sees the report of a detector
 *       created before this class was loaded.</li>
 * </ul>
 * After each test (and after the test class's own {@code @AfterEach}, which closes the data plane)
 * it runs the collector and allocates a few buffers, which makes the detector poll its reference
 * queue, then fails the test if anything was reported. Before a test class it collects and
 * discards, and before each test it discards what was reported so far, so a leak of an earlier
 * test is not blamed on the next one.
 *
 * <p>The surefire configuration runs the tests with {@code -Dio.netty.leakDetection.level=PARANOID},
 * so every buffer is tracked.
 */
public final class LeakCheck implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final ConcurrentLinkedQueue<String> REPORTS = new ConcurrentLinkedQueue<>();
    private static final Logger JUL = Logger.getLogger(ResourceLeakDetector.class.getName());

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        JUL.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                String m = r.getMessage();
                if (r.getLevel().intValue() >= Level.SEVERE.intValue() && m != null && m.contains("LEAK")) {
                    REPORTS.add(m);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Buffers an earlier test class dropped are collected and reported now, not during this class.
        collect();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // What was reported before this test belongs to an earlier one (which failed for it, if it
        // checked); start afresh without paying for a collection.
        REPORTS.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaks = collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty leak report(s) during " + context.getDisplayName()
                    + ":\n" + String.join("\n---\n", leaks));
        }
    }

    /**
     * Makes the leak detector look at what the collector freed, and answers (and forgets) every
     * report since the last call.
     */
    public static List<String> collect() {
        if (ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.DISABLED) {
            return List.of();
        }
        ByteBufAllocator[] allocators = {ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT,
            UnpooledByteBufAllocator.DEFAULT};
        for (int round = 0; round < 4; round++) {
            System.gc();
            System.runFinalization();
            try {
                // The reference handler thread enqueues cleared references after the collection.
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            for (ByteBufAllocator a : allocators) {
                for (int i = 0; i < 8; i++) {
                    ByteBuf b = a.directBuffer(64);
                    b.release();
                    b = a.heapBuffer(64);
                    b.release();
                }
            }
        }
        return drain();
    }

    /** Answers (and forgets) every report so far, without making the detector look for more. */
    public static List<String> drain() {
        List<String> out = new ArrayList<>();
        for (String s; (s = REPORTS.poll()) != null; ) {
            out.add(s);
        }
        return out;
    }

    /** Creates detectors that note each report instead of logging it. */
    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation") // the one abstract method there is to implement
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            REPORTS.add("LEAK (traced) of " + resourceType + ":" + records);
            // The JUL handler would record it again; keep one entry per leak.
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            REPORTS.add("LEAK (untraced) of " + resourceType);
        }
    }
}
