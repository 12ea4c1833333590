package io.plsim.embedded.junit;

import io.plsim.embedded.PlsimWorld;
import io.plsim.embedded.WorldSpec;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A plsim world for a JUnit 5 test class, in the test's JVM:
 *
 * <pre>{@code
 * @RegisterExtension
 * static PlsimExtension plsim = PlsimExtension.fromResource("world.yaml");
 * }</pre>
 *
 * <p>The world starts before the class's first test and closes after its last; before every other
 * test it is put back as the file makes it ({@link PlsimWorld#restart()}: faults gone, services,
 * endpoints and their states as at start, same API and DNS URLs), so one test's fault or rejected
 * endpoint never reaches the next. {@link #worldPerTest()} gives each test a fresh world instead.
 * Test methods, constructors and lifecycle methods may take a {@link PlsimWorld} parameter.
 *
 * <p>Registered as a non-static field, the world is made per test instance, which is per test
 * unless the class is {@code @TestInstance(PER_CLASS)}. The annotation form is {@link PlsimTest}.
 */
public final class PlsimExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PlsimExtension.class);

    private final PlsimWorld.Builder starter;
    private final boolean perTest;
    private PlsimWorld world;
    /** A test has run on the world since it was started or put back. */
    private boolean used;
    /** Started by beforeAll (a static field): closed by afterAll; otherwise by afterEach of the instance. */
    private boolean classScoped;

    private PlsimExtension(PlsimWorld.Builder starter, boolean perTest) {
        this.starter = starter;
        this.perTest = perTest;
    }

    /** For {@link PlsimTest}: JUnit makes the extension, which reads the annotation of the test class. */
    public PlsimExtension() {
        this(null, false);
    }

    public static PlsimExtension fromResource(String resource) {
        return new PlsimExtension(PlsimWorld.resource(resource), false);
    }

    public static PlsimExtension fromFile(Path file) {
        return new PlsimExtension(PlsimWorld.file(file), false);
    }

    public static PlsimExtension fromYaml(String yaml) {
        return new PlsimExtension(PlsimWorld.yaml(yaml), false);
    }

    public static PlsimExtension of(WorldSpec spec) {
        return new PlsimExtension(PlsimWorld.yaml(spec.toYaml()), false);
    }

    /**
     * The value of a {@code ${name}} placeholder in the world file (see {@link PlsimWorld.Builder}):
     * {@code PlsimExtension.fromResource("w.yaml").with("orders.a", port)}.
     *
     * @throws IllegalStateException on the extension {@link PlsimTest} makes, whose file is named by the annotation
     */
    public PlsimExtension with(String name, Object value) {
        return new PlsimExtension(builder().with(name, value), perTest);
    }

    /** The value of a {@code ${name}} placeholder, asked for when the world starts. */
    public PlsimExtension with(String name, Supplier<?> value) {
        return new PlsimExtension(builder().with(name, value), perTest);
    }

    private PlsimWorld.Builder builder() {
        if (starter == null) {
            throw new IllegalStateException("@PlsimTest's world file takes no placeholder values; register"
                    + " PlsimExtension.fromResource(...).with(...) instead");
        }
        return starter;
    }

    /** The same world source, but a fresh world for every test. */
    public PlsimExtension worldPerTest() {
        return new PlsimExtension(starter, true);
    }

    /**
     * The running world, for a test that holds the extension in a field.
     *
     * @throws IllegalStateException outside a test of the class
     */
    public PlsimWorld world() {
        if (world == null) {
            throw new IllegalStateException("no plsim world: it runs from before the first test of its class to"
                    + " after the last");
        }
        return world;
    }

    // ---------------------------------------------------------------- the annotation form

    private Holder holder(ExtensionContext context) {
        if (starter != null) {
            return null;
        }
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(Holder.class, k -> {
            PlsimTest a = context.getRequiredTestClass().getAnnotation(PlsimTest.class);
            if (a == null) {
                throw new ExtensionConfigurationException("PlsimExtension needs a world: register it with"
                        + " PlsimExtension.fromResource(...) or annotate the class with @PlsimTest(\"world.yaml\")");
            }
            return new Holder(new PlsimExtension(PlsimWorld.resource(a.value()), a.worldPerTest()));
        }, Holder.class);
    }

    /** The annotation form's extension, kept with the class and closed with it. */
    private record Holder(PlsimExtension extension) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            extension.stop();
        }
    }

    private PlsimExtension delegate(ExtensionContext context) {
        Holder h = holder(context);
        return h == null ? this : h.extension();
    }

    // ---------------------------------------------------------------- the lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        PlsimExtension x = delegate(context);
        if (!x.perTest && x.world == null) {
            x.world = x.starter.start();
            x.classScoped = true;
            x.used = false;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        PlsimExtension x = delegate(context);
        if (x.world == null) {
            x.world = x.starter.start();
            x.used = false;
        } else if (x.used) {
            x.world.restart();
        }
        x.used = true;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PlsimExtension x = delegate(context);
        if (x.perTest || !x.classScoped) {
            x.stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        delegate(context).stop();
    }

    private void stop() {
        if (world != null) {
            world.close();
            world = null;
        }
        classScoped = false;
    }

    // ---------------------------------------------------------------- parameters

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PlsimWorld.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PlsimExtension x = delegate(context);
        if (x.world == null) {
            // A constructor or @BeforeAll parameter asked before any test began.
            x.world = x.starter.start();
            x.classScoped = !x.perTest;
            x.used = false;
        }
        return x.world;
    }
}
