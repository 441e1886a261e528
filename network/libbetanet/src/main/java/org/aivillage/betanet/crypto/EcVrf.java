package org.aivillage.betanet.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * ECVRF-EDWARDS25519-SHA512-TAI (RFC 9381, suite 0x03): a verifiable random function on Ed25519 keys
 * (32-byte RFC 8032 secret seed, 32-byte public key). {@link #prove} gives an 80-byte proof, {@link
 * #proofToHash} the 64-byte output, {@link #verify} checks a proof against a public key.
 *
 * <p>Everything that touches the secret key ({@link #prove}, {@link #publicKey}) runs on libsodium's
 * constant-time edwards25519 operations when they are available (native access enabled and a
 * libsodium of 1.0.18 or later loaded; see {@code Sodium}): the scalar multiplications x·B, x·H,
 * k·B, k·H and the scalar arithmetic k + c·x mod L. The rest works on public values only: hashing
 * to the curve (try-and-increment, whose running time depends on the public key and alpha only),
 * the challenge hash, and {@link #verify}, on plain {@link BigInteger} arithmetic in extended
 * coordinates. Without libsodium {@link #prove} falls back to that arithmetic, which is correct
 * (the same RFC vectors pass on both paths) but not constant-time; {@link #constantTime()} says
 * which path is in use.
 */
public final class EcVrf {
    public static final int PROOF_LENGTH = 80;
    public static final int OUTPUT_LENGTH = 64;
    private static final byte SUITE = 0x03;
    private static final int C_LEN = 16;

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger Q = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final BigInteger D2 = D.shiftLeft(1).mod(P);
    private static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
    private static final Point IDENTITY = new Point(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO);
    private static final Point BASE;

    static {
        BigInteger by = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
        byte[] enc = toLe(by, 32);
        BASE = decode(enc);
    }

    private EcVrf() {}

    /** Whether {@link #prove} and {@link #publicKey} run in constant time (on libsodium) in this JVM. */
    public static boolean constantTime() {
        return Sodium.ED25519_AVAILABLE;
    }

    /** The Ed25519 public key of a 32-byte secret seed (same as {@link Ed25519#publicKey}). */
    public static byte[] publicKey(byte[] secretKey) {
        if (Sodium.ED25519_AVAILABLE) {
            byte[] h512 = Hashes.sha512(secretKey);
            byte[] x = reducedSecretScalar(h512);
            byte[] y = new byte[32];
            try {
                if (!Sodium.ed25519Base(x, y)) {
                    throw new IllegalStateException("x·B is the identity");
                }
                return y;
            } finally {
                ConstantTime.wipe(h512);
                ConstantTime.wipe(x);
            }
        }
        return encode(BASE.mul(secretScalar(secretKey)));
    }

    /** ECVRF_prove (RFC 9381 §5.1): the 80-byte proof pi = Gamma || c || s. */
    public static byte[] prove(byte[] secretKey, byte[] alpha) {
        if (secretKey == null || secretKey.length != 32) {
            throw new IllegalArgumentException("VRF secret key must be 32 bytes");
        }
        return Sodium.ED25519_AVAILABLE ? proveConstantTime(secretKey, alpha) : proveVariableTime(secretKey, alpha);
    }

    /** {@link #prove} on libsodium's constant-time group and scalar operations. */
    static byte[] proveConstantTime(byte[] secretKey, byte[] alpha) {
        byte[] h512 = Hashes.sha512(secretKey);
        byte[] x = reducedSecretScalar(h512);
        byte[] y = new byte[32];
        byte[] gamma = new byte[32];
        byte[] u = new byte[32];
        byte[] v = new byte[32];
        byte[] k = new byte[32];
        byte[] cx = new byte[32];
        byte[] s = new byte[32];
        byte[] kString = null;
        try {
            if (!Sodium.ed25519Base(x, y)) {
                throw new IllegalStateException("x·B is the identity");
            }
            byte[] hString = encode(encodeToCurve(y, alpha));
            if (!Sodium.ed25519Mul(x, hString, gamma)) {
                throw new IllegalStateException("x·H failed");
            }
            // ECVRF_nonce_generation_RFC8032 (§5.4.2.2): k = SHA-512(h[32..64) || H) mod L.
            kString = Hashes.sha512(Arrays.copyOfRange(h512, 32, 64), hString);
            Sodium.scalarReduce(kString, k);
            if (!Sodium.ed25519Base(k, u) || !Sodium.ed25519Mul(k, hString, v)) {
                throw new IllegalStateException("k·B or k·H is the identity");
            }
            byte[] c = challenge(y, hString, gamma, u, v);
            byte[] c32 = Arrays.copyOf(c, 32);
            Sodium.scalarMul(c32, x, cx);
            Sodium.scalarAdd(k, cx, s);
            byte[] pi = new byte[PROOF_LENGTH];
            System.arraycopy(gamma, 0, pi, 0, 32);
            System.arraycopy(c, 0, pi, 32, C_LEN);
            System.arraycopy(s, 0, pi, 48, 32);
            return pi;
        } finally {
            ConstantTime.wipe(h512);
            ConstantTime.wipe(x);
            ConstantTime.wipe(k);
            ConstantTime.wipe(cx);
            ConstantTime.wipe(s);
            if (kString != null) {
                ConstantTime.wipe(kString);
            }
        }
    }

    /**
     * RFC 8032 §5.1.5's clamped scalar from the first half of SHA-512(secret key), as a 64-byte
     * little-endian number (upper half zero), the input form of a reduction mod L. The caller wipes it.
     */
    static byte[] clampedWide(byte[] h512) {
        byte[] wide = new byte[64];
        System.arraycopy(h512, 0, wide, 0, 32);
        wide[0] &= (byte) 248;
        wide[31] &= 127;
        wide[31] |= 64;
        return wide;
    }

    /** The clamped secret scalar reduced mod L (the same point multiples, a canonical scalar). */
    private static byte[] reducedSecretScalar(byte[] h512) {
        byte[] wide = clampedWide(h512);
        byte[] x = new byte[32];
        Sodium.scalarReduce(wide, x);
        ConstantTime.wipe(wide);
        return x;
    }

    /** {@link #prove} on {@link BigInteger} arithmetic: correct, not constant-time (the fallback). */
    static byte[] proveVariableTime(byte[] secretKey, byte[] alpha) {
        byte[] h512 = Hashes.sha512(secretKey);
        BigInteger x = clampedScalar(h512);
        Point y = BASE.mul(x);
        byte[] pk = encode(y);
        Point h = encodeToCurve(pk, alpha);
        byte[] hString = encode(h);
        Point gamma = h.mul(x);
        byte[] kString = Hashes.sha512(Arrays.copyOfRange(h512, 32, 64), hString);
        BigInteger k = fromLe(kString).mod(Q);
        BigInteger c = challenge(y, h, gamma, BASE.mul(k), h.mul(k));
        BigInteger s = k.add(c.multiply(x)).mod(Q);
        ConstantTime.wipe(h512);
        ConstantTime.wipe(kString);
        byte[] pi = new byte[PROOF_LENGTH];
        System.arraycopy(encode(gamma), 0, pi, 0, 32);
        System.arraycopy(toLe(c, C_LEN), 0, pi, 32, C_LEN);
        System.arraycopy(toLe(s, 32), 0, pi, 48, 32);
        return pi;
    }

    /** ECVRF_proof_to_hash (RFC 9381 §5.2): the 64-byte output beta of a (well-formed) proof. */
    public static byte[] proofToHash(byte[] pi) throws CryptoException {
        Point gamma = decodeProofPoint(pi);
        return Hashes.sha512(new byte[] {SUITE, 0x03}, encode(gamma.mul8()), new byte[] {0x00});
    }

    /**
     * ECVRF_verify (RFC 9381 §5.3, with public-key validation): true iff pi is a valid proof for alpha
     * under the public key. Never throws on malformed input.
     */
    public static boolean verify(byte[] publicKey, byte[] alpha, byte[] pi) {
        if (publicKey == null || publicKey.length != 32 || pi == null || pi.length != PROOF_LENGTH) {
            return false;
        }
        Point y = decode(publicKey);
        if (y == null || y.mul8().isIdentity()) {
            return false;
        }
        Point gamma = decode(Arrays.copyOfRange(pi, 0, 32));
        if (gamma == null) {
            return false;
        }
        BigInteger c = fromLe(Arrays.copyOfRange(pi, 32, 48));
        BigInteger s = fromLe(Arrays.copyOfRange(pi, 48, 80));
        if (s.compareTo(Q) >= 0) {
            return false;
        }
        Point h = encodeToCurve(publicKey, alpha);
        Point u = BASE.mul(s).add(y.mul(c).negate());
        Point v = h.mul(s).add(gamma.mul(c).negate());
        return challenge(y, h, gamma, u, v).equals(c);
    }

    private static Point decodeProofPoint(byte[] pi) throws CryptoException {
        if (pi == null || pi.length != PROOF_LENGTH) {
            throw new CryptoException("VRF proof must be 80 bytes");
        }
        Point gamma = decode(Arrays.copyOfRange(pi, 0, 32));
        if (gamma == null) {
            throw new CryptoException("VRF proof: Gamma is not a curve point");
        }
        return gamma;
    }

    private static BigInteger secretScalar(byte[] secretKey) {
        byte[] h = Hashes.sha512(secretKey);
        BigInteger x = clampedScalar(h);
        ConstantTime.wipe(h);
        return x;
    }

    private static BigInteger clampedScalar(byte[] h512) {
        byte[] a = clampedWide(h512);
        BigInteger x = fromLe(a);
        ConstantTime.wipe(a);
        return x;
    }

    /** ECVRF_encode_to_curve_try_and_increment (RFC 9381 §5.4.1.1), salt = PK_string. */
    private static Point encodeToCurve(byte[] salt, byte[] alpha) {
        for (int ctr = 0; ctr < 256; ctr++) {
            byte[] hash = Hashes.sha512(new byte[] {SUITE, 0x01}, salt, alpha, new byte[] {(byte) ctr, 0x00});
            Point h = decode(Arrays.copyOf(hash, 32));
            if (h != null) {
                return h.mul8();
            }
        }
        throw new IllegalStateException("encode_to_curve found no point in 256 tries");
    }

    /** ECVRF_challenge_generation (RFC 9381 §5.4.3). */
    private static BigInteger challenge(Point p1, Point p2, Point p3, Point p4, Point p5) {
        return fromLe(challenge(encode(p1), encode(p2), encode(p3), encode(p4), encode(p5)));
    }

    /** ECVRF_challenge_generation over encoded points: the 16-byte c string. */
    private static byte[] challenge(byte[] p1, byte[] p2, byte[] p3, byte[] p4, byte[] p5) {
        byte[] c = Hashes.sha512(new byte[] {SUITE, 0x02}, p1, p2, p3, p4, p5, new byte[] {0x00});
        return Arrays.copyOf(c, C_LEN);
    }

    // ---- edwards25519 arithmetic (RFC 8032 §5.1) ----

    private record Point(BigInteger x, BigInteger y, BigInteger z, BigInteger t) {
        Point add(Point o) {
            BigInteger a = y.subtract(x).multiply(o.y.subtract(o.x)).mod(P);
            BigInteger b = y.add(x).multiply(o.y.add(o.x)).mod(P);
            BigInteger c = t.multiply(D2).mod(P).multiply(o.t).mod(P);
            BigInteger d = z.shiftLeft(1).multiply(o.z).mod(P);
            BigInteger e = b.subtract(a);
            BigInteger f = d.subtract(c);
            BigInteger g = d.add(c);
            BigInteger h = b.add(a);
            return new Point(e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P));
        }

        Point dbl() {
            BigInteger a = x.multiply(x).mod(P);
            BigInteger b = y.multiply(y).mod(P);
            BigInteger c = z.multiply(z).shiftLeft(1).mod(P);
            BigInteger h = a.add(b);
            BigInteger xy = x.add(y);
            BigInteger e = h.subtract(xy.multiply(xy)).mod(P);
            BigInteger g = a.subtract(b);
            BigInteger f = c.add(g);
            return new Point(e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P));
        }

        Point negate() {
            return new Point(P.subtract(x).mod(P), y, z, P.subtract(t).mod(P));
        }

        Point mul(BigInteger k) {
            Point r = IDENTITY;
            for (int i = k.bitLength() - 1; i >= 0; i--) {
                r = r.dbl();
                if (k.testBit(i)) {
                    r = r.add(this);
                }
            }
            return r;
        }

        Point mul8() {
            return dbl().dbl().dbl();
        }

        boolean isIdentity() {
            return x.mod(P).signum() == 0 && y.subtract(z).mod(P).signum() == 0;
        }
    }

    private static byte[] encode(Point p) {
        BigInteger zi = p.z.modInverse(P);
        BigInteger x = p.x.multiply(zi).mod(P);
        BigInteger y = p.y.multiply(zi).mod(P);
        byte[] out = toLe(y, 32);
        if (x.testBit(0)) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    /** RFC 8032 §5.1.3 point decoding; null when the string is not a valid encoding. */
    private static Point decode(byte[] s) {
        byte[] b = s.clone();
        boolean sign = (b[31] & 0x80) != 0;
        b[31] &= 0x7f;
        BigInteger y = fromLe(b);
        if (y.compareTo(P) >= 0) {
            return null;
        }
        BigInteger y2 = y.multiply(y).mod(P);
        BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
        BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P);
        BigInteger v3 = v.modPow(BigInteger.valueOf(3), P);
        BigInteger v7 = v3.multiply(v3).multiply(v).mod(P);
        BigInteger x = u.multiply(v3).multiply(u.multiply(v7).modPow(P.subtract(BigInteger.valueOf(5)).shiftRight(3), P)).mod(P);
        BigInteger vx2 = v.multiply(x).multiply(x).mod(P);
        if (!vx2.equals(u)) {
            if (vx2.equals(P.subtract(u).mod(P))) {
                x = x.multiply(SQRT_M1).mod(P);
            } else {
                return null;
            }
        }
        if (x.signum() == 0 && sign) {
            return null;
        }
        if (x.testBit(0) != sign) {
            x = P.subtract(x);
        }
        return new Point(x, y, BigInteger.ONE, x.multiply(y).mod(P));
    }

    private static BigInteger fromLe(byte[] le) {
        byte[] be = new byte[le.length + 1];
        for (int i = 0; i < le.length; i++) {
            be[be.length - 1 - i] = le[i];
        }
        return new BigInteger(be);
    }

    private static byte[] toLe(BigInteger v, int len) {
        byte[] out = new byte[len];
        byte[] be = v.toByteArray();
        for (int i = 0; i < len && i < be.length; i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }
}
