package org.aivillage.betanet.noise;

import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.ConstantTime;

/**
 * A Noise CipherState (spec §5.1): a key k (possibly empty) and a 64-bit nonce n. Transport
 * traffic uses one per direction ({@link TransportState#sender()}, {@link TransportState#receiver()}).
 *
 * <p>The nonce counts messages and is treated as unsigned; 2^64-1 is reserved, so after 2^64-1
 * messages under one CipherState every further call fails with {@link NoiseException} (rekey does
 * not reset the nonce). A failed decryption leaves the nonce unchanged (spec §5.1), so a caller on
 * an unreliable transport may drop the message and go on; a caller on a reliable one should close.
 * Methods are synchronized: a CipherState may be shared, but one direction is one sequence.
 */
public final class CipherState implements AutoCloseable {
    /** The reserved nonce 2^64-1 (as an unsigned long). */
    static final long MAX_NONCE = -1L;

    private final CipherFunction function;
    private final byte[] nonceBuffer = new byte[12];
    private Aead aead;
    private long n;
    private long bytes;

    CipherState(CipherFunction function) {
        this.function = function;
    }

    /** InitializeKey(k): a new 32-byte key, nonce 0. */
    synchronized void initializeKey(byte[] key) {
        if (aead != null) {
            aead.destroy();
        }
        aead = function.aead().withKey(key);
        n = 0;
        bytes = 0;
    }

    public CipherFunction function() {
        return function;
    }

    public synchronized boolean hasKey() {
        return aead != null;
    }

    /** The next nonce, as an unsigned 64-bit value: the number of messages processed so far. */
    public synchronized long nonce() {
        return n;
    }

    /** Plaintext bytes encrypted or decrypted since the key was set or last rekeyed (for rekey policies). */
    public synchronized long bytesSinceRekey() {
        return bytes;
    }

    /** SetNonce(n) (spec §5.1), for transports that carry the nonce explicitly. */
    public synchronized void setNonce(long nonce) {
        this.n = nonce;
    }

    /** EncryptWithAd: returns ciphertext || tag (or the plaintext itself while there is no key). */
    public synchronized byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws NoiseException {
        byte[] out = new byte[plaintext.length + (aead == null ? 0 : NoiseProtocol.TAG_LENGTH)];
        encryptWithAd(ad, plaintext, 0, plaintext.length, out, 0);
        return out;
    }

    /** EncryptWithAd into {@code out} at {@code outOff}; returns the bytes written. */
    public synchronized int encryptWithAd(byte[] ad, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws NoiseException {
        if (aead == null) {
            System.arraycopy(in, inOff, out, outOff, inLen);
            return inLen;
        }
        checkNonce();
        function.encodeNonce(n, nonceBuffer);
        int written = aead.seal(nonceBuffer, ad, in, inOff, inLen, out, outOff);
        n++;
        bytes += inLen;
        return written;
    }

    /**
     * DecryptWithAd: returns the plaintext, or throws {@link NoiseException} with an
     * {@link AuthenticationFailedException} cause when the tag does not verify (nonce unchanged).
     */
    public synchronized byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
        if (aead == null) {
            return ciphertext.clone();
        }
        if (ciphertext.length < NoiseProtocol.TAG_LENGTH) {
            throw new NoiseException("ciphertext of " + ciphertext.length + " bytes is shorter than the 16-byte tag");
        }
        byte[] out = new byte[ciphertext.length - NoiseProtocol.TAG_LENGTH];
        decryptWithAd(ad, ciphertext, 0, ciphertext.length, out, 0);
        return out;
    }

    /** DecryptWithAd from {@code in[inOff, inOff+inLen)} into {@code out}; returns the plaintext length. */
    public synchronized int decryptWithAd(byte[] ad, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws NoiseException {
        if (aead == null) {
            System.arraycopy(in, inOff, out, outOff, inLen);
            return inLen;
        }
        if (inLen < NoiseProtocol.TAG_LENGTH) {
            throw new NoiseException("ciphertext of " + inLen + " bytes is shorter than the 16-byte tag");
        }
        checkNonce();
        function.encodeNonce(n, nonceBuffer);
        try {
            int written = aead.open(nonceBuffer, ad, in, inOff, inLen, out, outOff);
            n++;
            bytes += written;
            return written;
        } catch (AuthenticationFailedException e) {
            throw new NoiseException("message authentication failed (nonce " + Long.toUnsignedString(n) + ")", e);
        }
    }

    /**
     * Rekey() (spec §11.3): k = the first 32 bytes of ENCRYPT(k, 2^64-1, empty, 32 zero bytes).
     * The nonce is not reset. Both sides must rekey at the same point of the message sequence.
     */
    public synchronized void rekey() {
        if (aead == null) {
            throw new IllegalStateException("rekey without a key");
        }
        byte[] zeros = new byte[32];
        byte[] out = new byte[32 + NoiseProtocol.TAG_LENGTH];
        function.encodeNonce(MAX_NONCE, nonceBuffer);
        aead.seal(nonceBuffer, new byte[0], zeros, 0, 32, out, 0);
        byte[] key = java.util.Arrays.copyOf(out, 32);
        ConstantTime.wipe(out);
        long keep = n;
        initializeKey(key);
        ConstantTime.wipe(key);
        n = keep;
    }

    private void checkNonce() throws NoiseException {
        if (n == MAX_NONCE) {
            throw new NoiseException("nonce exhausted: 2^64-1 messages under one key; start a new session");
        }
    }

    /** Wipes the key; the CipherState then has no key. */
    @Override
    public synchronized void close() {
        if (aead != null) {
            aead.destroy();
            aead = null;
        }
    }

    @Override
    public synchronized String toString() {
        return "CipherState[" + function.specName() + ", key=" + (aead != null) + ", n=" + Long.toUnsignedString(n) + "]";
    }
}
