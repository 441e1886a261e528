package org.aivillage.betanet.htx;

/**
 * The server answered the ticket-carrying request with HTTP: it did not accept the access ticket
 * (wrong ticket key, clock more than an hour off, replay, rate limit) and served its decoy site.
 */
public final class HtxTicketRejectedException extends HtxHandshakeException {
    public HtxTicketRejectedException(String message) {
        super(message);
    }
}
