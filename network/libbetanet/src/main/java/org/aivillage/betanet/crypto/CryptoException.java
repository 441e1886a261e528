package org.aivillage.betanet.crypto;

import java.security.GeneralSecurityException;

/**
 * A cryptographic operation failed: bad key material, a low-order point, an unavailable algorithm.
 * Messages never contain key material.
 */
public class CryptoException extends GeneralSecurityException {
    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
