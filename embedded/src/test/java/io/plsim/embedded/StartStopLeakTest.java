package io.plsim.embedded;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.LeakCheck;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hundred worlds started, used and closed one after another in one JVM leave nothing behind: no
 * thread of plsim's, no more file descriptors than before (sockets, epoll, lock files), and no
 * unreleased buffer (Netty's leak detector runs at PARANOID and {@link LeakCheck} fails on a report).
 */
@ExtendWith(LeakCheck.class)
class StartStopLeakTest {

    private static final int WORLDS = 100;

    private static List<String> plsimThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("plsim")).sorted().collect(Collectors.toList());
    }

    private static int openFiles() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void aHundredWorldsLeaveNoThreadDescriptorOrBuffer() throws Exception {
        // One world first, so that what is made once per JVM (Netty's native library, class loading,
        // the JDK's resolver) is in the baseline, not counted as a leak.
        try (PlsimWorld warm = PlsimWorld.fromResource("world.yaml")) {
            PlsimWorldTest.echo(warm.endpoint("your-endpoint").address(), "warm");
        }
        assertTrue(Waits.await(Duration.ofSeconds(10), () -> plsimThreads().isEmpty()), "after the first world: "
                + plsimThreads());
        int filesBefore = openFiles();
        for (int i = 0; i < WORLDS; i++) {
            try (PlsimWorld w = PlsimWorld.fromResource("world.yaml")) {
                if (i % 10 == 0) {
                    PlsimWorldTest.echo(w.endpoint("your-endpoint").address(), "world " + i);
                }
            }
        }
        assertTrue(Waits.await(Duration.ofSeconds(10), () -> plsimThreads().isEmpty()),
                "threads left after " + WORLDS + " worlds: " + plsimThreads());
        if (filesBefore >= 0) {
            // A socket closed by Netty is released at once; the few a JVM opens meanwhile (a jar, a
            // log) are the slack.
            assertTrue(Waits.await(Duration.ofSeconds(10), () -> openFiles() <= filesBefore + 8),
                    "file descriptors: " + filesBefore + " before, " + openFiles() + " after " + WORLDS + " worlds");
        }
        System.out.printf("%d worlds started and closed: %d file descriptors before, %d after, plsim threads left %s%n",
                WORLDS, filesBefore, openFiles(), plsimThreads());
    }
}
