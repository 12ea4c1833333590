package io.plsim.dataplane;

/**
 * One listening socket of an endpoint network interface: its private IP and a listener port of the
 * load balancer it is bound to.
 *
 * @param zoneName the zone as the endpoint's owner names it
 */
public record InterfaceListener(String endpointId, String zoneName, String zoneId, String ip, int port,
                                String serviceId) {

    public String address() {
        return ip + ":" + port;
    }

    /** The line {@code plsim run} prints for it. */
    public String line() {
        return "endpoint " + endpointId + " " + zoneName + " " + address() + " -> " + serviceId;
    }
}
