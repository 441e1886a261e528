package org.aivillage.betanet.crypto;

/** An AEAD tag, MAC or signature did not verify. Nothing of the unauthenticated plaintext is returned. */
public final class AuthenticationFailedException extends CryptoException {
    public AuthenticationFailedException(String message) {
        super(message);
    }
}
