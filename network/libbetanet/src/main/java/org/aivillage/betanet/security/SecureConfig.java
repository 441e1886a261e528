package org.aivillage.betanet.security;

import java.nio.charset.StandardCharsets;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.betanet.crypto.Randomness;

/**
 * Holds a 32-byte master secret and derives purpose-bound sub-keys from it (HKDF-SHA256, info =
 * "aivillage/" + purpose). {@link #encrypt} seals with XChaCha20-Poly1305 under the "data" sub-key
 * and a fresh random 24-byte nonce prepended to the output; {@link #close()} wipes the secret.
 * Thread-safe.
 */
public final class SecureConfig implements AutoCloseable {
    private static final byte[] SALT = "aivillage-secure-config-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 24;

    private final byte[] master;
    private volatile boolean closed;

    /** Copies {@code masterKey} (32 bytes); the caller may wipe its own copy afterwards. */
    public SecureConfig(byte[] masterKey) {
        if (masterKey == null || masterKey.length != 32) {
            throw new IllegalArgumentException("master key must be 32 bytes");
        }
        this.master = masterKey.clone();
    }

    /** A new SecureConfig with a random master key. */
    public static SecureConfig generate() {
        byte[] k = Randomness.bytes(32);
        try {
            return new SecureConfig(k);
        } finally {
            ConstantTime.wipe(k);
        }
    }

    /** A sub-key for {@code purpose}; different purposes give independent keys. The caller wipes it. */
    public synchronized byte[] deriveKey(String purpose, int length) {
        checkOpen();
        if (purpose == null || purpose.isEmpty()) {
            throw new IllegalArgumentException("purpose must not be empty");
        }
        return Hkdf.sha256(master, SALT, ("aivillage/" + purpose).getBytes(StandardCharsets.UTF_8), length);
    }

    /** nonce(24) || XChaCha20-Poly1305(data key, nonce, aad, plaintext). */
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        byte[] key = deriveKey("data", 32);
        Aead aead = Aead.xChaCha20Poly1305(key);
        ConstantTime.wipe(key);
        try {
            byte[] nonce = Randomness.bytes(NONCE);
            byte[] out = new byte[NONCE + plaintext.length + Aead.TAG_LENGTH];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            aead.seal(nonce, associatedData, plaintext, 0, plaintext.length, out, NONCE);
            return out;
        } finally {
            aead.destroy();
        }
    }

    /** Reverses {@link #encrypt}; fails if the data, nonce or associated data were altered. */
    public byte[] decrypt(byte[] sealed, byte[] associatedData) throws AuthenticationFailedException {
        if (sealed.length < NONCE + Aead.TAG_LENGTH) {
            throw new AuthenticationFailedException("sealed data shorter than nonce and tag");
        }
        byte[] key = deriveKey("data", 32);
        Aead aead = Aead.xChaCha20Poly1305(key);
        ConstantTime.wipe(key);
        try {
            byte[] nonce = java.util.Arrays.copyOf(sealed, NONCE);
            byte[] out = new byte[sealed.length - NONCE - Aead.TAG_LENGTH];
            aead.open(nonce, associatedData, sealed, NONCE, sealed.length - NONCE, out, 0);
            return out;
        } finally {
            aead.destroy();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("SecureConfig is closed");
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        ConstantTime.wipe(master);
        closed = true;
    }

    @Override
    public String toString() {
        return "SecureConfig[" + (closed ? "closed" : "open") + "]";
    }
}
