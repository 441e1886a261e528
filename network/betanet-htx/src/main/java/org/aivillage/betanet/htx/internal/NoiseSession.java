package org.aivillage.betanet.htx.internal;

import org.aivillage.betanet.crypto.KeyPair;

/**
 * The Noise XK handshake as the HTX handshake driver uses it
 * ({@code Noise_XK_25519_ChaChaPoly_SHA256}), adapted onto libbetanet's Noise engine.
 */
public interface NoiseSession {

    /** Thrown when a message fails (authentication, format); the handshake is unusable after it. */
    final class Failure extends Exception {
        public Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    byte[] writeMessage(byte[] payload) throws Failure;

    byte[] readMessage(byte[] message) throws Failure;

    /** The handshake hash h after the last message. */
    byte[] handshakeHash();

    /**
     * The raw keys of Noise Split(): initiator-to-responder and responder-to-initiator, 32 bytes
     * each. The caller mixes them into the HTX key schedule and wipes them.
     */
    byte[][] splitKeys();

    /** Creates sessions. */
    interface Factory {
        NoiseSession initiator(byte[] prologue, KeyPair localStatic, byte[] remoteStatic);

        NoiseSession responder(byte[] prologue, KeyPair localStatic);
    }
}
