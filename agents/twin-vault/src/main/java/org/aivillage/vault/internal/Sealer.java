package org.aivillage.vault.internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.aivillage.betanet.codec.Cbor;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.Randomness;

/**
 * Sealed blobs: {@code alg (1 byte) || nonce || ciphertext || tag}, a fresh random nonce for every
 * seal (24 bytes for XChaCha20-Poly1305, 12 for AES-256-GCM, whose keys here are per twin and used
 * for far fewer than 2^32 seals). Also DEFLATE for compressed records and the AAD builder.
 */
public final class Sealer {
    public static final int ALG_XCHACHA20_POLY1305 = 1;
    public static final int ALG_AES_256_GCM = 2;
    /** Inflated records larger than this are refused (a bound against decompression bombs). */
    public static final int MAX_PLAINTEXT = 64 << 20;

    private Sealer() {}

    public static int code(Aead.Algorithm alg) {
        return switch (alg) {
            case XCHACHA20_POLY1305 -> ALG_XCHACHA20_POLY1305;
            case AES_256_GCM -> ALG_AES_256_GCM;
            case CHACHA20_POLY1305 -> throw new IllegalArgumentException("ChaCha20-Poly1305 with random nonces is not used");
        };
    }

    public static byte[] seal(Aead.Algorithm alg, byte[] key, byte[] aad, byte[] plaintext) {
        byte[] nonce = Randomness.bytes(alg.nonceLength());
        byte[] out = new byte[1 + nonce.length + plaintext.length + Aead.TAG_LENGTH];
        out[0] = (byte) code(alg);
        System.arraycopy(nonce, 0, out, 1, nonce.length);
        Aead aead = alg.withKey(key);
        try {
            aead.seal(nonce, aad, plaintext, 0, plaintext.length, out, 1 + nonce.length);
        } finally {
            aead.destroy();
        }
        return out;
    }

    public static byte[] open(byte[] key, byte[] aad, byte[] sealed) throws AuthenticationFailedException {
        int len = plaintextLength(sealed);
        byte[] out = new byte[Math.max(0, len)];
        openInto(key, aad, sealed, out);
        return out;
    }

    /** The plaintext length of a sealed blob, or -1 when it is too short to be one. */
    public static int plaintextLength(byte[] sealed) {
        if (sealed == null || sealed.length < 1) {
            return -1;
        }
        int n = switch (sealed[0]) {
            case ALG_XCHACHA20_POLY1305 -> Aead.Algorithm.XCHACHA20_POLY1305.nonceLength();
            case ALG_AES_256_GCM -> Aead.Algorithm.AES_256_GCM.nonceLength();
            default -> 0;
        };
        int len = sealed.length - 1 - n - Aead.TAG_LENGTH;
        return n == 0 || len < 0 ? -1 : len;
    }

    /**
     * As {@link #open}, decrypting into {@code out} from offset 0 (at least
     * {@link #plaintextLength} bytes); returns the plaintext length. On failure nothing of the
     * plaintext is left in {@code out}.
     */
    public static int openInto(byte[] key, byte[] aad, byte[] sealed, byte[] out) throws AuthenticationFailedException {
        int len = plaintextLength(sealed);
        if (len < 0) {
            throw new AuthenticationFailedException(sealed == null || sealed.length < 1 ? "sealed blob is empty"
                    : sealed[0] == ALG_XCHACHA20_POLY1305 || sealed[0] == ALG_AES_256_GCM ? "sealed blob is truncated"
                    : "sealed blob names an unknown cipher");
        }
        Aead.Algorithm alg = sealed[0] == ALG_AES_256_GCM ? Aead.Algorithm.AES_256_GCM : Aead.Algorithm.XCHACHA20_POLY1305;
        int n = alg.nonceLength();
        byte[] nonce = new byte[n];
        System.arraycopy(sealed, 1, nonce, 0, n);
        Aead aead = alg.withKey(key);
        try {
            aead.open(nonce, aad, sealed, 1 + n, sealed.length - 1 - n, out, 0);
        } catch (AuthenticationFailedException | RuntimeException e) {
            Arrays.fill(out, 0, Math.min(len, out.length), (byte) 0);
            throw e;
        } finally {
            aead.destroy();
        }
        return len;
    }

    /** Deterministic-CBOR array of the given context items: the AAD of a sealed blob. */
    public static byte[] aad(CborValue... items) {
        return Cbor.encodeDeterministic(CborValue.array(items));
    }

    public static byte[] deflate(byte[] in) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setInput(in);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, in.length / 2));
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                int k = d.deflate(buf);
                out.write(buf, 0, k);
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /** Inflates; returns null when the data is malformed or would exceed {@link #MAX_PLAINTEXT}. */
    public static byte[] inflate(byte[] in) {
        return inflate(in, 0, in.length);
    }

    /** As {@link #inflate(byte[])}, of {@code len} bytes of {@code in} from {@code off}. */
    public static byte[] inflate(byte[] in, int off, int len) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(in, off, len);
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(MAX_PLAINTEXT, len * 3L));
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int k = inf.inflate(buf);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    return null;
                }
                if (out.size() + k > MAX_PLAINTEXT) {
                    return null;
                }
                out.write(buf, 0, k);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inf.end();
        }
    }

    public static void wipe(byte[] b) {
        if (b != null) {
            ConstantTime.wipe(b);
        }
    }
}
