package io.plsim.core.control;

import static io.plsim.core.control.RequestChecks.invalidParameter;

import io.plsim.core.control.Endpoints.Endpoint;
import io.plsim.core.control.ServiceConfigurations.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Private DNS names of endpoint services, as today's EC2 has them (the 2019 guide plsim follows had
 * none): a provider names its service, publishes the TXT record EC2 gives it in public DNS, and starts
 * the verification; once the name is {@code verified}, consumers may enable private DNS on their
 * endpoints, and their VPC then resolves the name to the endpoint's interfaces.
 *
 * <p>Invariant: a service has a verification name, value and state exactly when it has a private DNS
 * name; a verification under way has a time to check at, and is settled (checked against {@link
 * PublicDns}, then {@code verified} or {@code failed}) by the first call at or after that time; no two
 * accounts have the same name verified. Called only under {@link ControlPlane}'s lock.
 */
final class PrivateDnsNames {

    private final Resources resources;
    private Duration delay = io.plsim.core.model.Simulation.DEFAULT_DNS_VERIFICATION_DELAY;

    PrivateDnsNames(Resources resources) {
        this.resources = resources;
    }

    void delay(Duration delay) {
        this.delay = delay;
    }

    /** Refuses a name another account has verified; before any ID is drawn, as every refusal. */
    void checkClaim(Caller caller, String name) {
        for (Service other : resources.services.values()) {
            if (!other.owner.equals(caller.accountId()) && name.equals(other.privateDnsName)
                    && other.dnsNameState == DnsNameState.VERIFIED) {
                throw invalidParameter("The private DNS name " + name + " is already verified by another account");
            }
        }
    }

    /** Gives {@code s} the name, with a new record to publish, pending verification; the same name changes nothing. */
    void name(Service s, String name) {
        if (name.equals(s.privateDnsName)) {
            return;
        }
        s.privateDnsName = name;
        s.verificationName = resources.verificationName();
        s.verificationValue = resources.verificationValue();
        s.dnsNameState = DnsNameState.PENDING_VERIFICATION;
        s.verifyAt = null;
    }

    void remove(Service s) {
        s.privateDnsName = null;
        s.verificationName = null;
        s.verificationValue = null;
        s.dnsNameState = null;
        s.verifyAt = null;
    }

    /** StartVpcEndpointServicePrivateDnsVerification: the check of public DNS is due after the delay. */
    void start(Caller caller, String serviceId) {
        Service s = resources.ownedService(caller, serviceId);
        if (s.privateDnsName == null) {
            throw invalidParameter("The service " + s.id + " has no private DNS name to verify;"
                    + " set one with ModifyVpcEndpointServiceConfiguration PrivateDnsName");
        }
        if (s.dnsNameState == DnsNameState.VERIFIED) {
            return;
        }
        s.dnsNameState = DnsNameState.PENDING_VERIFICATION;
        s.verifyAt = resources.clock.instant().plus(delay);
        resources.publish(new ControlEvent.ServiceChanged(resources.snapshots.service(s)));
        settle();
    }

    /** Settles every verification whose time has come, in the services' order. */
    void settle() {
        Instant now = resources.clock.instant();
        for (Service s : resources.services.values()) {
            if (s.verifyAt != null && !now.isBefore(s.verifyAt)) {
                s.verifyAt = null;
                boolean claimed = resources.services.values().stream().anyMatch(o -> o != s
                        && !o.owner.equals(s.owner) && s.privateDnsName.equals(o.privateDnsName)
                        && o.dnsNameState == DnsNameState.VERIFIED);
                s.dnsNameState = !claimed && published(s) ? DnsNameState.VERIFIED : DnsNameState.FAILED;
                resources.publish(new ControlEvent.ServiceChanged(resources.snapshots.service(s)));
            }
        }
    }

    /**
     * Whether public DNS holds the service's value: in a TXT record named with the verification name
     * under the private DNS name or any domain above it (the user guide lets a provider verify
     * example.com for a.example.com), or, for a provider whose DNS takes no underscores, at that domain
     * itself. The value must match exactly, case included.
     */
    private boolean published(Service s) {
        for (String domain : domains(s.privateDnsName)) {
            if (resources.publicDns.texts(s.verificationName + "." + domain).contains(s.verificationValue)
                    || resources.publicDns.texts(domain).contains(s.verificationValue)) {
                return true;
            }
        }
        return false;
    }

    /** The name without a leading {@code *.}, then each domain above it of two labels or more. */
    static List<String> domains(String name) {
        String n = name.startsWith("*.") ? name.substring(2) : name;
        List<String> out = new ArrayList<>();
        while (n.indexOf('.') > 0) {
            out.add(n);
            n = n.substring(n.indexOf('.') + 1);
        }
        return out;
    }

    /**
     * Private DNS may be enabled on {@code e} (of service {@code s}, in VPC {@code vpcId}): the service
     * has a verified name, and no other endpoint of that VPC has private DNS for the same name, as
     * Route 53 takes one private hosted zone per name and VPC.
     */
    void checkEnable(Service s, String serviceName, String vpcId, Endpoint e) {
        if (s == null || s.privateDnsName == null) {
            throw invalidParameter("Private DNS can't be enabled because the service " + serviceName
                    + " does not provide a private DNS name.");
        }
        if (s.dnsNameState != DnsNameState.VERIFIED) {
            throw invalidParameter("Private DNS can't be enabled because the private DNS name " + s.privateDnsName
                    + " of the service " + serviceName + " is not verified (" + s.dnsNameState.wire() + ")");
        }
        for (Endpoint other : resources.endpoints.values()) {
            Service os = resources.services.get(other.serviceId);
            if (other != e && other.privateDnsEnabled && other.vpcId.equals(vpcId) && other.state.isAttached()
                    && os != null && s.privateDnsName.equals(os.privateDnsName)) {
                throw invalidParameter("private-dns-enabled cannot be set because there is already a conflicting"
                        + " DNS domain for " + s.privateDnsName + " in the VPC " + vpcId + " (" + other.id + ")");
            }
        }
    }
}
