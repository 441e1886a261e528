package org.aivillage.betanet.htx;

import java.io.IOException;

/** An HTX connection or stream failed; the message says why (never with key material). */
public class HtxException extends IOException {
    public HtxException(String message) {
        super(message);
    }

    public HtxException(String message, Throwable cause) {
        super(message, cause);
    }
}
