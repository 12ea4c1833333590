package io.plsim.dataplane;

import io.netty.channel.Channel;
import io.plsim.core.control.EndpointInterface;
import io.plsim.core.model.Fault;
import io.plsim.core.model.Simulation;
import io.plsim.dataplane.fault.FaultTable;
import io.plsim.dataplane.proxy.ProxyHeaderWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything a connection accepted on one endpoint network interface needs, resolved once when
 * the interface starts listening: its gate, the NLB node it forwards to, the Proxy Protocol
 * header template (used while the target group has Proxy Protocol on, and placed as it says), and
 * where it is as faults' scopes name it; and whoever observes where flows go ({@link FlowObserver}).
 */
record EndpointInterfaceRuntime(String endpointId, String serviceId, EndpointInterface eni, int ip,
                                EndpointGate gate, NlbNode node, ProxyHeaderWriter header,
                                Simulation.Denial admission, int idleTimeoutSeconds, Transport transport,
                                InterfaceCounters counters, FaultTable faults, Fault.Location location,
                                AtomicReference<FlowObserver> observer, Ticker ticker) {

    /** Tells the observer, if there is one, where a connection went. */
    void placed(Channel ch, Admission.Decision decision) {
        FlowObserver o = observer.get();
        if (o == null) {
            return;
        }
        TargetRuntime target = decision instanceof Admission.Admit a ? a.target() : ((Admission.Deny) decision).target();
        o.placed(new FlowObserver.Placement((InetSocketAddress) ch.remoteAddress(),
                target == null ? location : location.withTarget(target.location.target()),
                target == null ? null : target.zoneId(),
                decision instanceof Admission.Deny d ? d.reason() : null, System.nanoTime()));
    }
}
