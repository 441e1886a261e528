package org.aivillage.vault;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A grant: {@code allowedUsers} may perform {@code allowedOperations} on twin {@code twinId} until
 * {@code expiry} (exclusive). Granting again to a user replaces that user's grant.
 */
public record AccessPolicy(String twinId, Set<Operation> allowedOperations, Set<String> allowedUsers, Instant expiry) {
    public AccessPolicy {
        Objects.requireNonNull(twinId, "twinId");
        Objects.requireNonNull(expiry, "expiry");
        if (allowedOperations.isEmpty()) {
            throw new IllegalArgumentException("an access policy must allow at least one operation");
        }
        if (allowedUsers.isEmpty()) {
            throw new IllegalArgumentException("an access policy must name at least one user");
        }
        allowedOperations = Set.copyOf(EnumSet.copyOf(allowedOperations));
        allowedUsers = Set.copyOf(new TreeSet<>(allowedUsers));
    }
}
