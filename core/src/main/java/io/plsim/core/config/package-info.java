/**
 * Sim-config loading: a YAML file becomes a {@link io.plsim.core.config.World} (its topology and a
 * control plane that created everything through its own operations), or a
 * {@link io.plsim.core.config.SimConfigException} listing every problem with its line and path.
 * The entry point is {@link io.plsim.core.config.SimConfigLoader}, which reads the file within its limits
 * and runs one reader per section: {@code TopologyReader}, {@code LoadBalancerReader}, {@code TopicReader},
 * {@code ScenarioReader}, then {@code ControlPlaneSeeder} for services and endpoints.
 */
package io.plsim.core.config;
