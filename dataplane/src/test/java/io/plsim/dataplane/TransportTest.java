package io.plsim.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

class TransportTest {

    @Test
    void autoTakesIoUringThenEpollThenNio() {
        Transport.Choice auto = Transport.choose("auto");
        String expected = IoUring.isAvailable() ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio";
        assertEquals(expected, auto.transport().name());
        assertEquals(!IoUring.isAvailable(), auto.fallback().isPresent(), auto.describe());
        auto.fallback().ifPresent(why -> assertTrue(why.startsWith("io_uring is not available here: "), why));
    }

    /** The surefire runs that repeat the relay tests per transport rely on this. */
    @Test
    void bestIsWhatThePropertyAsksFor() {
        String asked = System.getProperty("plsim.transport", "auto");
        assertEquals(Transport.choose(asked).transport().name(), Transport.best().name());
        if (!asked.equals("auto")) {
            assertEquals(asked, Transport.best().name());
        }
    }

    @Test
    void anUnknownNameIsRefusedWithTheNamesThatWork() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transport.choose("kqueue"));
        assertEquals("--transport: expected one of auto, io_uring, epoll, nio, found kqueue", e.getMessage());
    }

    @Test
    void namesAreTakenInAnyCase() {
        assertEquals("nio", Transport.choose("NIO").transport().name());
        if (Epoll.isAvailable()) {
            assertEquals("epoll", Transport.choose("Epoll").transport().name());
        }
    }
}
