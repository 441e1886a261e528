package org.aivillage.vault;

import java.time.Instant;

/**
 * One entry of a twin's history: the version, when and by whom it was written ({@code author} is
 * the acting user for local writes and {@code device:<hex prefix>} for versions produced by
 * merging synchronised operations), and the size of the stored ciphertext.
 */
public record TwinVersion(String twinId, long version, Instant lastUpdated, PrivacyLevel privacyLevel, String author, int storedBytes) {}
