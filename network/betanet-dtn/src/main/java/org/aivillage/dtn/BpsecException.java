package org.aivillage.dtn;

/** A BPSec operation failed: bad security block, missing key, or failed verification/decryption. */
public class BpsecException extends Exception {
    public BpsecException(String message) {
        super(message);
    }
}
