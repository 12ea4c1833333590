package io.plsim.dataplane;

import io.plsim.core.control.EndpointInterface;
import io.plsim.core.model.Fault;
import io.plsim.core.model.Simulation;
import io.plsim.dataplane.fault.FaultTable;
import io.plsim.dataplane.proxy.ProxyHeaderWriter;

/**
 * Everything a connection accepted on one endpoint network interface needs, resolved once when
 * the interface starts listening: its gate, the NLB node it forwards to, the Proxy Protocol
 * header template (used while the target group has Proxy Protocol on, and placed as it says), and
 * where it is as faults' scopes name it.
 */
record EndpointInterfaceRuntime(String endpointId, String serviceId, EndpointInterface eni, int ip,
                                EndpointGate gate, NlbNode node, ProxyHeaderWriter header,
                                Simulation.Admission admission, int idleTimeoutSeconds, Transport transport,
                                DataPlaneStats stats, FaultTable faults, Fault.Location location) {
}
