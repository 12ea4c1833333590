/**
 * JMH benchmarks of plsim's hot paths: the Proxy Protocol header, the faults' cost, and the
 * admission and target selection paths, which they reach through the engine's
 * {@link io.plsim.dataplane.HotPaths}. Run them with {@code bench/jmh.sh}.
 */
package io.plsim.bench;
