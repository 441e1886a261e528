package org.aivillage.vault;

/** The acting user may not perform the operation: no grant, an expired grant, or a grant without that operation. */
public final class AccessDeniedException extends VaultException {
    public AccessDeniedException(String message) {
        super(message);
    }

    public AccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
