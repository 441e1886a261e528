package org.aivillage.betanet.htx;

/**
 * Setting up an HTX connection failed: outer TLS, the access ticket, the inner Noise XK handshake
 * (wrong server static key, tampering), or the inner key agreement settings of the two sides.
 */
public class HtxHandshakeException extends HtxException {
    public HtxHandshakeException(String message) {
        super(message);
    }

    public HtxHandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
