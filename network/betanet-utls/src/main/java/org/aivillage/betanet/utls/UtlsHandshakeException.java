package org.aivillage.betanet.utls;

import java.io.IOException;

/**
 * The TLS handshake or a record failed: the peer sent an alert, the server's choice is one this
 * client cannot honour (e.g. TLS 1.2), the certificate is untrusted, or a message was malformed.
 * The message says which; it never contains key material.
 */
public class UtlsHandshakeException extends IOException {
    private final int alert;

    public UtlsHandshakeException(String message, int alert) {
        super(message);
        this.alert = alert;
    }

    public UtlsHandshakeException(String message, int alert, Throwable cause) {
        super(message, cause);
        this.alert = alert;
    }

    /** The TLS alert description sent or received (RFC 8446 §6), or -1 when none applies. */
    public int alert() {
        return alert;
    }
}
