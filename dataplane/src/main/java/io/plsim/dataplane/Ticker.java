package io.plsim.dataplane;

/**
 * Where the idle timeout reads the time, in nanoseconds from an arbitrary origin, as Caffeine's
 * {@code Ticker}: {@link #SYSTEM} in a running data plane, a ticker the test moves in tests of the
 * timeout, so that they need not wait for it.
 */
@FunctionalInterface
interface Ticker {

    Ticker SYSTEM = System::nanoTime;

    long read();
}
