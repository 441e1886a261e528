package org.aivillage.betanet.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** ChaCha20-Poly1305 and AES-256-GCM on the JDK's intrinsified ciphers. */
final class JdkAead implements Aead {
    private final Algorithm algorithm;
    private final byte[] key;
    private final SecretKeySpec keySpec;
    private final Cipher cipher;
    private boolean destroyed;

    JdkAead(Algorithm algorithm, byte[] key) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException(algorithm + " key must be 32 bytes");
        }
        this.algorithm = algorithm;
        this.key = key.clone();
        String name = algorithm == Algorithm.AES_256_GCM ? "AES" : "ChaCha20";
        this.keySpec = new SecretKeySpec(this.key, name);
        try {
            this.cipher = Cipher.getInstance(algorithm == Algorithm.AES_256_GCM ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e);
        }
    }

    @Override
    public Algorithm algorithm() {
        return algorithm;
    }

    private void init(int mode, byte[] nonce) throws GeneralSecurityException {
        if (destroyed) {
            throw new IllegalStateException("AEAD key was destroyed");
        }
        if (nonce == null || nonce.length != algorithm.nonceLength()) {
            throw new IllegalArgumentException(algorithm + " nonce must be " + algorithm.nonceLength() + " bytes");
        }
        if (algorithm == Algorithm.AES_256_GCM) {
            cipher.init(mode, keySpec, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        } else {
            cipher.init(mode, keySpec, new IvParameterSpec(nonce));
        }
    }

    @Override
    public int seal(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        try {
            init(Cipher.ENCRYPT_MODE, nonce);
            if (aad != null && aad.length > 0) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (GeneralSecurityException e) {
            // Only reachable through nonce reuse with the same key, which the JDK refuses.
            throw new IllegalStateException(algorithm + " encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int open(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws AuthenticationFailedException {
        if (inLen < TAG_LENGTH) {
            throw new AuthenticationFailedException(algorithm + ": ciphertext shorter than the tag");
        }
        try {
            init(Cipher.DECRYPT_MODE, nonce);
            if (aad != null && aad.length > 0) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (AEADBadTagException e) {
            Arrays.fill(out, outOff, Math.min(out.length, outOff + inLen - TAG_LENGTH), (byte) 0);
            throw new AuthenticationFailedException(algorithm + ": authentication tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new AuthenticationFailedException(algorithm + ": decryption failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public void destroy() {
        ConstantTime.wipe(key);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }
}
