/**
 * plsim in JUnit 5. The entry point is {@link io.plsim.embedded.junit.PlsimExtension}
 * ({@code @RegisterExtension}), or the annotation {@link io.plsim.embedded.junit.PlsimTest}.
 */
package io.plsim.embedded.junit;
