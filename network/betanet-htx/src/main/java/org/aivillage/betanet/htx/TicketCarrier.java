package org.aivillage.betanet.htx;

/**
 * Where an access ticket travels in the client's first HTTP request (Betanet 1.1 §5.2): exactly
 * one of a cookie ({@code __Host-bn1=}), the query parameter {@code bn1=}, or a form body
 * {@code bn1=} (POST, application/x-www-form-urlencoded).
 */
public enum TicketCarrier {
    COOKIE("cookie"),
    QUERY("query"),
    BODY("body");

    private final String token;

    TicketCarrier(String token) {
        this.token = token;
    }

    /** The name in the {@code BN-Ticket} carrier policy. */
    public String token() {
        return token;
    }

    static TicketCarrier fromToken(String token) {
        for (TicketCarrier c : values()) {
            if (c.token.equals(token)) return c;
        }
        return null;
    }
}
