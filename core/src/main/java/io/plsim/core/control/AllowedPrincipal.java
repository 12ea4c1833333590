package io.plsim.core.control;

import io.plsim.core.model.Principal;

/** A principal allowed to create endpoints to a service. */
public record AllowedPrincipal(String serviceId, Principal principal) {

    public String principalType() {
        return principal.kind().typeName();
    }
}
