package org.aivillage.betanet.crypto;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system's OpenSSL libcrypto (EVP interface) through the Foreign Function API, for
 * ChaCha20-Poly1305 on bulk messages: its x86-64 assembly (AVX-512 / AVX2 ChaCha20, AVX-512 IFMA
 * Poly1305) seals and opens 16 KiB about 1.5x faster than the JDK's intrinsified {@code Cipher}
 * on the development box (docs/benchmarks.md, "Crypto primitives"). Used only when native access
 * is enabled, a libcrypto ({@code libcrypto.so.3}, {@code .so.1.1}, {@code .so}, or the macOS
 * names) loads and the RFC 8439 §2.8.2 known answer passes at class load; otherwise
 * {@link #AVAILABLE} is false and the facade stays on the JDK, silently.
 *
 * <p>Each {@link ChaChaPoly} owns one native {@code EVP_CIPHER_CTX}, keyed once and re-initialised
 * with the nonce per message. Heap arrays go straight to the C functions ({@link Linker.Option#critical}
 * with heap access), in slices of at most {@link #CHUNK} bytes so no call holds off the garbage
 * collector for long. The context is freed (OpenSSL cleanses the key) by {@link ChaChaPoly#close()}
 * or, if its owner forgets, when the owner becomes unreachable.
 */
final class OpenSsl {
    private static final Logger LOG = LoggerFactory.getLogger(OpenSsl.class);
    private static final List<String> LIBRARY_NAMES = List.of(
            "libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so", "libcrypto.3.dylib", "libcrypto.dylib");
    /** Longest slice handed to one native call (a multiple of the 64-byte ChaCha20 block). */
    static final int CHUNK = 64 * 1024;
    private static final int EVP_CTRL_AEAD_GET_TAG = 0x10;
    private static final int EVP_CTRL_AEAD_SET_TAG = 0x11;

    private static final MethodHandle CTX_NEW;
    private static final MethodHandle CTX_FREE;
    private static final MethodHandle CIPHER_INIT;
    private static final MethodHandle CIPHER_UPDATE;
    private static final MethodHandle CIPHER_FINAL;
    private static final MethodHandle CTX_CTRL;
    private static final MemorySegment CHACHA20_POLY1305;
    private static final Cleaner CLEANER;
    /** True when ChaCha20-Poly1305 can run on OpenSSL in this JVM. */
    static final boolean AVAILABLE;
    static final String DESCRIPTION;

    static {
        MethodHandle ctxNew = null;
        MethodHandle ctxFree = null;
        MethodHandle init = null;
        MethodHandle update = null;
        MethodHandle fin = null;
        MethodHandle ctrl = null;
        MemorySegment cipher = null;
        String name = null;
        boolean ok = false;
        try {
            NativeLibrary loaded = NativeLibrary.load(OpenSsl.class, LIBRARY_NAMES);
            if (loaded != null) {
                SymbolLookup lib = loaded.lookup();
                name = loaded.name();
                Linker linker = Linker.nativeLinker();
                ValueLayout a = ValueLayout.ADDRESS;
                ValueLayout i = ValueLayout.JAVA_INT;
                Linker.Option heap = Linker.Option.critical(true);
                MethodHandle getCipher = linker.downcallHandle(lib.find("EVP_chacha20_poly1305").orElseThrow(),
                        FunctionDescriptor.of(a));
                ctxNew = linker.downcallHandle(lib.find("EVP_CIPHER_CTX_new").orElseThrow(), FunctionDescriptor.of(a));
                ctxFree = linker.downcallHandle(lib.find("EVP_CIPHER_CTX_free").orElseThrow(), FunctionDescriptor.ofVoid(a));
                // int EVP_CipherInit_ex(ctx, cipher, engine, key, iv, enc)
                init = linker.downcallHandle(lib.find("EVP_CipherInit_ex").orElseThrow(),
                        FunctionDescriptor.of(i, a, a, a, a, a, i), heap);
                // int EVP_CipherUpdate(ctx, out, &outl, in, inl)
                update = linker.downcallHandle(lib.find("EVP_CipherUpdate").orElseThrow(),
                        FunctionDescriptor.of(i, a, a, a, a, i), heap);
                // int EVP_CipherFinal_ex(ctx, out, &outl)
                fin = linker.downcallHandle(lib.find("EVP_CipherFinal_ex").orElseThrow(),
                        FunctionDescriptor.of(i, a, a, a), heap);
                // int EVP_CIPHER_CTX_ctrl(ctx, type, arg, ptr)
                ctrl = linker.downcallHandle(lib.find("EVP_CIPHER_CTX_ctrl").orElseThrow(),
                        FunctionDescriptor.of(i, a, i, i, a), heap);
                cipher = (MemorySegment) getCipher.invokeExact();
                ok = !cipher.equals(MemorySegment.NULL);
            }
        } catch (Throwable t) {
            LOG.debug("OpenSSL not used: {}", t.toString());
            ok = false;
        }
        CTX_NEW = ctxNew;
        CTX_FREE = ctxFree;
        CIPHER_INIT = init;
        CIPHER_UPDATE = update;
        CIPHER_FINAL = fin;
        CTX_CTRL = ctrl;
        CHACHA20_POLY1305 = cipher;
        CLEANER = ok ? Cleaner.create() : null;
        boolean passed = false;
        if (ok) {
            try {
                passed = selfTest();
            } catch (RuntimeException | Error e) {
                LOG.debug("OpenSSL ChaCha20-Poly1305 self-test failed: {}", e.toString());
            }
        }
        AVAILABLE = passed;
        DESCRIPTION = passed ? "openssl (" + name + ", Foreign Function API)" : "none";
        LOG.debug("OpenSSL ChaCha20-Poly1305: {}", DESCRIPTION);
    }

    private OpenSsl() {}

    private static boolean selfTest() {
        byte[][] v = Rfc8439.vector();
        byte[] key = v[0], nonce = v[1], aad = v[2], pt = v[3], expected = v[4];
        byte[] ct = new byte[pt.length + 16];
        try (ChaChaPoly seal = new ChaChaPoly(key, true); ChaChaPoly open = new ChaChaPoly(key, false)) {
            seal.seal(nonce, aad, pt, 0, pt.length, ct, 0);
            if (!Arrays.equals(ct, expected)) {
                return false;
            }
            byte[] back = new byte[pt.length];
            if (!open.open(nonce, aad, ct, 0, pt.length, back, 0) || !Arrays.equals(back, pt)) {
                return false;
            }
            ct[pt.length] ^= 1;
            return !open.open(nonce, aad, ct, 0, pt.length, back, 0);
        }
    }

    /** Frees one EVP_CIPHER_CTX; holds no reference to its owner. */
    private record Free(MemorySegment ctx) implements Runnable {
        @Override
        public void run() {
            try {
                CTX_FREE.invokeExact(ctx);
            } catch (Throwable t) {
                throw new IllegalStateException("EVP_CIPHER_CTX_free failed", t);
            }
        }
    }

    /**
     * ChaCha20-Poly1305 in one direction (seal or open) under one key. Not thread-safe. {@code in}
     * and {@code out} may be the same region but must not overlap otherwise (the caller copies).
     */
    static final class ChaChaPoly implements AutoCloseable {
        private final MemorySegment ctx;
        private final Cleaner.Cleanable cleanable;
        private final int enc;
        private final int[] outLen = new int[1];

        ChaChaPoly(byte[] key, boolean encrypt) {
            this.enc = encrypt ? 1 : 0;
            try {
                this.ctx = (MemorySegment) CTX_NEW.invokeExact();
            } catch (Throwable t) {
                throw new IllegalStateException("EVP_CIPHER_CTX_new failed", t);
            }
            if (ctx.equals(MemorySegment.NULL)) {
                throw new OutOfMemoryError("EVP_CIPHER_CTX_new returned NULL");
            }
            this.cleanable = CLEANER.register(this, new Free(ctx));
            int rc;
            try {
                rc = (int) CIPHER_INIT.invokeExact(ctx, CHACHA20_POLY1305, MemorySegment.NULL, MemorySegment.ofArray(key),
                        MemorySegment.NULL, enc);
            } catch (Throwable t) {
                cleanable.clean();
                throw new IllegalStateException("EVP_CipherInit_ex failed", t);
            }
            if (rc != 1) {
                cleanable.clean();
                throw new IllegalStateException("EVP_CipherInit_ex refused the ChaCha20-Poly1305 key");
            }
        }

        private void start(byte[] nonce, byte[] aad) throws Throwable {
            int rc = (int) CIPHER_INIT.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL,
                    MemorySegment.ofArray(nonce), enc);
            if (rc == 1 && aad != null && aad.length > 0) {
                rc = (int) CIPHER_UPDATE.invokeExact(ctx, MemorySegment.NULL, MemorySegment.ofArray(outLen),
                        MemorySegment.ofArray(aad), aad.length);
            }
            if (rc != 1) {
                throw new IllegalStateException("OpenSSL ChaCha20-Poly1305 refused the nonce or AAD");
            }
        }

        private void crypt(byte[] in, int inOff, int len, byte[] out, int outOff) throws Throwable {
            MemorySegment src = MemorySegment.ofArray(in);
            MemorySegment dst = MemorySegment.ofArray(out);
            MemorySegment written = MemorySegment.ofArray(outLen);
            for (int done = 0; done < len; ) {
                int n = Math.min(CHUNK, len - done);
                int rc = (int) CIPHER_UPDATE.invokeExact(ctx, dst.asSlice(outOff + done, n), written,
                        src.asSlice(inOff + done, n), n);
                if (rc != 1 || outLen[0] != n) {
                    throw new IllegalStateException("OpenSSL ChaCha20-Poly1305 update failed");
                }
                done += n;
            }
        }

        /** Ciphertext of {@code in[inOff, inOff+len)} then the 16-byte tag, at {@code out[outOff..]}. */
        void seal(byte[] nonce, byte[] aad, byte[] in, int inOff, int len, byte[] out, int outOff) {
            try {
                start(nonce, aad);
                crypt(in, inOff, len, out, outOff);
                MemorySegment tag = MemorySegment.ofArray(out).asSlice(outOff + len, Aead.TAG_LENGTH);
                int rc = (int) CIPHER_FINAL.invokeExact(ctx, tag, MemorySegment.ofArray(outLen));
                if (rc == 1) {
                    rc = (int) CTX_CTRL.invokeExact(ctx, EVP_CTRL_AEAD_GET_TAG, Aead.TAG_LENGTH, tag);
                }
                if (rc != 1) {
                    throw new IllegalStateException("OpenSSL ChaCha20-Poly1305 finalisation failed");
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("OpenSSL ChaCha20-Poly1305 call failed", t);
            }
        }

        /**
         * Opens ciphertext {@code in[inOff, inOff+ctLen)} followed by its tag into {@code out[outOff..]}.
         * OpenSSL writes the plaintext before it checks the tag: on false the caller must wipe it.
         */
        boolean open(byte[] nonce, byte[] aad, byte[] in, int inOff, int ctLen, byte[] out, int outOff) {
            try {
                start(nonce, aad);
                int rc = (int) CTX_CTRL.invokeExact(ctx, EVP_CTRL_AEAD_SET_TAG, Aead.TAG_LENGTH,
                        MemorySegment.ofArray(in).asSlice(inOff + ctLen, Aead.TAG_LENGTH));
                if (rc != 1) {
                    throw new IllegalStateException("OpenSSL ChaCha20-Poly1305 refused the tag");
                }
                crypt(in, inOff, ctLen, out, outOff);
                return (int) CIPHER_FINAL.invokeExact(ctx, MemorySegment.ofArray(out).asSlice(outOff + ctLen, 0),
                        MemorySegment.ofArray(outLen)) == 1;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("OpenSSL ChaCha20-Poly1305 call failed", t);
            }
        }

        @Override
        public void close() {
            cleanable.clean();
        }
    }
}
