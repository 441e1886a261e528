package org.aivillage.betanet.crypto;

import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ChaCha20-Poly1305 (RFC 8439) that picks the implementation per message size, as measured in
 * docs/benchmarks.md ("Crypto primitives"). Short messages (up to {@link #SMALL_MESSAGE} bytes of
 * plaintext) go to the system libsodium when it is usable ({@link Sodium#AEAD_AVAILABLE}: no
 * per-key set-up at all, which matters for Noise handshakes that re-key after every DH), else to
 * BouncyCastle's lightweight engine (cheap to key). Longer messages go to the system OpenSSL
 * libcrypto when it is usable ({@link OpenSsl#AVAILABLE}: the fastest bulk code on the development
 * box), else to the JDK's intrinsified {@code Cipher}. All four produce the same bytes; each
 * engine is created on first use.
 *
 * <p>The system property {@code aivillage.crypto.chacha20poly1305} ({@code auto} by default, or
 * {@code bouncycastle}, {@code jdk}, {@code libsodium}, {@code openssl}) forces one implementation
 * for every size, for comparisons; a native one that is not usable falls back to {@code auto}
 * with a warning.
 */
final class ChaCha20Poly1305Aead implements Aead {
    private static final Logger LOG = LoggerFactory.getLogger(ChaCha20Poly1305Aead.class);

    /** The implementations behind the facade. */
    enum Backend {
        BOUNCYCASTLE, JDK, LIBSODIUM, OPENSSL;

        boolean usable() {
            return switch (this) {
                case BOUNCYCASTLE, JDK -> true;
                case LIBSODIUM -> Sodium.AEAD_AVAILABLE;
                case OPENSSL -> OpenSsl.AVAILABLE;
            };
        }
    }

    /** Implementation for messages of at most {@link #SMALL_MESSAGE} bytes. */
    static final Backend SMALL;
    /** Implementation for longer messages. */
    static final Backend LARGE;
    /** Messages up to this many bytes (plaintext, or ciphertext without the tag) use {@link #SMALL}. */
    static final int SMALL_MESSAGE;

    static {
        String forced = System.getProperty("aivillage.crypto.chacha20poly1305", "auto").toLowerCase(Locale.ROOT);
        Backend only = null;
        if (!forced.equals("auto")) {
            try {
                only = Backend.valueOf(forced.toUpperCase(Locale.ROOT));
                if (!only.usable()) {
                    LOG.warn("aivillage.crypto.chacha20poly1305={}: not usable in this JVM, choosing automatically", forced);
                    only = null;
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("aivillage.crypto.chacha20poly1305={}: unknown (auto, bouncycastle, jdk, libsodium, openssl)", forced);
            }
        }
        if (only != null) {
            SMALL = only;
            LARGE = only;
            SMALL_MESSAGE = Integer.MAX_VALUE;
        } else {
            SMALL = Sodium.AEAD_AVAILABLE ? Backend.LIBSODIUM : Backend.BOUNCYCASTLE;
            LARGE = OpenSsl.AVAILABLE ? Backend.OPENSSL : Backend.JDK;
            // Crossovers measured by AeadBench / CpuTimeRunner (docs/benchmarks.md).
            SMALL_MESSAGE = SMALL == Backend.LIBSODIUM ? (LARGE == Backend.OPENSSL ? 256 : 1024) : 128;
        }
        LOG.debug("ChaCha20-Poly1305: {}", description());
    }

    /** Which implementations serve which sizes in this JVM. */
    static String description() {
        return SMALL == LARGE ? SMALL.name().toLowerCase(Locale.ROOT)
                : SMALL.name().toLowerCase(Locale.ROOT) + " up to " + SMALL_MESSAGE + " B, " + LARGE.name().toLowerCase(Locale.ROOT) + " above";
    }

    private final byte[] key;
    private final Backend small;
    private final Backend large;
    private final int smallLimit;
    private ChaCha20Poly1305 bc;
    private KeyParameter bcKey;
    private JdkAead jdk;
    private OpenSsl.ChaChaPoly opensslSeal;
    private OpenSsl.ChaChaPoly opensslOpen;
    private boolean destroyed;

    ChaCha20Poly1305Aead(byte[] key) {
        this(key, SMALL, LARGE, SMALL_MESSAGE);
    }

    /** One implementation for every size (tests and benchmarks); it must be {@link Backend#usable()}. */
    ChaCha20Poly1305Aead(byte[] key, Backend only) {
        this(key, only, only, Integer.MAX_VALUE);
        if (!only.usable()) {
            throw new IllegalStateException(only + " is not usable in this JVM");
        }
    }

    private ChaCha20Poly1305Aead(byte[] key, Backend small, Backend large, int smallLimit) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("CHACHA20_POLY1305 key must be 32 bytes");
        }
        this.key = key.clone();
        this.small = small;
        this.large = large;
        this.smallLimit = smallLimit;
    }

    @Override
    public Algorithm algorithm() {
        return Algorithm.CHACHA20_POLY1305;
    }

    private void check(byte[] nonce) {
        if (destroyed) {
            throw new IllegalStateException("AEAD key was destroyed");
        }
        if (nonce == null || nonce.length != 12) {
            throw new IllegalArgumentException("CHACHA20_POLY1305 nonce must be 12 bytes");
        }
    }

    private JdkAead jdk() {
        if (jdk == null) {
            jdk = new JdkAead(Algorithm.CHACHA20_POLY1305, key);
        }
        return jdk;
    }

    private ChaCha20Poly1305 bc(boolean encrypt, byte[] nonce, byte[] aad) {
        if (bc == null) {
            bc = new ChaCha20Poly1305();
            bcKey = new KeyParameter(key);
        }
        bc.init(encrypt, new AEADParameters(bcKey, TAG_LENGTH * 8, nonce.clone(), aad));
        return bc;
    }

    /**
     * The native engines take the same region for input and output, or disjoint ones, and the
     * JDK 25 Cipher gives wrong bytes for a partial overlap (ChaCha20Poly1305BackendsTest); for a
     * partial overlap inside one array the input is copied first.
     */
    private static byte[] separate(byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        if (in == out && inOff != outOff && inOff < outOff + inLen && outOff < inOff + inLen) {
            return Arrays.copyOfRange(in, inOff, inOff + inLen);
        }
        return null;
    }

    @Override
    public int seal(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        check(nonce);
        java.util.Objects.checkFromIndexSize(inOff, inLen, in.length);
        java.util.Objects.checkFromIndexSize(outOff, inLen + TAG_LENGTH, out.length);
        Backend backend = inLen <= smallLimit ? small : large;
        if (backend != Backend.BOUNCYCASTLE) {
            byte[] copy = separate(in, inOff, inLen, out, outOff);
            if (copy != null) {
                in = copy;
                inOff = 0;
            }
        }
        switch (backend) {
            case LIBSODIUM -> Sodium.aeadSeal(key, nonce, aad, in, inOff, inLen, out, outOff);
            case OPENSSL -> {
                if (opensslSeal == null) {
                    opensslSeal = new OpenSsl.ChaChaPoly(key, true);
                }
                opensslSeal.seal(nonce, aad, in, inOff, inLen, out, outOff);
            }
            case JDK -> {
                return jdk().seal(nonce, aad, in, inOff, inLen, out, outOff);
            }
            case BOUNCYCASTLE -> {
                ChaCha20Poly1305 c = bc(true, nonce, aad);
                try {
                    int n = c.processBytes(in, inOff, inLen, out, outOff);
                    return n + c.doFinal(out, outOff + n);
                } catch (InvalidCipherTextException | IllegalStateException e) {
                    // BouncyCastle refuses to encrypt twice with the same key and nonce, as the JDK does.
                    throw new IllegalStateException("CHACHA20_POLY1305 encryption failed: " + e.getMessage(), e);
                }
            }
        }
        return inLen + TAG_LENGTH;
    }

    @Override
    public int open(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws AuthenticationFailedException {
        check(nonce);
        if (inLen < TAG_LENGTH) {
            throw new AuthenticationFailedException("CHACHA20_POLY1305: ciphertext shorter than the tag");
        }
        int ctLen = inLen - TAG_LENGTH;
        java.util.Objects.checkFromIndexSize(inOff, inLen, in.length);
        java.util.Objects.checkFromIndexSize(outOff, ctLen, out.length);
        Backend backend = ctLen <= smallLimit ? small : large;
        if (backend != Backend.BOUNCYCASTLE) {
            byte[] copy = separate(in, inOff, inLen, out, outOff);
            if (copy != null) {
                in = copy;
                inOff = 0;
            }
        }
        boolean ok;
        switch (backend) {
            case LIBSODIUM -> ok = Sodium.aeadOpen(key, nonce, aad, in, inOff, ctLen, out, outOff);
            case OPENSSL -> {
                if (opensslOpen == null) {
                    opensslOpen = new OpenSsl.ChaChaPoly(key, false);
                }
                ok = opensslOpen.open(nonce, aad, in, inOff, ctLen, out, outOff);
            }
            case JDK -> {
                return jdk().open(nonce, aad, in, inOff, inLen, out, outOff);
            }
            case BOUNCYCASTLE -> {
                ChaCha20Poly1305 c = bc(false, nonce, aad);
                try {
                    int n = c.processBytes(in, inOff, inLen, out, outOff);
                    n += c.doFinal(out, outOff + n);
                    ok = true;
                } catch (InvalidCipherTextException e) {
                    ok = false;
                }
            }
            default -> throw new IllegalStateException(backend.toString());
        }
        if (!ok) {
            Arrays.fill(out, outOff, outOff + ctLen, (byte) 0);
            throw new AuthenticationFailedException("CHACHA20_POLY1305: authentication tag mismatch");
        }
        return ctLen;
    }

    @Override
    public void destroy() {
        ConstantTime.wipe(key);
        if (jdk != null) {
            jdk.destroy();
        }
        if (bcKey != null) {
            ConstantTime.wipe(bcKey.getKey());
        }
        if (opensslSeal != null) {
            opensslSeal.close();
        }
        if (opensslOpen != null) {
            opensslOpen.close();
        }
        bc = null;
        bcKey = null;
        opensslSeal = null;
        opensslOpen = null;
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }
}
