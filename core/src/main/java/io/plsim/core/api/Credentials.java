package io.plsim.core.api;

import io.plsim.core.control.Caller;
import io.plsim.core.control.ControlPlaneException;
import io.plsim.core.model.Principal;
import io.plsim.core.model.Topology;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who is calling, from the SigV4 {@code Authorization} header: the access key ID stands for a principal of the
 * sim-config (a 12-digit key ID of an account for its root), the credential scope names the region and the
 * service. Signatures are not checked.
 */
final class Credentials {

    private static final Pattern CREDENTIAL =
            Pattern.compile("Credential=([^/,\\s]+)/([^/]*)/([^/]+)/([^/]+)/aws4_request");

    /**
     * The code of a request signed for another service than the one answering it: a signature scoped to
     * one service is no signature for another, so AWS answers it as a signature that does not match (HTTP 403).
     */
    static final String WRONG_SERVICE = "SignatureDoesNotMatch";

    private Credentials() {
    }

    /** The service of the credential scope ({@code ec2}, {@code elasticloadbalancing}), if the header has one. */
    static Optional<String> service(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        Matcher m = CREDENTIAL.matcher(authorization);
        return m.find() ? Optional.of(m.group(4)) : Optional.empty();
    }

    /** The access key ID, region and service of the credential scope, if the header has one. */
    static Optional<String[]> scope(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        Matcher m = CREDENTIAL.matcher(authorization);
        return m.find() ? Optional.of(new String[] {m.group(1), m.group(3), m.group(4)}) : Optional.empty();
    }

    /**
     * The caller, or {@code AuthFailure} saying what is missing, or {@link #WRONG_SERVICE} when the
     * credential scope names another service than {@code service}.
     */
    static Caller caller(Topology topology, String authorization, String service) {
        if (authorization == null || authorization.isBlank()) {
            throw new ControlPlaneException("AuthFailure",
                    "The request has no Authorization header; sign it with an access key ID of the sim-config");
        }
        Matcher m = CREDENTIAL.matcher(authorization);
        if (!m.find()) {
            throw new ControlPlaneException("AuthFailure", "The Authorization header has no SigV4 Credential=<key>/"
                    + "<date>/<region>/" + service + "/aws4_request");
        }
        if (!m.group(4).equals(service)) {
            // AWS's own words, to the trailing space; it checks the scope before the key.
            throw new ControlPlaneException(WRONG_SERVICE, "Credential should be scoped to correct service: '"
                    + service + "'. ");
        }
        String keyId = m.group(1);
        Principal p = topology.principalForAccessKey(keyId).orElseThrow(() -> new ControlPlaneException(
                "AuthFailure", "AWS was not able to validate the provided access credentials: access key ID "
                + keyId + " is not in the sim-config"));
        String region = m.group(3);
        if (!region.equals(topology.region())) {
            // EC2 refuses a signature scoped to a region its endpoint does not serve.
            throw new ControlPlaneException("AuthFailure", "Credential should be scoped to a valid region, not '"
                    + region + "'. This world's region is '" + topology.region() + "'.");
        }
        return new Caller(p, region);
    }
}
