package org.aivillage.betanet.crypto;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system's libsodium through the Foreign Function API, for the primitives where it wins in
 * docs/benchmarks.md: X25519 (crypto_scalarmult_curve25519, about 2.8x faster than BouncyCastle
 * on the development box) and ChaCha20-Poly1305 for short messages
 * (crypto_aead_chacha20poly1305_ietf_*_detached: no per-key set-up, so it also wins when every
 * message has a fresh key, as in a Noise handshake). The library is used only when all of these
 * hold, otherwise the flags below are false and the facade stays on BouncyCastle / the JDK, silently:
 *
 * <ul>
 *   <li>native access is enabled for this code ({@code --enable-native-access=ALL-UNNAMED}, or the
 *       {@code Enable-Native-Access} manifest attribute of the launched jar), so the JVM prints no
 *       restricted-method warning;
 *   <li>a libsodium shared library loads ({@code libsodium.so.23/.26/.so}, or the macOS names) and
 *       {@code sodium_init()} succeeds;
 *   <li>each primitive passes a known-answer self-test (RFC 7748 §5.2, RFC 8439 §2.8.2);
 *   <li>for X25519, the system property {@code aivillage.crypto.x25519} is not {@code bouncycastle}
 *       (ChaCha20-Poly1305 has its own switch, see {@link ChaCha20Poly1305Aead}).
 * </ul>
 *
 * <p>Every call passes Java heap arrays straight to the C function ({@link Linker.Option#critical}
 * with heap access): no copies and no native buffers. Callers keep each call short (one message).
 */
final class Sodium {
    private static final Logger LOG = LoggerFactory.getLogger(Sodium.class);
    private static final List<String> LIBRARY_NAMES = List.of(
            "libsodium.so.23", "libsodium.so.26", "libsodium.so", "libsodium.dylib", "libsodium.23.dylib", "libsodium.26.dylib");

    private static final MethodHandle SCALARMULT;
    private static final MethodHandle AEAD_SEAL;
    private static final MethodHandle AEAD_OPEN;
    private static final MethodHandle ED_BASE;
    private static final MethodHandle ED_MUL;
    private static final MethodHandle SC_REDUCE;
    private static final MethodHandle SC_MUL;
    private static final MethodHandle SC_ADD;
    /** True when libsodium's constant-time edwards25519 group and scalar operations can be used (ECVRF proofs). */
    static final boolean ED25519_AVAILABLE;
    /** True when X25519 runs on libsodium in this JVM. */
    static final boolean AVAILABLE;
    /** True when libsodium's ChaCha20-Poly1305 (IETF, 96-bit nonce) can be used in this JVM. */
    static final boolean AEAD_AVAILABLE;
    static final String DESCRIPTION;

    static {
        MethodHandle mult = null;
        MethodHandle seal = null;
        MethodHandle open = null;
        MethodHandle[] ed = null;
        String name = null;
        try {
            NativeLibrary loaded = NativeLibrary.load(Sodium.class, LIBRARY_NAMES);
            if (loaded != null) {
                SymbolLookup lib = loaded.lookup();
                name = loaded.name();
                Linker linker = Linker.nativeLinker();
                MethodHandle init = linker.downcallHandle(lib.find("sodium_init").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT));
                if ((int) init.invokeExact() >= 0) {
                    ValueLayout a = ValueLayout.ADDRESS;
                    ValueLayout i = ValueLayout.JAVA_INT;
                    ValueLayout j = ValueLayout.JAVA_LONG;
                    Linker.Option heap = Linker.Option.critical(true);
                    MethodHandle m = linker.downcallHandle(lib.find("crypto_scalarmult_curve25519").orElseThrow(),
                            FunctionDescriptor.of(i, a, a, a), heap);
                    if (!System.getProperty("aivillage.crypto.x25519", "auto").equals("bouncycastle") && selfTest(m)) {
                        mult = m;
                    }
                    // int f(c, mac, maclen_p, m, mlen, ad, adlen, nsec, npub, k)
                    MethodHandle s = linker.downcallHandle(
                            lib.find("crypto_aead_chacha20poly1305_ietf_encrypt_detached").orElseThrow(),
                            FunctionDescriptor.of(i, a, a, a, a, j, a, j, a, a, a), heap);
                    // int f(m, nsec, c, clen, mac, ad, adlen, npub, k)
                    MethodHandle o = linker.downcallHandle(
                            lib.find("crypto_aead_chacha20poly1305_ietf_decrypt_detached").orElseThrow(),
                            FunctionDescriptor.of(i, a, a, a, j, a, a, j, a, a), heap);
                    if (aeadSelfTest(s, o)) {
                        seal = s;
                        open = o;
                    }
                    ed = ed25519Handles(linker, lib, heap);
                }
            }
        } catch (Throwable t) {
            LOG.debug("libsodium not used: {}", t.toString());
            mult = null;
            seal = null;
            open = null;
            ed = null;
        }
        SCALARMULT = mult;
        AEAD_SEAL = seal;
        AEAD_OPEN = open;
        ED_BASE = ed == null ? null : ed[0];
        ED_MUL = ed == null ? null : ed[1];
        SC_REDUCE = ed == null ? null : ed[2];
        SC_MUL = ed == null ? null : ed[3];
        SC_ADD = ed == null ? null : ed[4];
        ED25519_AVAILABLE = ed != null;
        AVAILABLE = mult != null;
        AEAD_AVAILABLE = seal != null;
        DESCRIPTION = AVAILABLE ? "libsodium (" + name + ", Foreign Function API)" : "bouncycastle";
        LOG.debug("X25519 implementation: {}; libsodium ChaCha20-Poly1305: {}; libsodium edwards25519: {}", DESCRIPTION,
                AEAD_AVAILABLE, ED25519_AVAILABLE);
    }

    private Sodium() {}

    private static boolean selfTest(MethodHandle mult) throws Throwable {
        HexFormat hex = HexFormat.of();
        byte[] k = hex.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        byte[] u = hex.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
        byte[] out = new byte[32];
        int rc = (int) mult.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(k), MemorySegment.ofArray(u));
        return rc == 0 && Arrays.equals(out,
                hex.parseHex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"));
    }

    /**
     * out = X25519(scalar, u). Returns false when libsodium refuses: a small-order u, whose result
     * would be all zeros (RFC 7748 §6.1).
     */
    static boolean scalarMult(byte[] scalar, byte[] u, byte[] out) {
        try {
            int rc = (int) SCALARMULT.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(scalar),
                    MemorySegment.ofArray(u));
            return rc == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("libsodium X25519 call failed", t);
        }
    }

    /** RFC 8439 §2.8.2: seal must give the published ciphertext and tag, open must invert it and refuse a flipped tag. */
    private static boolean aeadSelfTest(MethodHandle seal, MethodHandle open) throws Throwable {
        byte[][] v = Rfc8439.vector();
        byte[] key = v[0], nonce = v[1], aad = v[2], pt = v[3], expected = v[4];
        byte[] ct = new byte[pt.length + 16];
        int rc = (int) seal.invokeExact(MemorySegment.ofArray(ct).asSlice(0, pt.length),
                MemorySegment.ofArray(ct).asSlice(pt.length, 16), MemorySegment.NULL, MemorySegment.ofArray(pt),
                (long) pt.length, MemorySegment.ofArray(aad), (long) aad.length, MemorySegment.NULL,
                MemorySegment.ofArray(nonce), MemorySegment.ofArray(key));
        if (rc != 0 || !Arrays.equals(ct, expected)) {
            return false;
        }
        byte[] back = new byte[pt.length];
        rc = (int) open.invokeExact(MemorySegment.ofArray(back), MemorySegment.NULL,
                MemorySegment.ofArray(ct).asSlice(0, pt.length), (long) pt.length,
                MemorySegment.ofArray(ct).asSlice(pt.length, 16), MemorySegment.ofArray(aad), (long) aad.length,
                MemorySegment.ofArray(nonce), MemorySegment.ofArray(key));
        if (rc != 0 || !Arrays.equals(back, pt)) {
            return false;
        }
        ct[pt.length] ^= 1;
        rc = (int) open.invokeExact(MemorySegment.ofArray(back), MemorySegment.NULL,
                MemorySegment.ofArray(ct).asSlice(0, pt.length), (long) pt.length,
                MemorySegment.ofArray(ct).asSlice(pt.length, 16), MemorySegment.ofArray(aad), (long) aad.length,
                MemorySegment.ofArray(nonce), MemorySegment.ofArray(key));
        return rc != 0;
    }

    /**
     * ChaCha20-Poly1305 (IETF) seal of {@code in[inOff, inOff+inLen)} into {@code out[outOff..]}:
     * ciphertext then the 16-byte tag. {@code in} and {@code out} may be the same region, but must
     * not overlap otherwise (the caller copies).
     */
    static void aeadSeal(byte[] key, byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        MemorySegment ad = aad == null ? MemorySegment.NULL : MemorySegment.ofArray(aad);
        long adLen = aad == null ? 0 : aad.length;
        int rc;
        try {
            rc = (int) AEAD_SEAL.invokeExact(MemorySegment.ofArray(out).asSlice(outOff, inLen),
                    MemorySegment.ofArray(out).asSlice(outOff + inLen, 16), MemorySegment.NULL,
                    MemorySegment.ofArray(in).asSlice(inOff, inLen), (long) inLen, ad, adLen, MemorySegment.NULL,
                    MemorySegment.ofArray(nonce), MemorySegment.ofArray(key));
        } catch (Throwable t) {
            throw new IllegalStateException("libsodium ChaCha20-Poly1305 call failed", t);
        }
        if (rc != 0) {
            throw new IllegalStateException("libsodium ChaCha20-Poly1305 encryption failed (" + rc + ")");
        }
    }

    /**
     * ChaCha20-Poly1305 (IETF) open of ciphertext {@code in[inOff, inOff+ctLen)} with the tag
     * following it, plaintext into {@code out[outOff..]}. libsodium verifies the tag before it
     * decrypts, so on false nothing was written.
     */
    static boolean aeadOpen(byte[] key, byte[] nonce, byte[] aad, byte[] in, int inOff, int ctLen, byte[] out, int outOff) {
        MemorySegment ad = aad == null ? MemorySegment.NULL : MemorySegment.ofArray(aad);
        long adLen = aad == null ? 0 : aad.length;
        try {
            int rc = (int) AEAD_OPEN.invokeExact(MemorySegment.ofArray(out).asSlice(outOff, ctLen), MemorySegment.NULL,
                    MemorySegment.ofArray(in).asSlice(inOff, ctLen), (long) ctLen,
                    MemorySegment.ofArray(in).asSlice(inOff + ctLen, 16), ad, adLen,
                    MemorySegment.ofArray(nonce), MemorySegment.ofArray(key));
            return rc == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("libsodium ChaCha20-Poly1305 call failed", t);
        }
    }

    /** The edwards25519 functions (libsodium 1.0.18 and later), or null when one is missing or fails its self-test. */
    private static MethodHandle[] ed25519Handles(Linker linker, SymbolLookup lib, Linker.Option heap) {
        ValueLayout a = ValueLayout.ADDRESS;
        ValueLayout i = ValueLayout.JAVA_INT;
        try {
            // int f(q, n) / int f(q, n, p) / void f(r, s64) / void f(z, x, y) / void f(z, x, y)
            MethodHandle[] e = {
                linker.downcallHandle(lib.find("crypto_scalarmult_ed25519_base_noclamp").orElseThrow(),
                        FunctionDescriptor.of(i, a, a), heap),
                linker.downcallHandle(lib.find("crypto_scalarmult_ed25519_noclamp").orElseThrow(),
                        FunctionDescriptor.of(i, a, a, a), heap),
                linker.downcallHandle(lib.find("crypto_core_ed25519_scalar_reduce").orElseThrow(),
                        FunctionDescriptor.ofVoid(a, a), heap),
                linker.downcallHandle(lib.find("crypto_core_ed25519_scalar_mul").orElseThrow(),
                        FunctionDescriptor.ofVoid(a, a, a), heap),
                linker.downcallHandle(lib.find("crypto_core_ed25519_scalar_add").orElseThrow(),
                        FunctionDescriptor.ofVoid(a, a, a), heap)};
            return ed25519SelfTest(e) ? e : null;
        } catch (Throwable t) {
            LOG.debug("libsodium edwards25519 not used: {}", t.toString());
            return null;
        }
    }

    /**
     * RFC 8032 §7.1 test 1: the public key of its secret key from the clamped, reduced scalar by both
     * scalar multiplications (base and variable base), and 2 x 3 + 1 = 7 by the scalar operations.
     */
    private static boolean ed25519SelfTest(MethodHandle[] e) throws Throwable {
        HexFormat hex = HexFormat.of();
        byte[] h = Hashes.sha512(hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        byte[] wide = EcVrf.clampedWide(h);
        byte[] x = new byte[32];
        e[2].invokeExact(MemorySegment.ofArray(x), MemorySegment.ofArray(wide));
        byte[] pk = hex.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] viaBase = new byte[32];
        byte[] viaMul = new byte[32];
        byte[] one = new byte[32];
        one[0] = 1;
        byte[] base = new byte[32];
        if ((int) e[0].invokeExact(MemorySegment.ofArray(base), MemorySegment.ofArray(one)) != 0
                || (int) e[0].invokeExact(MemorySegment.ofArray(viaBase), MemorySegment.ofArray(x)) != 0
                || (int) e[1].invokeExact(MemorySegment.ofArray(viaMul), MemorySegment.ofArray(x), MemorySegment.ofArray(base)) != 0) {
            return false;
        }
        byte[] two = new byte[32];
        two[0] = 2;
        byte[] three = new byte[32];
        three[0] = 3;
        byte[] six = new byte[32];
        byte[] seven = new byte[32];
        e[3].invokeExact(MemorySegment.ofArray(six), MemorySegment.ofArray(two), MemorySegment.ofArray(three));
        e[4].invokeExact(MemorySegment.ofArray(seven), MemorySegment.ofArray(six), MemorySegment.ofArray(one));
        byte[] expectedSeven = new byte[32];
        expectedSeven[0] = 7;
        return Arrays.equals(viaBase, pk) && Arrays.equals(viaMul, pk) && Arrays.equals(seven, expectedSeven);
    }

    /** {@code out} = encoding of n·B, for a scalar n below 2^255 (constant time); false when n·B is the identity. */
    static boolean ed25519Base(byte[] n, byte[] out) {
        try {
            return (int) ED_BASE.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(n)) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("libsodium edwards25519 call failed", t);
        }
    }

    /**
     * {@code out} = encoding of n·P (constant time); false when P is not a canonical point of the
     * prime-order subgroup or the result is the identity.
     */
    static boolean ed25519Mul(byte[] n, byte[] p, byte[] out) {
        try {
            return (int) ED_MUL.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(n), MemorySegment.ofArray(p)) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("libsodium edwards25519 call failed", t);
        }
    }

    /** {@code out} (32 bytes) = the 64-byte little-endian {@code wide} mod L (constant time). */
    static void scalarReduce(byte[] wide, byte[] out) {
        try {
            SC_REDUCE.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(wide));
        } catch (Throwable t) {
            throw new IllegalStateException("libsodium scalar call failed", t);
        }
    }

    /** {@code out} = x·y mod L (constant time). */
    static void scalarMul(byte[] x, byte[] y, byte[] out) {
        try {
            SC_MUL.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(x), MemorySegment.ofArray(y));
        } catch (Throwable t) {
            throw new IllegalStateException("libsodium scalar call failed", t);
        }
    }

    /** {@code out} = x + y mod L (constant time). */
    static void scalarAdd(byte[] x, byte[] y, byte[] out) {
        try {
            SC_ADD.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(x), MemorySegment.ofArray(y));
        } catch (Throwable t) {
            throw new IllegalStateException("libsodium scalar call failed", t);
        }
    }
}
