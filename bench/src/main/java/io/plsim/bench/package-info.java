/**
 * JMH benchmarks of plsim's hot paths that need no package-private access (the Proxy Protocol
 * header); those of the admission and target selection paths sit in the engine's own package.
 * Run them with {@code bench/jmh.sh}.
 */
package io.plsim.bench;
