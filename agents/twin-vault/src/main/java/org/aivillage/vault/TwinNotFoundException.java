package org.aivillage.vault;

/** No twin with that id (or version) exists, or it was deleted (crypto-erased). */
public final class TwinNotFoundException extends VaultException {
    public TwinNotFoundException(String message) {
        super(message);
    }

    public TwinNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
