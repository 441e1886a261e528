package org.aivillage.betanet.mixnode;

/**
 * One hop of a Sphinx path as the sender sees it: the node's route id, its Sphinx public key for the
 * key epoch the packet will meet it in, that epoch's key phase, and the mixing delay the sender chose
 * for this hop (Loopix: senders draw exponential delays, nodes obey them).
 */
public record Hop(RouteId id, byte[] sphinxPublicKey, int keyPhase, int delayMillis) {
    public Hop {
        if (id == null) {
            throw new IllegalArgumentException("hop id is required");
        }
        if (sphinxPublicKey == null || sphinxPublicKey.length != 32) {
            throw new IllegalArgumentException("Sphinx public key must be 32 bytes");
        }
        if (keyPhase < 0 || keyPhase > 255) {
            throw new IllegalArgumentException("key phase must fit one byte");
        }
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delay must be >= 0");
        }
        sphinxPublicKey = sphinxPublicKey.clone();
    }

    @Override
    public byte[] sphinxPublicKey() {
        return sphinxPublicKey.clone();
    }

    byte[] keyRef() {
        return sphinxPublicKey;
    }
}
