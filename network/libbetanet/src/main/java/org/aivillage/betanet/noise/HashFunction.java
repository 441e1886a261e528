package org.aivillage.betanet.noise;

import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Hmac;

/** The hash functions of the Noise spec (§12.5-§12.8) with HMAC and the spec's HKDF (§4.3). */
public enum HashFunction {
    SHA256("SHA256", Hashes.Algorithm.SHA256),
    SHA512("SHA512", Hashes.Algorithm.SHA512),
    BLAKE2S("BLAKE2s", Hashes.Algorithm.BLAKE2S),
    BLAKE2B("BLAKE2b", Hashes.Algorithm.BLAKE2B);

    private final String spec;
    private final Hashes.Algorithm algorithm;

    HashFunction(String spec, Hashes.Algorithm algorithm) {
        this.spec = spec;
        this.algorithm = algorithm;
    }

    public String specName() {
        return spec;
    }

    /** HASHLEN: 32 or 64. */
    public int hashLen() {
        return algorithm.length();
    }

    /** BLOCKLEN: 64 or 128. */
    public int blockLen() {
        return algorithm.blockLength();
    }

    public byte[] hash(byte[]... parts) {
        return algorithm.hash(parts);
    }

    /** HMAC-HASH(key, data) per RFC 2104 with this hash's block length. */
    public byte[] hmac(byte[] key, byte[]... data) {
        return Hmac.mac(algorithm, key, data);
    }

    /**
     * HKDF(chaining_key, input_key_material, num_outputs) of Noise §4.3: temp_key =
     * HMAC(ck, ikm); output1 = HMAC(temp_key, 0x01); output2 = HMAC(temp_key, output1 || 0x02);
     * output3 = HMAC(temp_key, output2 || 0x03). Returns {@code outputs} (2 or 3) arrays of HASHLEN.
     */
    public byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial, int outputs) {
        if (outputs < 2 || outputs > 3) {
            throw new IllegalArgumentException("Noise HKDF makes 2 or 3 outputs");
        }
        byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
        try {
            byte[][] out = new byte[outputs][];
            out[0] = hmac(tempKey, new byte[] {1});
            out[1] = hmac(tempKey, out[0], new byte[] {2});
            if (outputs == 3) {
                out[2] = hmac(tempKey, out[1], new byte[] {3});
            }
            return out;
        } finally {
            ConstantTime.wipe(tempKey);
        }
    }

    static HashFunction fromSpec(String name) {
        for (HashFunction h : values()) {
            if (h.spec.equals(name)) {
                return h;
            }
        }
        throw new IllegalArgumentException(
                "unsupported Noise hash '" + name + "' (supported: SHA256, SHA512, BLAKE2s, BLAKE2b)");
    }
}
