package io.plsim.app.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.control.ConnectionEvent;
import io.plsim.core.control.ConnectionNotification;
import io.plsim.core.control.ControlEvent;
import io.plsim.core.control.EndpointState;
import io.plsim.core.control.VpcEndpoint;
import io.plsim.core.model.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Topics that only notifications name are kept in memory for the latest 1,000 of them, so that many
 * cannot fill the heap.
 */
class UndeclaredTopicsTest {

    private static ControlEvent.Notified notified(String topic) {
        VpcEndpoint e = new VpcEndpoint("vpce-0123456789abcdef0", "444455556666", Principal.root("444455556666"),
                "vpc-0b0b0b0b0b0b00002", "vpce-svc-0123456789abcdef0",
                "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
                EndpointState.AVAILABLE, List.of(), List.of(), Map.of(), List.of(), Instant.EPOCH);
        return new ControlEvent.Notified(new ConnectionNotification("vpce-nfn-0123456789abcdef0", "111122223333",
                "vpce-svc-0123456789abcdef0", null, topic, Set.of(ConnectionEvent.values())),
                ConnectionEvent.values()[0], e, Instant.EPOCH);
    }

    @Test
    void onlyTheLatestThousandUndeclaredTopicsAreKept() {
        try (NotificationHub hub = new NotificationHub(List.of())) {
            for (int i = 0; i < 1_500; i++) {
                hub.onEvent(notified("arn:aws:sns:us-east-1:111122223333:t" + i));
            }
            assertEquals(NotificationHub.MAX_UNDECLARED_TOPICS, hub.log(null).size());
            assertTrue(hub.log("arn:aws:sns:us-east-1:111122223333:t0").isEmpty(), "the oldest forgotten");
            assertEquals(1, hub.log("arn:aws:sns:us-east-1:111122223333:t1499").size(), "the latest kept");
        }
    }

    @Test
    void everyTopicTogetherKeepsAtMostAHundredThousandEnvelopes() {
        try (NotificationHub hub = new NotificationHub(List.of())) {
            for (int t = 0; t < 15; t++) {
                ControlEvent.Notified n = notified("arn:aws:sns:us-east-1:111122223333:busy" + t);
                for (int i = 0; i < 10_000; i++) {
                    hub.onEvent(n);
                }
            }
            assertEquals(MemorySubscriber.TOTAL_CAPACITY, hub.log(null).size());
            assertEquals(MemorySubscriber.CAPACITY, hub.log("arn:aws:sns:us-east-1:111122223333:busy0").size());
        }
    }
}
