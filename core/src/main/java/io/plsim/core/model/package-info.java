/**
 * The fixed shape of a simulated world and the values it is made of: accounts and their zones,
 * VPCs, subnets, load balancers, topics, faults and scenarios. Immutable records; the entry point
 * is {@link io.plsim.core.model.Topology}, what a sim-config declares before the control plane runs.
 */
package io.plsim.core.model;
