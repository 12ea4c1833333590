package io.plsim.embedded.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.plsim.dataplane.LeakCheck;
import io.plsim.embedded.FaultSpec;
import io.plsim.embedded.PlsimWorld;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension's lifecycle, checked by running test classes that use it with JUnit's own test kit
 * and looking at what happened to each test, a failing one included: one world per class, put back
 * between tests, closed after the last; a world per test on request; the annotation form; and a
 * clear failure when no world is named.
 */
@ExtendWith(LeakCheck.class)
class PlsimExtensionTest {

    /** What the fixture classes saw, read after they ran. */
    static final List<PlsimWorld> WORLDS = new ArrayList<>();
    static final List<URI> URLS = new ArrayList<>();
    static final List<Integer> FAULTS_AT_START = new ArrayList<>();
    static final List<String> STATES_AT_START = new ArrayList<>();
    static final List<String> TARGETS = new ArrayList<>();

    private static Events run(Class<?> fixture) {
        return execute(fixture).testEvents();
    }

    private static EngineExecutionResults execute(Class<?> fixture) {
        WORLDS.clear();
        URLS.clear();
        FAULTS_AT_START.clear();
        STATES_AT_START.clear();
        TARGETS.clear();
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    }

    private static void record(PlsimWorld w) {
        WORLDS.add(w);
        URLS.add(w.apiUrl());
        FAULTS_AT_START.add(w.faults().size());
        STATES_AT_START.add(w.endpoint("your-endpoint").state());
    }

    private static List<String> plsimThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("plsim")).collect(Collectors.toList());
    }

    @Test
    void placeholderValuesFillTheFileOfEveryWorldTheExtensionStarts() {
        try (io.plsim.dataplane.TestTarget a = WithPlaceholders.A) {
            run(WithPlaceholders.class).assertStatistics(s -> s.succeeded(2).failed(0));
            String at = "127.0.0.1:" + a.port();
            assertEquals(List.of(at, at, at, at), TARGETS, "the file's targets in both tests, the second after a restart");
        }
    }

    // ---------------------------------------------------------------- fixtures, run by the test kit

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class OneWorldForTheClass {
        @RegisterExtension
        static PlsimExtension plsim = PlsimExtension.fromResource("world.yaml");

        @Test
        @Order(1)
        void breaksThings(PlsimWorld world) {
            record(world);
            world.addFault(FaultSpec.resetPeer(Duration.ZERO));
            world.reject("your-endpoint");
        }

        @Test
        @Order(2)
        void failsWithAFaultInForce(PlsimWorld world) {
            record(world);
            world.addFault(FaultSpec.latency(Duration.ofMillis(50)));
            throw new AssertionError("this test fails on purpose");
        }

        @Test
        @Order(3)
        void seesAWorldPutBack() {
            record(plsim.world());
        }
    }

    static class WithPlaceholders {
        static final io.plsim.dataplane.TestTarget A = io.plsim.dataplane.TestTarget.echo();

        @RegisterExtension
        static PlsimExtension plsim = PlsimExtension.fromResource("placeholders.yaml").with("orders.a", A.port())
                .with("orders.b", A::port);

        @Test
        void one(PlsimWorld world) {
            record(world);
            TARGETS.addAll(world.stats().targets().stream().map(t -> t.address()).toList());
        }

        @Test
        void two(PlsimWorld world) {
            record(world);
            TARGETS.addAll(world.stats().targets().stream().map(t -> t.address()).toList());
        }
    }

    static class AWorldPerTest {
        @RegisterExtension
        static PlsimExtension plsim = PlsimExtension.fromResource("world.yaml").worldPerTest();

        @Test
        void one(PlsimWorld world) {
            record(world);
        }

        @Test
        void two(PlsimWorld world) {
            record(world);
        }
    }

    @PlsimTest("world.yaml")
    static class Annotated {
        private final PlsimWorld fromConstructor;

        Annotated(PlsimWorld world) {
            this.fromConstructor = world;
        }

        @Test
        void one(PlsimWorld world) {
            assertSame(fromConstructor, world);
            record(world);
            world.addFault(FaultSpec.azOutage("use1-az1"));
        }

        @Test
        void two(PlsimWorld world) {
            record(world);
        }
    }

    @ExtendWith(PlsimExtension.class)
    static class NoWorldNamed {
        @Test
        void needsAWorld(PlsimWorld world) {
            // never runs: the extension cannot say which world
        }
    }

    // ---------------------------------------------------------------- the checks

    @Test
    void oneWorldPerClassIsPutBackBetweenTestsEvenAfterAFailureAndClosedAfterTheLast() {
        Events events = run(OneWorldForTheClass.class);
        events.assertStatistics(s -> s.started(3).succeeded(2).failed(1));
        assertEquals(3, WORLDS.size());
        assertSame(WORLDS.get(0), WORLDS.get(1), "one world for the class");
        assertSame(WORLDS.get(1), WORLDS.get(2));
        assertEquals(URLS.get(0), URLS.get(2), "the same API URL throughout");
        assertEquals(List.of(0, 0, 0), FAULTS_AT_START, "no fault carried into the next test");
        assertEquals(List.of("available", "available", "available"), STATES_AT_START,
                "the rejected endpoint put back");
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> WORLDS.get(0).apiUrl());
        assertEquals("this plsim world is closed", closed.getMessage());
        assertTrue(PlsimWorld.class.isInstance(WORLDS.get(0)));
        assertTrue(awaitNoThreads(), "threads left: " + plsimThreads());
    }

    @Test
    void aWorldPerTestOnRequest() {
        run(AWorldPerTest.class).assertStatistics(s -> s.started(2).succeeded(2));
        assertNotSame(WORLDS.get(0), WORLDS.get(1));
        assertThrows(IllegalStateException.class, () -> WORLDS.get(0).apiUrl(), "the first was closed");
        assertThrows(IllegalStateException.class, () -> WORLDS.get(1).apiUrl(), "and the second");
        assertTrue(awaitNoThreads(), "threads left: " + plsimThreads());
    }

    @Test
    void theAnnotationFormInjectsOneWorldAndPutsItBack() {
        run(Annotated.class).assertStatistics(s -> s.started(2).succeeded(2));
        assertSame(WORLDS.get(0), WORLDS.get(1));
        assertEquals(List.of(0, 0), FAULTS_AT_START, "the outage of the first test is gone in the second");
        assertThrows(IllegalStateException.class, () -> WORLDS.get(0).apiUrl(), "closed with the class");
        assertTrue(awaitNoThreads(), "threads left: " + plsimThreads());
    }

    @Test
    void anExtensionWithoutAWorldSaysWhatToDo() {
        EngineExecutionResults results = execute(NoWorldNamed.class);
        results.testEvents().assertStatistics(s -> s.started(0));
        // The class itself fails, before any test: its world cannot be made.
        Events classes = results.containerEvents();
        classes.assertStatistics(s -> s.failed(1));
        Throwable why = classes.failed().stream().findFirst().orElseThrow().getRequiredPayload(
                org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow();
        assertTrue(why.getMessage().contains("@PlsimTest(\"world.yaml\")"), why.getMessage());
    }

    private static boolean awaitNoThreads() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (plsimThreads().isEmpty()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
