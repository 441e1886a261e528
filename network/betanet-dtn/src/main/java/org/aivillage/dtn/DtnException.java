package org.aivillage.dtn;

/** A DTN node operation failed (store, I/O, refusal). The message says why; it never carries secrets. */
public class DtnException extends Exception {
    public DtnException(String message) {
        super(message);
    }

    public DtnException(String message, Throwable cause) {
        super(message, cause);
    }
}
