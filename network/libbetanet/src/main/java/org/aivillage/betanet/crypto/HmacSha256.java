package org.aivillage.betanet.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 (RFC 2104) on the JDK provider, whose SHA-256 uses the CPU's SHA extensions: the fast
 * path for per-packet MACs and keyed hashing over whole packets (Sphinx, Lioness). Produces exactly the
 * same tags as {@link Hmac#sha256}. One cached {@link Mac} per thread.
 */
public final class HmacSha256 {
    public static final int LENGTH = 32;
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    });

    private HmacSha256() {}

    /** HMAC-SHA256(key, data[off..off+len)) written to out[outOff..outOff+32). */
    public static void mac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
        Mac m = MAC.get();
        try {
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(data, off, len);
            m.doFinal(out, outOff);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("HMAC key rejected", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 failed", e);
        }
    }

    /** HMAC-SHA256 over the concatenation of parts. */
    public static byte[] mac(byte[] key, byte[]... parts) {
        Mac m = MAC.get();
        try {
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                m.update(p);
            }
            return m.doFinal();
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("HMAC key rejected", e);
        }
    }
}
