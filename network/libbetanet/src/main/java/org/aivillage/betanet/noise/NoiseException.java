package org.aivillage.betanet.noise;

/**
 * A Noise handshake or transport operation failed: a message that is malformed or too long, a
 * wrong turn, a tag that does not verify (the cause is then an
 * {@link org.aivillage.betanet.crypto.AuthenticationFailedException}), a low-order public key, an
 * exhausted nonce. It is the only exception that {@link HandshakeState#readMessage(byte[])} and
 * {@link TransportState#readMessage(byte[])} throw for bad input. Messages never carry key material.
 */
public final class NoiseException extends Exception {
    public NoiseException(String message) {
        super(message);
    }

    public NoiseException(String message, Throwable cause) {
        super(message, cause);
    }
}
