/**
 * Sim-config loading: a YAML file becomes a {@link io.plsim.core.config.World} (its topology and a
 * control plane that created everything through its own operations), or a
 * {@link io.plsim.core.config.SimConfigException} listing every problem with its line and path.
 * The entry point is {@link io.plsim.core.config.SimConfigLoader}.
 */
package io.plsim.core.config;
