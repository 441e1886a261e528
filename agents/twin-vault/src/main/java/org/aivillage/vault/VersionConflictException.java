package org.aivillage.vault;

/**
 * An update named a version that is no longer the newest one (optimistic concurrency): nothing
 * was written. Re-read the twin, re-apply the change and retry.
 */
public final class VersionConflictException extends VaultException {
    private final String twinId;
    private final long expectedVersion;
    private final long currentVersion;

    public VersionConflictException(String twinId, long expectedVersion, long currentVersion) {
        super("version conflict on twin '" + twinId + "': update expected version " + expectedVersion
                + " but the newest version is " + currentVersion);
        this.twinId = twinId;
        this.expectedVersion = expectedVersion;
        this.currentVersion = currentVersion;
    }

    public String twinId() {
        return twinId;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
