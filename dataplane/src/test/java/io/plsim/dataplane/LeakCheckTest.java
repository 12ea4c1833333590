package io.plsim.dataplane;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LeakCheck} itself: a buffer that is never released is reported, whichever way the leak
 * detector was created. Without this, a leak check that sees nothing would pass every test.
 */
class LeakCheckTest {

    @BeforeEach
    void paranoid() {
        assumeTrue(ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID,
                "run with -Dio.netty.leakDetection.level=PARANOID, as the build does");
        LeakCheck.collect();
    }

    @Test
    void anUnreleasedBufferIsReported() {
        leakABuffer();
        List<String> reports = LeakCheck.collect();
        assertFalse(reports.isEmpty(), "the leaked buffer was not reported");
        assertTrue(reports.stream().anyMatch(r -> r.contains("LEAK")), () -> "reports: " + reports);
        assertTrue(LeakCheck.collect().isEmpty(), "reports are handed out once");
    }

    @Test
    void aLeakLoggedByADetectorMadeBeforeTheFactoryIsReportedToo() throws InterruptedException {
        // A detector made directly, as Netty's own were if a buffer was allocated before LeakCheck loaded:
        // it reports through its logger, which LeakCheck listens to.
        ResourceLeakDetector<Object> detector = new ResourceLeakDetector<>(Object.class, 1);
        trackAndDrop(detector);
        List<String> reports = List.of();
        for (int i = 0; i < 100 && reports.isEmpty(); i++) {
            System.gc();
            // Tracking another object makes the detector poll its queue of collected ones.
            Object probe = new Object();
            ResourceLeakTracker<Object> t = detector.track(probe);
            if (t != null) {
                t.close(probe);
            }
            reports = LeakCheck.drain();
            if (reports.isEmpty()) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }
        assertFalse(reports.isEmpty(), "the logged leak was not seen");
    }

    private static void leakABuffer() {
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(32);
        b.writeLong(42);
        // dropped without release
    }

    private static void trackAndDrop(ResourceLeakDetector<Object> detector) {
        Object resource = new Object();
        ResourceLeakTracker<Object> tracker = detector.track(resource);
        assertTrue(tracker != null, "tracked");
        tracker.record("created by LeakCheckTest");
        // neither tracker.close(resource) nor keeping the resource: a leak
    }
}
