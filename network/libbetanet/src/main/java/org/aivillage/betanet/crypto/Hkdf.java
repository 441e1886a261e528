package org.aivillage.betanet.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * HKDF (RFC 5869) over any {@link Hashes.Algorithm}, HKDF-SHA256 by default, and TLS 1.3's
 * HKDF-Expand-Label (RFC 8446 §7.1).
 */
public final class Hkdf {
    private Hkdf() {}

    public static byte[] extract(Hashes.Algorithm hash, byte[] salt, byte[] ikm) {
        byte[] s = (salt == null || salt.length == 0) ? new byte[hash.length()] : salt;
        return Hmac.mac(hash, s, ikm);
    }

    public static byte[] expand(Hashes.Algorithm hash, byte[] prk, byte[] info, int length) {
        int n = (length + hash.length() - 1) / hash.length();
        if (length < 0 || n > 255) {
            throw new IllegalArgumentException("HKDF output length must be 0.." + 255 * hash.length() + ", was " + length);
        }
        byte[] out = new byte[length];
        JdkMacs jdk = JdkMacs.of(hash);
        if (jdk != null) {
            // One keyed Mac for every block: doFinal leaves it keyed with the PRK for the next one.
            javax.crypto.Mac mac = jdk.acquire(prk, hash.blockLength());
            byte[] t = new byte[hash.length()];
            try {
                int off = 0;
                for (int i = 1; i <= n; i++) {
                    if (i > 1) {
                        mac.update(t);
                    }
                    if (info != null) {
                        mac.update(info);
                    }
                    mac.update((byte) i);
                    mac.doFinal(t, 0);
                    int take = Math.min(t.length, length - off);
                    System.arraycopy(t, 0, out, off, take);
                    off += take;
                }
            } catch (javax.crypto.ShortBufferException e) {
                throw new IllegalStateException(e);
            } finally {
                jdk.release(mac);
                ConstantTime.wipe(t);
            }
            return out;
        }
        byte[] t = new byte[0];
        int off = 0;
        for (int i = 1; i <= n; i++) {
            t = Hmac.mac(hash, prk, t, info == null ? new byte[0] : info, new byte[] {(byte) i});
            int take = Math.min(t.length, length - off);
            System.arraycopy(t, 0, out, off, take);
            off += take;
        }
        ConstantTime.wipe(t);
        return out;
    }

    /** HKDF-Extract then Expand. */
    public static byte[] derive(Hashes.Algorithm hash, byte[] ikm, byte[] salt, byte[] info, int length) {
        byte[] prk = extract(hash, salt, ikm);
        try {
            return expand(hash, prk, info, length);
        } finally {
            ConstantTime.wipe(prk);
        }
    }

    /** HKDF-SHA256 (extract with {@code salt}, expand with {@code info}). */
    public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        return derive(Hashes.Algorithm.SHA256, ikm, salt, info, length);
    }

    /**
     * TLS 1.3 HKDF-Expand-Label with SHA-256: {@code HKDF-Expand(secret, HkdfLabel, length)} where
     * HkdfLabel = uint16 length || opaque label<7..255> ("tls13 " + label) || opaque context<0..255>.
     */
    public static byte[] expandLabel(byte[] secret, String label, byte[] context, int length) {
        return expandLabel(Hashes.Algorithm.SHA256, secret, label, context, length);
    }

    public static byte[] expandLabel(Hashes.Algorithm hash, byte[] secret, String label, byte[] context, int length) {
        byte[] fullLabel = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        byte[] ctx = context == null ? new byte[0] : context;
        if (fullLabel.length > 255 || ctx.length > 255 || length > 0xFFFF) {
            throw new IllegalArgumentException("HKDF-Expand-Label: label, context or length too long");
        }
        ByteArrayOutputStream info = new ByteArrayOutputStream(4 + fullLabel.length + ctx.length);
        info.write(length >>> 8);
        info.write(length);
        info.write(fullLabel.length);
        info.writeBytes(fullLabel);
        info.write(ctx.length);
        info.writeBytes(ctx);
        return expand(hash, secret, info.toByteArray(), length);
    }
}
