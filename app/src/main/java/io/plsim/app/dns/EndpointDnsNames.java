package io.plsim.app.dns;

import io.plsim.core.control.ControlPlane;
import io.plsim.core.control.DnsEntry;
import io.plsim.core.control.EndpointState;
import io.plsim.core.control.VpcEndpoint;
import java.util.ArrayList;
import java.util.List;

/** The DNS names of a world's interface endpoints, as {@code plsim run} prints them. */
public final class EndpointDnsNames {

    private EndpointDnsNames() {
    }

    /**
     * One line per DNS name of every endpoint that has names ({@code deleting} and {@code deleted}
     * ones have none to answer): {@code dns <vpce-id> <regional name>} and
     * {@code dns <vpce-id> <zone> <zonal name>}.
     */
    public static List<String> lines(ControlPlane controlPlane) {
        List<String> out = new ArrayList<>();
        for (VpcEndpoint e : live(controlPlane)) {
            for (DnsEntry d : e.dnsEntries()) {
                out.add(d.zoneName() == null
                        ? "dns " + e.vpcEndpointId() + " " + d.dnsName()
                        : "dns " + e.vpcEndpointId() + " " + d.zoneName() + " " + d.dnsName());
            }
        }
        return out;
    }

    /** A name to show in a {@code dig} example: the first endpoint's regional name, else a placeholder. */
    public static String example(ControlPlane controlPlane) {
        return live(controlPlane).stream().flatMap(e -> e.dnsEntries().stream())
                .filter(d -> d.zoneName() == null).map(DnsEntry::dnsName).findFirst().orElse("<name>");
    }

    /** The endpoints that still have names to answer: all but {@code deleting} and {@code deleted} ones. */
    public static List<VpcEndpoint> live(ControlPlane controlPlane) {
        return controlPlane.endpoints().stream()
                .filter(e -> e.state() != EndpointState.DELETED && e.state() != EndpointState.DELETING).toList();
    }
}
