package io.plsim.core.config;

import io.plsim.core.control.ControlEvent;
import io.plsim.core.control.ControlPlane;
import io.plsim.core.elb.LoadBalancing;
import io.plsim.core.model.Scenario;
import io.plsim.core.model.Simulation;
import io.plsim.core.model.Topic;
import io.plsim.core.model.Topology;
import java.util.List;
import java.util.Map;

/**
 * A world loaded from a sim-config: its topology, its control plane with every service, permission,
 * endpoint and notification of the file already created through the control plane's own
 * operations, its load balancers as ELBv2 changes them, and the simulation settings.
 *
 * @param serviceIds  the config's service names mapped to the service IDs they received
 * @param endpointIds the config's endpoint names mapped to the endpoint IDs they received
 * @param topics      the SNS topics the config declares, with their subscriptions
 * @param startupEvents what the control plane emitted while the file's services and endpoints were
 *                    created, so that parts started later (notification delivery, the event log)
 *                    can replay it
 * @param scenario    the fault experiment the file describes, or null
 */
public record World(String source, Topology topology, ControlPlane controlPlane, LoadBalancing loadBalancing,
                    Simulation simulation,
                    Map<String, String> serviceIds, Map<String, String> endpointIds, List<Topic> topics,
                    List<ControlEvent> startupEvents, Scenario scenario) {

    public World {
        serviceIds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(serviceIds));
        endpointIds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(endpointIds));
        topics = List.copyOf(topics);
        startupEvents = List.copyOf(startupEvents);
    }
}
