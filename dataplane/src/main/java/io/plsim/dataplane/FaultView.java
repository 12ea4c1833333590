package io.plsim.dataplane;

import io.plsim.core.model.Fault;
import io.plsim.dataplane.fault.FaultInForce;
import java.time.Instant;

/**
 * A fault in force at one moment: its ID, the name it was given (or null), what it is, since when,
 * and how many connections or checks it hit by then. A reading, so it does not follow the fault's
 * later updates or hits.
 */
public record FaultView(String id, String name, Fault fault, Instant since, long hits) {

    static FaultView of(FaultInForce e) {
        return new FaultView(e.id(), e.name(), e.fault(), e.since(), e.hits());
    }

    public String describe() {
        return id + " " + fault.describe();
    }
}
