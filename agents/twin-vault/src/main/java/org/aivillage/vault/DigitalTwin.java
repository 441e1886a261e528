package org.aivillage.vault;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a digital twin: its id, owner, version number, JSON data (an object), privacy
 * level and the time the version was written.
 *
 * <p>{@code data} is JSON text; the vault stores and returns it in canonical form (object keys
 * sorted, no insignificant whitespace), so two equal trees give equal strings. When passed to
 * {@link TwinVault#updateTwin}, {@code version} is the version the caller last read: the update
 * succeeds only if that is still the newest version.
 */
public record DigitalTwin(String id, String owner, long version, String data, PrivacyLevel privacyLevel, Instant lastUpdated) {
    public DigitalTwin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(privacyLevel, "privacyLevel");
        Objects.requireNonNull(lastUpdated, "lastUpdated");
    }

    /** A new twin to store (version and time are assigned by the vault). */
    public static DigitalTwin create(String id, String owner, String data, PrivacyLevel privacyLevel) {
        return new DigitalTwin(id, owner, 0, data, privacyLevel, Instant.EPOCH);
    }

    /** This twin with other data, same version (the expected version for an update). */
    public DigitalTwin withData(String newData) {
        return new DigitalTwin(id, owner, version, newData, privacyLevel, lastUpdated);
    }

    public DigitalTwin withPrivacyLevel(PrivacyLevel level) {
        return new DigitalTwin(id, owner, version, data, level, lastUpdated);
    }

    @Override
    public String toString() {
        // The data may be personal: never in logs by accident.
        return "DigitalTwin[id=" + id + ", owner=" + owner + ", version=" + version + ", privacyLevel=" + privacyLevel
                + ", lastUpdated=" + lastUpdated + ", data=<" + data.length() + " chars>]";
    }
}
