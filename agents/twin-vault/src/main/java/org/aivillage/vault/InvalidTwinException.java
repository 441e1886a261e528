package org.aivillage.vault;

/** The twin given is malformed: bad id, owner, or data that is not a JSON object. */
public final class InvalidTwinException extends VaultException {
    public InvalidTwinException(String message) {
        super(message);
    }

    public InvalidTwinException(String message, Throwable cause) {
        super(message, cause);
    }
}
