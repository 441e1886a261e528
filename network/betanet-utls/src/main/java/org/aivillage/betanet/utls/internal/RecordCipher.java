package org.aivillage.betanet.utls.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.ConstantTime;

/**
 * TLS 1.3 record protection for one direction (RFC 8446 §5.2-5.3): per-record nonce = iv XOR
 * sequence number, additional data = the record header. AES-256-GCM and ChaCha20-Poly1305 use the
 * crypto facade's Aead; AES-128-GCM, which the facade lacks (32-byte keys only), uses JCA directly.
 * Not thread-safe: one instance per direction, guarded by that direction's lock.
 */
public final class RecordCipher implements AutoCloseable {
    public static final int TAG = 16;

    private final CipherSuite suite;
    private final byte[] key;
    private final byte[] iv;
    private final Aead facade;
    private final Cipher jca;
    private final SecretKeySpec jcaKey;
    private long seq;

    public RecordCipher(CipherSuite suite, byte[] trafficSecret) {
        this.suite = suite;
        this.key = suite.hash.expandLabel(trafficSecret, "key", new byte[0], suite.keyLength);
        this.iv = suite.hash.expandLabel(trafficSecret, "iv", new byte[0], 12);
        if (suite == CipherSuite.TLS_AES_128_GCM_SHA256) {
            this.facade = null;
            try {
                this.jca = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK always provides AES/GCM", e);
            }
            this.jcaKey = new SecretKeySpec(key, "AES");
        } else {
            this.facade = (suite == CipherSuite.TLS_AES_256_GCM_SHA384 ? Aead.Algorithm.AES_256_GCM
                    : Aead.Algorithm.CHACHA20_POLY1305).withKey(key);
            this.jca = null;
            this.jcaKey = null;
        }
    }

    private byte[] nonce() {
        if (seq == -1L) {
            throw new IllegalStateException("TLS record sequence number exhausted");
        }
        byte[] n = iv.clone();
        for (int i = 0; i < 8; i++) {
            n[11 - i] ^= (byte) (seq >>> (8 * i));
        }
        seq++;
        return n;
    }

    /** Encrypts inner plaintext (content || type) into a complete application_data record. */
    public byte[] seal(byte[] inner) {
        int len = inner.length + TAG;
        byte[] out = new byte[5 + len];
        out[0] = 23;
        out[1] = 3;
        out[2] = 3;
        out[3] = (byte) (len >>> 8);
        out[4] = (byte) len;
        byte[] aad = java.util.Arrays.copyOf(out, 5);
        byte[] nonce = nonce();
        if (facade != null) {
            facade.seal(nonce, aad, inner, 0, inner.length, out, 5);
        } else {
            try {
                jca.init(Cipher.ENCRYPT_MODE, jcaKey, new GCMParameterSpec(128, nonce));
                jca.updateAAD(aad);
                jca.doFinal(inner, 0, inner.length, out, 5);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-128-GCM encryption failed", e);
            }
        }
        return out;
    }

    /** Decrypts a record body given its 5-byte header; returns the inner plaintext (content || type || zeros). */
    public byte[] open(byte[] header, byte[] body) throws AuthenticationFailedException {
        if (body.length < TAG) {
            throw new AuthenticationFailedException("record shorter than the AEAD tag");
        }
        byte[] nonce = nonce();
        byte[] out = new byte[body.length - TAG];
        if (facade != null) {
            facade.open(nonce, header, body, 0, body.length, out, 0);
        } else {
            try {
                jca.init(Cipher.DECRYPT_MODE, jcaKey, new GCMParameterSpec(128, nonce));
                jca.updateAAD(header);
                jca.doFinal(body, 0, body.length, out, 0);
            } catch (GeneralSecurityException e) {
                throw new AuthenticationFailedException("AES-128-GCM: record authentication failed");
            }
        }
        return out;
    }

    public CipherSuite suite() {
        return suite;
    }

    @Override
    public void close() {
        ConstantTime.wipe(key);
        ConstantTime.wipe(iv);
        if (facade != null) {
            facade.destroy();
        }
    }
}
