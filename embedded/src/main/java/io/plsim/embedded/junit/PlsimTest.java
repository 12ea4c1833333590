package io.plsim.embedded.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class with a plsim world: started once for the class from {@link #value()} (a classpath
 * resource), put back as the file makes it before every test after the first (faults gone,
 * endpoints as at start), and handed to test methods and constructors that take a
 * {@link io.plsim.embedded.PlsimWorld}. The annotation form of {@link PlsimExtension}.
 *
 * <pre>{@code
 * @PlsimTest("world.yaml")
 * class MyServiceTest {
 *     @Test
 *     void failsOver(PlsimWorld plsim) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PlsimExtension.class)
public @interface PlsimTest {

    /** The sim-config, as a classpath resource. */
    String value();

    /** A fresh world for every test instead of one for the class put back between tests. */
    boolean worldPerTest() default false;
}
