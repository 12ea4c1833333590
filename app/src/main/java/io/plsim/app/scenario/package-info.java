/**
 * Fault experiments on a timeline: a fresh world per variant, steady traffic through the
 * endpoints' regional DNS names, faults switched on and off, and a report of what clients saw.
 * The entry point is {@link io.plsim.app.scenario.ScenarioRunner}.
 */
package io.plsim.app.scenario;
