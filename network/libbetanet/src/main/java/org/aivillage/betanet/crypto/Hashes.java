package org.aivillage.betanet.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/** Hash functions: SHA-256, SHA-384, SHA-512, BLAKE2s-256, BLAKE2b-512. Each call hashes the concatenation of its parts. */
public final class Hashes {
    private Hashes() {}

    /** The hash functions the project uses, with their output and block lengths. */
    public enum Algorithm {
        SHA256(32, 64),
        SHA384(48, 128),
        SHA512(64, 128),
        BLAKE2S(32, 64),
        BLAKE2B(64, 128);

        private final int length;
        private final int blockLength;

        Algorithm(int length, int blockLength) {
            this.length = length;
            this.blockLength = blockLength;
        }

        public int length() {
            return length;
        }

        public int blockLength() {
            return blockLength;
        }

        /** The JDK MessageDigest name when the JDK implementation is the faster one, else null. */
        String jdkName() {
            return switch (this) {
                case SHA256 -> "SHA-256";
                case SHA384 -> "SHA-384";
                case SHA512 -> "SHA-512";
                case BLAKE2S, BLAKE2B -> null;
            };
        }

        /**
         * A fresh incremental BouncyCastle digest for this algorithm (not thread-safe). One-shot
         * hashing should use {@link #hash(byte[]...)}, which picks the faster implementation.
         */
        public Digest newDigest() {
            return switch (this) {
                case SHA256 -> new SHA256Digest();
                case SHA384 -> new SHA384Digest();
                case SHA512 -> new SHA512Digest();
                case BLAKE2S -> new Blake2sDigest(256);
                case BLAKE2B -> new Blake2bDigest(512);
            };
        }

        /**
         * The hash of the concatenation of {@code parts}. SHA-256 and SHA-512 run on the JDK's
         * intrinsified MessageDigest (SHA-NI / AVX2), BLAKE2 on BouncyCastle; the choice is the JMH
         * comparison in docs/benchmarks.md.
         */
        public byte[] hash(byte[]... parts) {
            String jdk = jdkName();
            if (jdk != null) {
                MessageDigest md = jdkDigest(jdk);
                for (byte[] p : parts) {
                    md.update(p);
                }
                return md.digest();
            }
            Digest d = newDigest();
            for (byte[] p : parts) {
                d.update(p, 0, p.length);
            }
            byte[] out = new byte[length];
            d.doFinal(out, 0);
            return out;
        }
    }

    /** One SHA-256 digest per thread: {@code MessageDigest.getInstance} costs more than hashing a short input. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> newJdkDigest("SHA-256"));

    static MessageDigest jdkDigest(String name) {
        if (name.equals("SHA-256")) {
            MessageDigest md = SHA256.get();
            md.reset();
            return md;
        }
        return newJdkDigest(name);
    }

    private static MessageDigest newJdkDigest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + name, e);
        }
    }

    public static byte[] sha256(byte[]... parts) {
        return Algorithm.SHA256.hash(parts);
    }

    /**
     * SHA-256 of {@code prefix || data[off, off+len)}, written to {@code out[outOff, outOff+32)}, on the
     * calling thread's JDK digest (no allocation).
     */
    public static void sha256(byte[] prefix, byte[] data, int off, int len, byte[] out, int outOff) {
        java.util.Objects.checkFromIndexSize(off, len, data.length);
        java.util.Objects.checkFromIndexSize(outOff, 32, out.length);
        MessageDigest md = jdkDigest("SHA-256");
        md.update(prefix);
        md.update(data, off, len);
        try {
            md.digest(out, outOff, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 digest", e);
        }
    }

    public static byte[] sha512(byte[]... parts) {
        return Algorithm.SHA512.hash(parts);
    }

    public static byte[] blake2s(byte[]... parts) {
        return Algorithm.BLAKE2S.hash(parts);
    }

    public static byte[] blake2b(byte[]... parts) {
        return Algorithm.BLAKE2B.hash(parts);
    }
}
