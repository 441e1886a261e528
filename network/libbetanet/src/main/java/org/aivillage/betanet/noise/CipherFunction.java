package org.aivillage.betanet.noise;

import org.aivillage.betanet.crypto.Aead;

/**
 * The cipher functions of the Noise spec (§12.3, §12.4): a 32-byte key, a 64-bit counter nonce
 * encoded into the AEAD's 96-bit nonce, 16-byte tags.
 */
public enum CipherFunction {
    /** ChaCha20-Poly1305: nonce = 32 zero bits || little-endian 64-bit n. */
    CHACHAPOLY("ChaChaPoly", Aead.Algorithm.CHACHA20_POLY1305, false),
    /** AES-256-GCM: nonce = 32 zero bits || big-endian 64-bit n. */
    AESGCM("AESGCM", Aead.Algorithm.AES_256_GCM, true);

    private final String spec;
    private final Aead.Algorithm aead;
    private final boolean bigEndian;

    CipherFunction(String spec, Aead.Algorithm aead, boolean bigEndian) {
        this.spec = spec;
        this.aead = aead;
        this.bigEndian = bigEndian;
    }

    public String specName() {
        return spec;
    }

    public Aead.Algorithm aead() {
        return aead;
    }

    /** Writes the 12-byte AEAD nonce for counter {@code n} (treated as unsigned) into {@code out}. */
    public void encodeNonce(long n, byte[] out) {
        out[0] = 0;
        out[1] = 0;
        out[2] = 0;
        out[3] = 0;
        for (int i = 0; i < 8; i++) {
            int shift = bigEndian ? 56 - 8 * i : 8 * i;
            out[4 + i] = (byte) (n >>> shift);
        }
    }

    static CipherFunction fromSpec(String name) {
        for (CipherFunction c : values()) {
            if (c.spec.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unsupported Noise cipher '" + name + "' (supported: ChaChaPoly, AESGCM)");
    }
}
