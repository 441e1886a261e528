package org.aivillage.betanet.mixnode;

import org.aivillage.betanet.crypto.ChaCha20Stream;

/** A reproducible RandomSource for known-answer vectors: the ChaCha20 keystream of a fixed seed. */
final class DeterministicRandom implements Sphinx.RandomSource {
    private final byte[] seed;
    private int counter;

    DeterministicRandom(byte[] seed) {
        this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
        byte[] nonce = new byte[12];
        nonce[0] = (byte) (counter >>> 24);
        nonce[1] = (byte) (counter >>> 16);
        nonce[2] = (byte) (counter >>> 8);
        nonce[3] = (byte) counter;
        counter++;
        byte[] ks = ChaCha20Stream.keystream(seed, nonce, 0, out.length);
        System.arraycopy(ks, 0, out, 0, out.length);
    }
}
