package org.aivillage.betanet.crypto;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import static org.aivillage.betanet.vectors.VectorFiles.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HexFormat;
import org.aivillage.betanet.vectors.VectorFiles;
import org.aivillage.betanet.vectors.VectorTally;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The crypto facade against Project Wycheproof ({@code ../shared/vectors/wycheproof}). Every vector
 * of every file runs; none is excluded. Result semantics per file:
 *
 * <ul>
 *   <li>x25519: "valid" must produce the shared secret. Every "acceptable" vector is one of two
 *       kinds and both are pinned: an all-zero shared secret (low-order public key) must be
 *       rejected with {@link CryptoException} (RFC 7748 §6.1 check, which Noise permits); any other
 *       acceptable input (twist points, non-canonical u >= p, bit 255 set) must produce exactly the
 *       expected secret (RFC 7748 §5 decoding: mask bit 255, reduce mod p).
 *   <li>chacha20_poly1305 / xchacha20_poly1305: "valid" must seal to ct || tag and open to msg;
 *       "invalid" must be refused: a wrong nonce size with IllegalArgumentException (the facade's
 *       contract for a caller error), a modified ciphertext or tag with AuthenticationFailedException.
 *   <li>ed25519: verify must return true for "valid" and false for "invalid" (no acceptable ones).
 *   <li>hkdf_sha256: "valid" must produce okm; "invalid" (size above 255 * 32) must be refused
 *       with IllegalArgumentException.
 *   <li>mlkem_768 (keygen + decaps): "valid" must derive ek from the 64-byte seed and decapsulate c
 *       to K (implicit rejection included); "invalid" (seed or ciphertext of the wrong length) must
 *       be refused with CryptoException.
 *   <li>mlkem_768_encaps: "valid" must encapsulate deterministically with m to (c, K); "invalid"
 *       (coefficients not reduced mod q, wrong length) must be refused with CryptoException.
 * </ul>
 */
class WycheproofTest {
    private static final HexFormat HEX = HexFormat.of();

    private static JsonNode load(String file) {
        return VectorFiles.json("wycheproof/" + file);
    }

    private static String id(JsonNode t) {
        return "tcId " + t.get("tcId").asInt() + " (" + t.path("comment").asText() + ")";
    }

    /** Signature of the two X25519 paths: the facade (libsodium when available) and BouncyCastle. */
    private interface Dh {
        byte[] apply(byte[] priv, byte[] pub) throws CryptoException;
    }

    @Test
    void x25519Facade() {
        System.out.println("[vectors] X25519 facade implementation: " + X25519.implementation());
        x25519(X25519::sharedSecret, "facade, " + X25519.implementation());
    }

    @Test
    void x25519BouncyCastle() {
        x25519(X25519::sharedSecretBouncyCastle, "bouncycastle");
    }

    private static void x25519(Dh dh, String label) {
        String file = "x25519_test.json";
        JsonNode root = load(file);
        VectorTally tally = new VectorTally(file + " [" + label + "]");
        for (JsonNode g : root.get("testGroups")) {
            assertThat(g.get("curve").asText()).isEqualTo("curve25519");
            for (JsonNode t : g.get("tests")) {
                byte[] pub = hex(t, "public");
                byte[] priv = hex(t, "private");
                byte[] shared = hex(t, "shared");
                String result = t.get("result").asText();
                boolean zero = ConstantTime.isZero(shared);
                try {
                    byte[] got = dh.apply(priv, pub);
                    if (zero) {
                        tally.failed(id(t), "all-zero shared secret was not rejected");
                    } else if (!Arrays.equals(got, shared)) {
                        tally.failed(id(t), "shared secret " + HEX.formatHex(got));
                    } else {
                        tally.ran(result + ": computed");
                    }
                } catch (CryptoException e) {
                    if (zero && result.equals("acceptable")) {
                        tally.ran("acceptable: zero secret rejected");
                    } else {
                        tally.failed(id(t), "rejected: " + e.getMessage());
                    }
                }
            }
        }
        tally.finish(root.get("numberOfTests").asInt());
    }

    @Test
    void chacha20Poly1305() {
        System.out.println("[vectors] ChaCha20-Poly1305 facade implementation: " + ChaCha20Poly1305Aead.description());
        aead("chacha20_poly1305_test.json", Aead.Algorithm.CHACHA20_POLY1305, Aead.Algorithm.CHACHA20_POLY1305::withKey, "facade");
    }

    /**
     * The same file through each implementation the facade may pick, each forced for every size
     * (the facade's size switch alone would leave some untested on these short vectors). A native
     * one that is not usable in this JVM is skipped: the facade does not use it either.
     */
    @ParameterizedTest
    @EnumSource(ChaCha20Poly1305Aead.Backend.class)
    void chacha20Poly1305EachImplementation(ChaCha20Poly1305Aead.Backend backend) {
        assumeTrue(backend.usable(), backend + " is not usable in this JVM (native access or library missing)");
        aead("chacha20_poly1305_test.json", Aead.Algorithm.CHACHA20_POLY1305, key -> new ChaCha20Poly1305Aead(key, backend),
                backend.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void xchacha20Poly1305() {
        aead("xchacha20_poly1305_test.json", Aead.Algorithm.XCHACHA20_POLY1305, Aead.Algorithm.XCHACHA20_POLY1305::withKey, "facade");
    }

    private static void aead(String file, Aead.Algorithm algorithm, java.util.function.Function<byte[], Aead> keyed, String label) {
        JsonNode root = load(file);
        VectorTally tally = new VectorTally(file + " (" + label + ")");
        for (JsonNode g : root.get("testGroups")) {
            assertThat(g.get("keySize").asInt()).isEqualTo(256);
            assertThat(g.get("tagSize").asInt()).isEqualTo(128);
            boolean nonceOk = g.get("ivSize").asInt() == algorithm.nonceLength() * 8;
            for (JsonNode t : g.get("tests")) {
                byte[] key = hex(t, "key");
                byte[] iv = hex(t, "iv");
                byte[] aad = hex(t, "aad");
                byte[] msg = hex(t, "msg");
                byte[] ctTag = concat(hex(t, "ct"), hex(t, "tag"));
                String result = t.get("result").asText();
                Aead aead = keyed.apply(key);
                try {
                    if (!nonceOk) {
                        try {
                            aead.open(iv, aad, ctTag);
                            tally.failed(id(t), "opened with a " + iv.length + "-byte nonce");
                        } catch (IllegalArgumentException | AuthenticationFailedException e) {
                            if (result.equals("valid")) {
                                tally.failed(id(t), "valid vector refused: " + e);
                            } else {
                                tally.ran("invalid: nonce size refused");
                            }
                        }
                        continue;
                    }
                    if (result.equals("valid")) {
                        byte[] sealed = aead.seal(iv, aad, msg);
                        byte[] opened = aead.open(iv, aad, ctTag);
                        if (!Arrays.equals(sealed, ctTag)) {
                            tally.failed(id(t), "seal gave " + HEX.formatHex(sealed));
                        } else if (!Arrays.equals(opened, msg)) {
                            tally.failed(id(t), "open gave " + HEX.formatHex(opened));
                        } else {
                            tally.ran("valid");
                        }
                    } else {
                        try {
                            aead.open(iv, aad, ctTag);
                            tally.failed(id(t), "invalid ciphertext opened");
                        } catch (AuthenticationFailedException e) {
                            tally.ran("invalid: rejected");
                        }
                    }
                } catch (AuthenticationFailedException e) {
                    tally.failed(id(t), "valid ciphertext rejected");
                } finally {
                    aead.destroy();
                }
            }
        }
        tally.finish(root.get("numberOfTests").asInt());
    }

    @Test
    void ed25519() {
        String file = "ed25519_test.json";
        JsonNode root = load(file);
        VectorTally tally = new VectorTally(file);
        for (JsonNode g : root.get("testGroups")) {
            JsonNode key = g.get("publicKey");
            assertThat(key.get("curve").asText()).isEqualTo("edwards25519");
            byte[] pub = hex(key, "pk");
            for (JsonNode t : g.get("tests")) {
                String result = t.get("result").asText();
                boolean ok = Ed25519.verify(pub, hex(t, "msg"), hex(t, "sig"));
                if (ok == result.equals("valid")) {
                    tally.ran(result);
                } else {
                    tally.failed(id(t), "verify returned " + ok + " for a " + result + " vector");
                }
            }
        }
        tally.finish(root.get("numberOfTests").asInt());
    }

    @Test
    void hkdfSha256() {
        String file = "hkdf_sha256_test.json";
        JsonNode root = load(file);
        VectorTally tally = new VectorTally(file);
        for (JsonNode g : root.get("testGroups")) {
            for (JsonNode t : g.get("tests")) {
                String result = t.get("result").asText();
                int size = t.get("size").asInt();
                try {
                    byte[] okm = Hkdf.sha256(hex(t, "ikm"), hex(t, "salt"), hex(t, "info"), size);
                    if (result.equals("valid") && Arrays.equals(okm, hex(t, "okm"))) {
                        tally.ran("valid");
                    } else {
                        tally.failed(id(t), "okm " + HEX.formatHex(okm) + " for a " + result + " vector");
                    }
                } catch (IllegalArgumentException e) {
                    if (result.equals("invalid")) {
                        tally.ran("invalid: size refused");
                    } else {
                        tally.failed(id(t), "refused: " + e.getMessage());
                    }
                }
            }
        }
        tally.finish(root.get("numberOfTests").asInt());
    }

    @Test
    void mlKem768KeygenAndDecaps() {
        String file = "mlkem_768_test.json";
        JsonNode root = load(file);
        VectorTally tally = new VectorTally(file);
        for (JsonNode g : root.get("testGroups")) {
            assertThat(g.get("parameterSet").asText()).isEqualTo("ML-KEM-768");
            for (JsonNode t : g.get("tests")) {
                String result = t.get("result").asText();
                byte[] seed = hex(t, "seed");
                byte[] c = hex(t, "c");
                try {
                    if (result.equals("valid")) {
                        KeyPair kp = MlKem768.fromSeed(seed);
                        byte[] k = MlKem768.decapsulate(seed, c);
                        if (!Arrays.equals(kp.publicKey(), hex(t, "ek"))) {
                            tally.failed(id(t), "encapsulation key differs");
                        } else if (!Arrays.equals(k, hex(t, "K"))) {
                            tally.failed(id(t), "shared secret differs");
                        } else {
                            tally.ran("valid");
                        }
                    } else {
                        MlKem768.decapsulate(seed, c);
                        tally.failed(id(t), "invalid input decapsulated");
                    }
                } catch (CryptoException e) {
                    if (result.equals("invalid")) {
                        tally.ran("invalid: refused");
                    } else {
                        tally.failed(id(t), "refused: " + e.getMessage());
                    }
                }
            }
        }
        tally.finish(root.get("numberOfTests").asInt());
    }

    @Test
    void mlKem768Encaps() {
        String file = "mlkem_768_encaps_test.json";
        JsonNode root = load(file);
        VectorTally tally = new VectorTally(file);
        for (JsonNode g : root.get("testGroups")) {
            assertThat(g.get("parameterSet").asText()).isEqualTo("ML-KEM-768");
            for (JsonNode t : g.get("tests")) {
                String result = t.get("result").asText();
                try {
                    MlKem768.Encapsulation enc = MlKem768.encapsulate(hex(t, "ek"), hex(t, "m"));
                    if (!result.equals("valid")) {
                        tally.failed(id(t), "invalid encapsulation key accepted");
                    } else if (!Arrays.equals(enc.ciphertext(), hex(t, "c"))
                            || !Arrays.equals(enc.sharedSecret(), hex(t, "K"))) {
                        tally.failed(id(t), "ciphertext or shared secret differs");
                    } else {
                        tally.ran("valid");
                    }
                } catch (CryptoException e) {
                    if (result.equals("invalid")) {
                        tally.ran("invalid: refused");
                    } else {
                        tally.failed(id(t), "refused: " + e.getMessage());
                    }
                }
            }
        }
        tally.finish(root.get("numberOfTests").asInt());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
