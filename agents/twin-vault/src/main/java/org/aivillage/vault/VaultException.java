package org.aivillage.vault;

/**
 * Base of every error the vault reports. Messages name the twin, user and operation involved and
 * never contain twin data or key material. Subclasses say what went wrong; a plain VaultException
 * is a storage failure (I/O, SQLite).
 */
public class VaultException extends RuntimeException {
    public VaultException(String message) {
        super(message);
    }

    public VaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
