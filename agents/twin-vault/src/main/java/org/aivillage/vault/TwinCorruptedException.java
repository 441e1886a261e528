package org.aivillage.vault;

/** A stored record of the named twin failed authentication: it was corrupted or tampered with on disk. */
public final class TwinCorruptedException extends VaultException {
    public TwinCorruptedException(String message) {
        super(message);
    }

    public TwinCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
