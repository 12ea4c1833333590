package io.plsim.core.control;

import static io.plsim.core.control.World.ALICE;
import static io.plsim.core.control.World.BOB;
import static io.plsim.core.control.World.NOW;
import static io.plsim.core.control.World.SEED;
import static io.plsim.core.control.World.SUBNET_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An accept delay: an accepted endpoint is {@code pending} for it, then {@code available}, as AWS moves
 * {@code pendingAcceptance -> pending -> available}; on a clock the test moves, so no time passes.
 */
class AcceptDelayTest {

    /** A clock that stands still until the test moves it. */
    private static final class HandClock extends Clock {
        private Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HandClock clock = new HandClock();
    private World w;
    private ControlPlane cp;

    @BeforeEach
    void setUp() {
        w = new World(clock, SEED);
        cp = w.cp;
        cp.acceptAfter(Duration.ofSeconds(90));
    }

    private List<String> changes() {
        return w.events.stream().filter(e -> e instanceof ControlEvent.EndpointChanged).map(e -> {
            ControlEvent.EndpointChanged c = (ControlEvent.EndpointChanged) e;
            return (c.previous() == null ? "created" : c.previous().wire()) + "->" + c.endpoint().state().wire();
        }).toList();
    }

    @Test
    void anAcceptedEndpointIsPendingForTheDelayThenAvailable() {
        ServiceConfiguration s = w.openService(true);
        VpcEndpoint e = w.endpoint(s, SUBNET_A);
        assertEquals(List.of(), cp.acceptConnections(ALICE, s.serviceId(), List.of(e.vpcEndpointId())));
        assertEquals(EndpointState.PENDING, w.stateOf(e.vpcEndpointId()));
        assertEquals(Optional.of(Duration.ofSeconds(90)), cp.advance());

        clock.now = NOW.plusSeconds(89);
        assertEquals(EndpointState.PENDING, w.stateOf(e.vpcEndpointId()));
        assertEquals(Optional.of(Duration.ofSeconds(1)), cp.advance());

        clock.now = NOW.plusSeconds(90);
        assertEquals(Optional.empty(), cp.advance());
        assertEquals(EndpointState.AVAILABLE, w.stateOf(e.vpcEndpointId()));
        assertEquals(List.of("created->pendingAcceptance", "pendingAcceptance->pending", "pending->available"),
                changes());
    }

    @Test
    void aServiceThatAcceptsOnItsOwnPassesThroughPendingToo() {
        ServiceConfiguration s = w.openService(false);
        VpcEndpoint e = w.endpoint(s, SUBNET_A);
        assertEquals(EndpointState.PENDING, e.state());
        clock.now = NOW.plusSeconds(90);
        // any operation first moves what is due
        assertEquals(EndpointState.AVAILABLE, cp.describeVpcEndpoints(BOB, List.of(e.vpcEndpointId()), List.of(),
                PageRequest.ALL).items().get(0).state());
        assertEquals(List.of("created->pending", "pending->available"), changes());
    }

    @Test
    void aPendingEndpointRejectedOrDeletedStaysSo() {
        ServiceConfiguration s = w.openService(false);
        VpcEndpoint rejected = w.endpoint(s, SUBNET_A);
        VpcEndpoint deleted = w.endpoint(s, World.SUBNET_B);
        assertEquals(List.of(), cp.rejectConnections(ALICE, s.serviceId(), List.of(rejected.vpcEndpointId())));
        assertEquals(List.of(), cp.deleteVpcEndpoints(BOB, List.of(deleted.vpcEndpointId())));
        clock.now = NOW.plusSeconds(600);
        assertEquals(Optional.empty(), cp.advance());
        assertEquals(EndpointState.REJECTED, w.stateOf(rejected.vpcEndpointId()));
        assertEquals(EndpointState.DELETED, w.stateOf(deleted.vpcEndpointId()));
    }

    @Test
    void withoutADelayAcceptanceIsAvailableAtOnce() {
        cp.acceptAfter(Duration.ZERO);
        ServiceConfiguration s = w.openService(false);
        assertEquals(EndpointState.AVAILABLE, w.endpoint(s, SUBNET_A).state());
        assertEquals(Optional.empty(), cp.advance());
        assertThrows(IllegalArgumentException.class, () -> cp.acceptAfter(Duration.ofSeconds(-1)));
    }
}
