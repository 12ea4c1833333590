package io.plsim.dataplane;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The data planes a test starts, and the clients and targets it opens around them, closed when the test
 * ends, failed or not: registered as {@code @RegisterExtension final DataPlanes dataPlanes = new DataPlanes();}
 * or, for a class that starts one world in {@code @BeforeAll}, as a {@code static} field (JUnit calls an
 * instance field's extension around each test only, never after all of them). What a test opened is closed
 * after it, what {@code @BeforeAll} opened after the class's last test; opening anything outside a test
 * through an instance field fails, rather than leave it open for the rest of the run.
 *
 * <p>Clients close first, then data planes (at once, no drain), then targets, so that no data plane's
 * health checks see a target go before the data plane itself has gone. The closing runs after the class's
 * own {@code @AfterEach} and before {@link LeakCheck} looks for leaks, which registered first and so is
 * called last.
 */
public final class DataPlanes implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private final Opened ofClass = new Opened();
    private Opened current = ofClass;
    /** Whether JUnit calls this after the class's last test: only when it is registered in a static field. */
    private boolean closesAfterAll;

    /** Starts the world's data plane (best transport, two I/O threads), closed when the test ends. */
    public DataPlane start(TestWorld world) throws DataPlaneException {
        return add(current.dataPlanes, world.start());
    }

    /** Starts the world's data plane on {@code transport}, closed when the test ends. */
    public DataPlane start(TestWorld world, Transport transport) throws DataPlaneException {
        return add(current.dataPlanes, world.start(transport));
    }

    /** Starts the world's data plane and waits until every node sees every target healthy. */
    public DataPlane startHealthy(TestWorld world) throws DataPlaneException, InterruptedException {
        DataPlane dp = start(world);
        TestWorld.awaitHealthy(dp);
        return dp;
    }

    /** Starts the world's data plane on {@code transport} and waits until every node sees every target healthy. */
    public DataPlane startHealthy(TestWorld world, Transport transport) throws DataPlaneException, InterruptedException {
        DataPlane dp = start(world, transport);
        TestWorld.awaitHealthy(dp);
        return dp;
    }

    /** Starts the world's data plane with its idle timeouts on {@code ticker}, and waits until every target is healthy. */
    DataPlane startHealthy(TestWorld world, Ticker ticker) throws DataPlaneException, InterruptedException {
        DataPlane dp = add(current.dataPlanes, world.start(ticker));
        TestWorld.awaitHealthy(dp);
        return dp;
    }

    /** A data plane started otherwise, closed when the test ends. */
    public DataPlane closing(DataPlane dp) {
        return add(current.dataPlanes, dp);
    }

    /** A target, closed after the data planes when the test ends. */
    public TestTarget target(TestTarget target) {
        return add(current.targets, target);
    }

    /** A client, closed before the data planes when the test ends. */
    public TestClient client(TestClient client) {
        return add(current.clients, client);
    }

    private <T extends AutoCloseable> T add(Deque<? super T> to, T item) {
        if (current == ofClass && !closesAfterAll) {
            closeQuietly(item);
            throw new IllegalStateException("opened outside a test through an instance field's DataPlanes, which"
                    + " JUnit would never close: register it in a static field");
        }
        to.push(item);
        return item;
    }

    private static void closeQuietly(AutoCloseable item) {
        try {
            if (item instanceof DataPlane dp) {
                dp.close(Duration.ZERO);
            } else {
                item.close();
            }
        } catch (Exception e) {
            // refused anyway; the refusal says why
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        closesAfterAll = true;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        current = new Opened();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Opened ended = current;
        current = ofClass;
        ended.close();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        ofClass.close();
    }

    /** What one scope (a test, or the class) opened, newest first within each kind. */
    private static final class Opened {
        final Deque<TestClient> clients = new ArrayDeque<>();
        final Deque<DataPlane> dataPlanes = new ArrayDeque<>();
        final Deque<TestTarget> targets = new ArrayDeque<>();

        void close() throws Exception {
            List<Exception> failures = new ArrayList<>();
            drain(clients, TestClient::close, failures);
            drain(dataPlanes, dp -> dp.close(Duration.ZERO), failures);
            drain(targets, TestTarget::close, failures);
            if (!failures.isEmpty()) {
                Exception first = failures.get(0);
                failures.subList(1, failures.size()).forEach(first::addSuppressed);
                throw first;
            }
        }

        private static <T> void drain(Deque<T> items, Closing<T> closing, List<Exception> failures) {
            while (!items.isEmpty()) {
                try {
                    closing.close(items.pop());
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        }
    }

    @FunctionalInterface
    private interface Closing<T> {
        void close(T item) throws Exception;
    }
}
