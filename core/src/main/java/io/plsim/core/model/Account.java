package io.plsim.core.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An AWS account of the simulated world.
 *
 * @param id          the 12-digit account ID
 * @param users       IAM user names
 * @param roles       IAM role names
 * @param zones       this account's Availability Zone names mapped to zone IDs; the same name can
 *                    stand for different zones in two accounts, as in AWS
 * @param accessKeys  access key IDs mapped to the principal each one authenticates
 * @param name        the sim-config's name for the account ("provider"), shown to people beside its ID;
 *                    null when it has none. AWS has no such name in its APIs: nothing but a display uses it.
 */
public record Account(String id, List<String> users, List<String> roles, Map<String, String> zones,
                      Map<String, Principal> accessKeys, String name) {

    /** An account with no display name. */
    public Account(String id, List<String> users, List<String> roles, Map<String, String> zones,
                   Map<String, Principal> accessKeys) {
        this(id, users, roles, zones, accessKeys, null);
    }

    public Account {
        users = List.copyOf(users);
        roles = List.copyOf(roles);
        zones = Map.copyOf(zones);
        accessKeys = Map.copyOf(accessKeys);
    }

    /** The zone ID this account's zone name stands for. */
    public Optional<String> zoneId(String zoneName) {
        return Optional.ofNullable(zones.get(zoneName));
    }

    /** This account's name for a zone ID. */
    public Optional<String> zoneName(String zoneId) {
        return zones.entrySet().stream().filter(e -> e.getValue().equals(zoneId))
                .map(Map.Entry::getKey).findFirst();
    }

    /** Whether the principal exists in this account (the root always does). */
    public boolean has(Principal p) {
        if (!id.equals(p.accountId())) {
            return false;
        }
        return switch (p.kind()) {
            case ACCOUNT -> true;
            case USER -> users.contains(p.name());
            case ROLE -> roles.contains(p.name());
            case ALL -> false;
        };
    }
}
