package io.plsim.core.state;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock of a world whose state is being replayed: while a change is replayed it shows the time the
 * change was first made, so creation times survive a restart; otherwise it is the system clock.
 */
public final class ReplayClock extends Clock {

    private volatile Instant fixed;

    void show(Instant at) {
        fixed = at;
    }

    void live() {
        fixed = null;
    }

    @Override
    public Instant instant() {
        Instant f = fixed;
        return f != null ? f : Instant.now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
