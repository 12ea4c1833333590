/**
 * Measurements at scale that JMH does not fit: {@link io.plsim.bench.scale.IdleConnections}, the
 * memory and liveness of many idle connections through one endpoint, run by {@code bench/idle.sh}.
 */
package io.plsim.bench.scale;
