package org.aivillage.dtn.internal;

import java.security.GeneralSecurityException;
import java.security.Key;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;

/**
 * The two primitives RFC 9173 needs that libbetanet's facade lacks: AES-GCM with a 128-bit key
 * (A128GCM) and AES Key Wrap (RFC 3394, A128KW/A256KW). Both come from the JDK's SunJCE provider.
 * AES-256-GCM goes through the facade.
 */
public final class JdkCrypto {
    private JdkCrypto() {}

    /** AES-GCM seal with a 16- or 32-byte key and 12-byte IV; returns ciphertext || 16-byte tag. */
    public static byte[] gcmSeal(byte[] key, byte[] iv, byte[] aad, byte[] plaintext) {
        if (key.length == 32 && iv.length == 12) {
            Aead aead = Aead.Algorithm.AES_256_GCM.withKey(key);
            try {
                return aead.seal(iv, aad, plaintext);
            } finally {
                aead.destroy();
            }
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            c.updateAAD(aad);
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM seal failed: " + e.getClass().getSimpleName());
        }
    }

    /** AES-GCM open of ciphertext || tag; throws on a wrong tag. */
    public static byte[] gcmOpen(byte[] key, byte[] iv, byte[] aad, byte[] ciphertextAndTag)
            throws AuthenticationFailedException {
        if (key.length == 32 && iv.length == 12) {
            Aead aead = Aead.Algorithm.AES_256_GCM.withKey(key);
            try {
                return aead.open(iv, aad, ciphertextAndTag);
            } finally {
                aead.destroy();
            }
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            c.updateAAD(aad);
            return c.doFinal(ciphertextAndTag);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new AuthenticationFailedException("AES-GCM: authentication tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new AuthenticationFailedException("AES-GCM open failed: " + e.getClass().getSimpleName());
        }
    }

    /** RFC 3394 key wrap of {@code keyToWrap} under {@code kek}. */
    public static byte[] wrap(byte[] kek, byte[] keyToWrap) {
        try {
            Cipher c = Cipher.getInstance("AESWrap");
            c.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
            return c.wrap(new SecretKeySpec(keyToWrap, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key wrap failed: " + e.getClass().getSimpleName());
        }
    }

    /** RFC 3394 key unwrap; throws if the integrity check fails. */
    public static byte[] unwrap(byte[] kek, byte[] wrapped) throws AuthenticationFailedException {
        try {
            Cipher c = Cipher.getInstance("AESWrap");
            c.init(Cipher.UNWRAP_MODE, new SecretKeySpec(kek, "AES"));
            Key k = c.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
            return k.getEncoded();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new AuthenticationFailedException("AES key unwrap failed");
        }
    }
}
