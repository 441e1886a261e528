package org.aivillage.betanet.keys;

/**
 * A key file could not be read, written or decrypted. {@link #reason()} tells callers (the CLI)
 * what kind of failure it was; the message names the file, and for a malformed file the line and
 * field. Messages never contain key material or the passphrase.
 */
public final class KeyFileException extends Exception {
    /** What went wrong. */
    public enum Reason {
        /** The file is not a valid key file: bad syntax, unknown field, wrong length, key mismatch. */
        MALFORMED,
        /** The file is passphrase-protected and no passphrase was given. */
        PASSPHRASE_REQUIRED,
        /** The passphrase does not decrypt the key (or the protected part was modified). */
        WRONG_PASSPHRASE,
        /** The target exists and overwriting was not asked for. */
        ALREADY_EXISTS,
        /** Reading or writing the file failed. */
        IO
    }

    private final Reason reason;

    public KeyFileException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public KeyFileException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
