package io.plsim.core.control;

import io.plsim.core.model.Principal;

/**
 * Who makes a request, and to which region it is sent. Endpoint services live in their region
 * only, so a caller of another region sees none of them.
 */
public record Caller(Principal principal, String region) {

    public Caller {
        if (principal == null || principal.kind() == Principal.Kind.ALL) {
            throw new IllegalArgumentException("a caller is an account root, user or role");
        }
    }

    public String accountId() {
        return principal.accountId();
    }
}
