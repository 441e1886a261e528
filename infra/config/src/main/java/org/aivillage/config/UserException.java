package org.aivillage.config;

import java.io.Serial;

/**
 * A mistake by the user (a bad argument, a missing file, a refused overwrite) rather than a bug.
 * The CLI prints its message as {@code village: <message>} without a stack trace and exits with 2.
 * Messages must never contain secrets.
 */
public class UserException extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
