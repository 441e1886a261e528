package org.aivillage.vault;

/** A backup was refused before anything was replaced: corrupted, truncated, foreign, or made under another key. */
public final class BackupRejectedException extends VaultException {
    public BackupRejectedException(String message) {
        super(message);
    }

    public BackupRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
