package org.aivillage.betanet.utls.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.betanet.crypto.Hmac;

/**
 * The hash of a TLS 1.3 cipher suite with HKDF and HKDF-Expand-Label (RFC 8446 §7.1). SHA-256 goes
 * through the crypto facade; SHA-384 (TLS_AES_256_GCM_SHA384), which the facade lacks, through JCA.
 */
public enum TlsHash {
    SHA256(32),
    SHA384(48);

    private final int length;

    TlsHash(int length) {
        this.length = length;
    }

    public int length() {
        return length;
    }

    public byte[] digest(byte[] data) {
        if (this == SHA256) {
            return Hashes.sha256(data);
        }
        try {
            return MessageDigest.getInstance("SHA-384").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always provides SHA-384", e);
        }
    }

    public byte[] hmac(byte[] key, byte[] data) {
        if (this == SHA256) {
            return Hmac.sha256(key, data);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA384");
            mac.init(new SecretKeySpec(key, "HmacSHA384"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always provides HmacSHA384", e);
        }
    }

    public byte[] extract(byte[] salt, byte[] ikm) {
        if (this == SHA256) {
            return Hkdf.extract(Hashes.Algorithm.SHA256, salt, ikm);
        }
        return hmac(salt == null || salt.length == 0 ? new byte[length] : salt, ikm);
    }

    /** HKDF-Expand-Label(secret, label, context, length) with the "tls13 " prefix. */
    public byte[] expandLabel(byte[] secret, String label, byte[] context, int outLength) {
        if (this == SHA256) {
            return Hkdf.expandLabel(Hashes.Algorithm.SHA256, secret, label, context, outLength);
        }
        byte[] full = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        byte[] ctx = context == null ? new byte[0] : context;
        ByteWriter info = new ByteWriter(4 + full.length + ctx.length);
        info.u16(outLength).vector(1, full).vector(1, ctx);
        byte[] inf = info.toByteArray();
        byte[] out = new byte[outLength];
        byte[] t = new byte[0];
        int off = 0;
        for (int i = 1; off < outLength; i++) {
            ByteWriter w = new ByteWriter(t.length + inf.length + 1);
            w.bytes(t).bytes(inf).u8(i);
            byte[] prev = t;
            t = hmac(secret, w.toByteArray());
            ConstantTime.wipe(prev);
            int n = Math.min(t.length, outLength - off);
            System.arraycopy(t, 0, out, off, n);
            off += n;
        }
        ConstantTime.wipe(t);
        return out;
    }

    /** Derive-Secret(secret, label, messages) given the transcript hash of the messages. */
    public byte[] deriveSecret(byte[] secret, String label, byte[] transcriptHash) {
        return expandLabel(secret, label, transcriptHash, length);
    }
}
