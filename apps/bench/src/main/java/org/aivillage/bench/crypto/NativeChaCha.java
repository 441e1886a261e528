package org.aivillage.bench.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Direct bindings to libsodium's and OpenSSL's ChaCha20-Poly1305 for {@link AeadBench}, so the
 * raw libraries can be measured beside the facade (which uses them through package-private
 * classes). Heap arrays go straight to C (critical downcalls), as in the facade. Needs
 * {@code --enable-native-access=ALL-UNNAMED}, libsodium23 and libssl3.
 */
final class NativeChaCha {
    private static final ValueLayout A = ValueLayout.ADDRESS;
    private static final ValueLayout I = ValueLayout.JAVA_INT;
    private static final ValueLayout J = ValueLayout.JAVA_LONG;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option HEAP = Linker.Option.critical(true);

    private NativeChaCha() {}

    /** libsodium crypto_aead_chacha20poly1305_ietf_{encrypt,decrypt}_detached. */
    static final class Sodium {
        private static final MethodHandle SEAL;
        private static final MethodHandle OPEN;

        static {
            SymbolLookup lib = SymbolLookup.libraryLookup("libsodium.so.23", Arena.global());
            try {
                int rc = (int) LINKER.downcallHandle(lib.find("sodium_init").orElseThrow(), FunctionDescriptor.of(I)).invokeExact();
                if (rc < 0) {
                    throw new IllegalStateException("sodium_init failed");
                }
            } catch (Throwable t) {
                throw new ExceptionInInitializerError(t);
            }
            SEAL = LINKER.downcallHandle(lib.find("crypto_aead_chacha20poly1305_ietf_encrypt_detached").orElseThrow(),
                    FunctionDescriptor.of(I, A, A, A, A, J, A, J, A, A, A), HEAP);
            OPEN = LINKER.downcallHandle(lib.find("crypto_aead_chacha20poly1305_ietf_decrypt_detached").orElseThrow(),
                    FunctionDescriptor.of(I, A, A, A, J, A, A, J, A, A), HEAP);
        }

        private Sodium() {}

        static int seal(byte[] key, byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) throws Throwable {
            int rc = (int) SEAL.invokeExact(MemorySegment.ofArray(out).asSlice(0, len), MemorySegment.ofArray(out).asSlice(len, 16),
                    MemorySegment.NULL, MemorySegment.ofArray(in), (long) len, MemorySegment.ofArray(aad), (long) aad.length,
                    MemorySegment.NULL, MemorySegment.ofArray(nonce), MemorySegment.ofArray(key));
            return rc == 0 ? len + 16 : -1;
        }

        static int open(byte[] key, byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) throws Throwable {
            int rc = (int) OPEN.invokeExact(MemorySegment.ofArray(out), MemorySegment.NULL, MemorySegment.ofArray(in).asSlice(0, len - 16),
                    (long) (len - 16), MemorySegment.ofArray(in).asSlice(len - 16, 16), MemorySegment.ofArray(aad), (long) aad.length,
                    MemorySegment.ofArray(nonce), MemorySegment.ofArray(key));
            if (rc != 0) {
                throw new IllegalStateException("libsodium refused the tag");
            }
            return len - 16;
        }
    }

    /** OpenSSL EVP ChaCha20-Poly1305 with one context per direction, keyed once. */
    static final class OpenSsl {
        private static final MethodHandle INIT;
        private static final MethodHandle UPDATE;
        private static final MethodHandle FINAL;
        private static final MethodHandle CTRL;
        private static final MethodHandle NEW;
        private static final MemorySegment CIPHER;

        static {
            SymbolLookup lib = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
            INIT = LINKER.downcallHandle(lib.find("EVP_CipherInit_ex").orElseThrow(), FunctionDescriptor.of(I, A, A, A, A, A, I), HEAP);
            UPDATE = LINKER.downcallHandle(lib.find("EVP_CipherUpdate").orElseThrow(), FunctionDescriptor.of(I, A, A, A, A, I), HEAP);
            FINAL = LINKER.downcallHandle(lib.find("EVP_CipherFinal_ex").orElseThrow(), FunctionDescriptor.of(I, A, A, A), HEAP);
            CTRL = LINKER.downcallHandle(lib.find("EVP_CIPHER_CTX_ctrl").orElseThrow(), FunctionDescriptor.of(I, A, I, I, A), HEAP);
            NEW = LINKER.downcallHandle(lib.find("EVP_CIPHER_CTX_new").orElseThrow(), FunctionDescriptor.of(A));
            try {
                CIPHER = (MemorySegment) LINKER.downcallHandle(lib.find("EVP_chacha20_poly1305").orElseThrow(),
                        FunctionDescriptor.of(A)).invokeExact();
            } catch (Throwable t) {
                throw new ExceptionInInitializerError(t);
            }
        }

        private final MemorySegment ctx;
        private final int enc;
        private final int[] outLen = new int[1];

        /** A context for one direction; the benchmark JVM exits without freeing it. */
        OpenSsl(byte[] key, boolean encrypt) throws Throwable {
            ctx = (MemorySegment) NEW.invokeExact();
            enc = encrypt ? 1 : 0;
            int rc = (int) INIT.invokeExact(ctx, CIPHER, MemorySegment.NULL, MemorySegment.ofArray(key), MemorySegment.NULL, enc);
            if (rc != 1) {
                throw new IllegalStateException("EVP_CipherInit_ex failed");
            }
        }

        int seal(byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) throws Throwable {
            MemorySegment o = MemorySegment.ofArray(out);
            MemorySegment ol = MemorySegment.ofArray(outLen);
            int rc = (int) INIT.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.ofArray(nonce), enc);
            rc &= (int) UPDATE.invokeExact(ctx, MemorySegment.NULL, ol, MemorySegment.ofArray(aad), aad.length);
            rc &= (int) UPDATE.invokeExact(ctx, o.asSlice(0, len), ol, MemorySegment.ofArray(in).asSlice(0, len), len);
            rc &= (int) FINAL.invokeExact(ctx, o.asSlice(len, 16), ol);
            rc &= (int) CTRL.invokeExact(ctx, 0x10, 16, o.asSlice(len, 16));
            return rc == 1 ? len + 16 : -1;
        }

        int open(byte[] nonce, byte[] aad, byte[] in, int len, byte[] out) throws Throwable {
            MemorySegment i = MemorySegment.ofArray(in);
            MemorySegment ol = MemorySegment.ofArray(outLen);
            int ct = len - 16;
            int rc = (int) INIT.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.ofArray(nonce), enc);
            rc &= (int) CTRL.invokeExact(ctx, 0x11, 16, i.asSlice(ct, 16));
            rc &= (int) UPDATE.invokeExact(ctx, MemorySegment.NULL, ol, MemorySegment.ofArray(aad), aad.length);
            rc &= (int) UPDATE.invokeExact(ctx, MemorySegment.ofArray(out).asSlice(0, ct), ol, i.asSlice(0, ct), ct);
            rc &= (int) FINAL.invokeExact(ctx, MemorySegment.ofArray(out).asSlice(ct, 0), ol);
            if (rc != 1) {
                throw new IllegalStateException("OpenSSL refused the tag");
            }
            return ct;
        }
    }
}
