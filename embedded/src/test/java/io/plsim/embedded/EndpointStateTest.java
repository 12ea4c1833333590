package io.plsim.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.plsim.core.control.EndpointState;
import org.junit.jupiter.api.Test;

class EndpointStateTest {

    /** Every state the engine has reads as the embedded state of its name, spelled as EC2 spells it. */
    @Test
    void everyEngineStateHasItsTwinWithTheSameSpelling() {
        assertEquals(EndpointState.values().length, Endpoint.State.values().length);
        for (EndpointState s : EndpointState.values()) {
            Endpoint.State twin = Endpoint.State.of(s);
            assertEquals(s.name(), twin.name());
            assertEquals(s.wire(), twin.wire());
            assertEquals(twin, Endpoint.State.ofWire(s.wire()));
        }
        assertEquals("pendingAcceptance", Endpoint.State.PENDING_ACCEPTANCE.wire());
    }

    @Test
    void anUnknownSpellingIsRefusedNamingTheStates() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Endpoint.State.ofWire("up"));
        assertEquals("no endpoint state up; one of [pendingAcceptance, pending, available, deleting, deleted,"
                + " rejected, failed, expired]", e.getMessage());
    }
}
