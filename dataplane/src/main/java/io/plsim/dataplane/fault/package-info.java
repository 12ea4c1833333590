/**
 * Faults in force and how they act: {@link io.plsim.dataplane.fault.FaultTable}, the entry point,
 * answers the data plane's questions (is this connection refused, this target reachable, this
 * node down, this flow stalled) over {@link io.plsim.core.model.Fault.Location}s, and puts each
 * connection fault to work on a {@link io.plsim.dataplane.fault.Link}, the narrow view of a
 * connection that is all a fault ever sees, through its {@link io.plsim.dataplane.fault.FaultStages}:
 * one handler per kind and direction (one class per kind), however many faults of the kind apply.
 */
package io.plsim.dataplane.fault;
