package io.plsim.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.plsim.core.model.Fault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The embedded direction type maps to the engine's, one for one. */
class FaultSpecTest {

    @Test
    void eachDirectionMapsToTheEnginesStream() {
        for (FaultSpec.Direction d : FaultSpec.Direction.values()) {
            assertEquals(FaultSpec.latency(Duration.ofMillis(1)).stream(Fault.Stream.valueOf(d.name())).toString(),
                    FaultSpec.latency(Duration.ofMillis(1)).stream(d).toString());
        }
        assertEquals(Fault.Stream.values().length, FaultSpec.Direction.values().length);
    }
}
