package org.aivillage.betanet.client;

/** A mixnet operation failed: no topology, no usable path, the service refused, or no answer in time. */
public class BetaNetException extends Exception {
    public BetaNetException(String message) {
        super(message);
    }

    public BetaNetException(String message, Throwable cause) {
        super(message, cause);
    }
}
