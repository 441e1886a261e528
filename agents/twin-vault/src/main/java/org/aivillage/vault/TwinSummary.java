package org.aivillage.vault;

import java.time.Instant;

/** What {@link TwinVault#listTwinsForUser} returns: a twin's head, without decrypting its data. */
public record TwinSummary(String id, String owner, long version, PrivacyLevel privacyLevel, Instant lastUpdated) {}
