package org.aivillage.vault;

/** A sync session failed: network error, unknown device, bad signature or protocol violation. */
public final class SyncException extends VaultException {
    public SyncException(String message) {
        super(message);
    }

    public SyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
