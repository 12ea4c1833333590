package io.plsim.app.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a subscriber still had queued when it closed is kept as a line for whoever closed it to say
 * on its own output, since at JVM shutdown the JDK's logging may already be reset and a log line lost.
 */
class UndeliveredAtShutdownTest {

    /** A subscriber whose first delivery never ends, so that what comes after it waits in the queue. */
    static final class Stuck extends QueuedSubscriber {
        final CountDownLatch delivering = new CountDownLatch(1);

        Stuck() {
            super("stuck", 100);
            start();
        }

        @Override
        void deliver(Envelope envelope) throws Exception {
            delivering.countDown();
            new CountDownLatch(1).await(); // until interrupted by close
        }

        @Override
        public String describe() {
            return "http://127.0.0.1:1/sns";
        }
    }

    private static Envelope envelope(int i) {
        return new Envelope("m-" + i, "arn:aws:sns:us-east-1:111122223333:t", "vpce-0123456789abcdef0", Instant.EPOCH,
                "{}");
    }

    @Test
    void aSubscriberClosedWithNotificationsQueuedSaysHowMany() throws Exception {
        Stuck s = new Stuck();
        for (int i = 0; i < 5; i++) {
            s.offer(envelope(i));
        }
        // The first is being delivered; the other four wait behind it.
        assertEquals(true, s.delivering.await(5, TimeUnit.SECONDS));
        s.close();
        assertEquals("http://127.0.0.1:1/sns: 4 notifications undelivered at shutdown", s.undeliveredAtClose());
        assertEquals(4, s.dropped());
    }

    @Test
    void oneThatDeliveredEverythingSaysNothing() {
        Stuck s = new Stuck();
        s.close();
        assertNull(s.undeliveredAtClose());
    }
}
