package org.aivillage.betanet.client;

/** No reply arrived within the timeout after every retry; the message says what was and was not acknowledged. */
public final class BetaNetTimeoutException extends BetaNetException {
    public BetaNetTimeoutException(String message) {
        super(message);
    }
}
