package org.aivillage.betanet.noise;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.aivillage.betanet.crypto.ConstantTime;

/** The Noise SymmetricState (spec §5.2): chaining key ck, handshake hash h and a CipherState. */
final class SymmetricState {
    private final HashFunction hash;
    private final CipherFunction cipherFunction;
    private final CipherState cipher;
    private byte[] ck;
    private byte[] h;

    /** InitializeSymmetric(protocol_name). */
    SymmetricState(NoiseProtocol protocol) {
        this.hash = protocol.hash();
        this.cipherFunction = protocol.cipher();
        this.cipher = new CipherState(cipherFunction);
        byte[] name = protocol.name().getBytes(StandardCharsets.US_ASCII);
        h = name.length <= hash.hashLen() ? Arrays.copyOf(name, hash.hashLen()) : hash.hash(name);
        ck = h.clone();
    }

    boolean hasKey() {
        return cipher.hasKey();
    }

    void mixKey(byte[] ikm) {
        byte[][] out = hash.hkdf(ck, ikm, 2);
        ConstantTime.wipe(ck);
        ck = out[0];
        initializeKey(out[1]);
    }

    void mixHash(byte[] data) {
        h = hash.hash(h, data);
    }

    void mixHash(byte[] data, int off, int len) {
        h = hash.hash(h, Arrays.copyOfRange(data, off, off + len));
    }

    void mixKeyAndHash(byte[] ikm) {
        byte[][] out = hash.hkdf(ck, ikm, 3);
        ConstantTime.wipe(ck);
        ck = out[0];
        mixHash(out[1]);
        initializeKey(out[2]);
    }

    private void initializeKey(byte[] tempK) {
        // HASHLEN 64: only the first 32 bytes are the cipher key.
        byte[] k = tempK.length == 32 ? tempK : Arrays.copyOf(tempK, 32);
        cipher.initializeKey(k);
        ConstantTime.wipe(tempK);
        ConstantTime.wipe(k);
    }

    byte[] handshakeHash() {
        return h.clone();
    }

    /** EncryptAndHash into out at off; returns the bytes written. */
    int encryptAndHash(byte[] plaintext, byte[] out, int off) throws NoiseException {
        int written = cipher.encryptWithAd(h, plaintext, 0, plaintext.length, out, off);
        mixHash(out, off, written);
        return written;
    }

    /** DecryptAndHash of in[off, off+len). */
    byte[] decryptAndHash(byte[] in, int off, int len) throws NoiseException {
        byte[] ciphertext = Arrays.copyOfRange(in, off, off + len);
        byte[] plaintext = cipher.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    /** Split(): the two transport CipherStates (initiator-to-responder first). */
    CipherState[] split() {
        byte[][] out = hash.hkdf(ck, new byte[0], 2);
        CipherState c1 = new CipherState(cipherFunction);
        CipherState c2 = new CipherState(cipherFunction);
        initialize(c1, out[0]);
        initialize(c2, out[1]);
        return new CipherState[] {c1, c2};
    }

    private static void initialize(CipherState c, byte[] tempK) {
        byte[] k = Arrays.copyOf(tempK, 32);
        c.initializeKey(k);
        ConstantTime.wipe(k);
        ConstantTime.wipe(tempK);
    }

    void destroy() {
        ConstantTime.wipe(ck);
        cipher.close();
    }
}
