package org.aivillage.vault;

/** The master key does not open this vault (or this backup). */
public final class WrongKeyException extends VaultException {
    public WrongKeyException(String message) {
        super(message);
    }

    public WrongKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
