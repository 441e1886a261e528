package org.aivillage.betanet.htx.internal;

import org.aivillage.betanet.crypto.KeyPair;

/**
 * The Noise handshake as the HTX handshake driver uses it: XK, or XKhfs (XK plus the ML-KEM-768
 * KEM tokens e1/ekem1) for the hybrid inner key agreement.
 */
public interface NoiseSession extends AutoCloseable {

    /** A failed message (authentication, format, KEM); the handshake is unusable after it. */
    final class Failure extends Exception {
        public Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    byte[] writeMessage(byte[] payload) throws Failure;

    byte[] readMessage(byte[] message) throws Failure;

    /**
     * After the last message: Split(), then the handshake hash and key material from each
     * direction's CipherState ({@code [initiator→responder, responder→initiator]}), equal on both
     * sides. The caller wipes the material.
     */
    Exported export() throws Failure;

    /** What the HTX key schedule takes from the finished Noise handshake. */
    record Exported(byte[] handshakeHash, byte[] initiatorToResponder, byte[] responderToInitiator) {
        @Override
        public String toString() {
            return "Exported[redacted]";
        }
    }

    @Override
    void close();

    /** Creates sessions. */
    interface Factory {
        NoiseSession initiator(boolean hybrid, byte[] prologue, KeyPair localStatic, byte[] remoteStatic);

        NoiseSession responder(boolean hybrid, byte[] prologue, KeyPair localStatic);
    }
}
