package org.aivillage.betanet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.aivillage.betanet.vectors.Checked;
import org.aivillage.testkit.Gens;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * The facade picks JDK or BouncyCastle per primitive (docs/benchmarks.md). These pin each pick to
 * published answers (FIPS 180-4, RFC 7693, RFC 4231) and to the other implementation.
 */
class FacadeChoiceTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    @Test
    void hashesMatchPublishedAnswers() {
        assertThat(HEX.formatHex(Hashes.sha256(ABC)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(HEX.formatHex(Hashes.sha512(ABC))).isEqualTo(
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
                        + "454d4423643ce80e2a9ac94fa54ca49f");
        assertThat(HEX.formatHex(Hashes.blake2s(ABC)))
                .isEqualTo("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
        assertThat(HEX.formatHex(Hashes.blake2b(ABC))).isEqualTo(
                "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc95"
                        + "18d38aa8dbf1925ab92386edd4009923");
        assertThat(Hashes.sha256(new byte[] {'a'}, new byte[] {'b', 'c'})).isEqualTo(Hashes.sha256(ABC));
    }

    @Test
    void hmacMatchesRfc4231Case1() {
        byte[] key = new byte[20];
        java.util.Arrays.fill(key, (byte) 0x0b);
        byte[] data = "Hi There".getBytes(StandardCharsets.US_ASCII);
        assertThat(HEX.formatHex(Hmac.sha256(key, data)))
                .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        assertThat(HEX.formatHex(Hmac.mac(Hashes.Algorithm.SHA512, key, data))).isEqualTo(
                "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4"
                        + "be9d914eeb61f1702e696c203a126854");
        assertThat(Hmac.verifySha256(key, Hmac.sha256(key, data), data)).isTrue();
    }

    @Test
    void jdkHmacEqualsBouncyCastleForEveryKeyLength() {
        qt().withExamples(200).forAll(Gens.bytes(300), Gens.bytes(300), integers().between(0, 1))
                .checkAssert((key, data, which) -> {
                    Hashes.Algorithm alg = which == 0 ? Hashes.Algorithm.SHA256 : Hashes.Algorithm.SHA512;
                    HMac bc = new HMac(alg.newDigest());
                    bc.init(new KeyParameter(key));
                    bc.update(data, 0, data.length);
                    byte[] expected = new byte[bc.getMacSize()];
                    bc.doFinal(expected, 0);
                    assertThat(Hmac.mac(alg, key, data)).isEqualTo(expected);
                    assertThat(alg.hash(data)).isEqualTo(bcHash(alg, data));
                });
    }

    /** The size-switching ChaCha20-Poly1305 gives the JDK Cipher's bytes on both sides of the switch. */
    @Test
    void chaChaEqualsTheJdkCipherAtEverySize() {
        qt().withExamples(300)
                .forAll(Gens.bytesOfLength(44), Gens.bytes(40), integers().between(0, 600), integers().between(0, 10_000))
                .checkAssert((keyAndNonce, aad, length, flip) -> Checked.run(() -> {
                    byte[] key = java.util.Arrays.copyOf(keyAndNonce, 32);
                    byte[] nonce = java.util.Arrays.copyOfRange(keyAndNonce, 32, 44);
                    byte[] plaintext = new byte[length];
                    new java.util.Random(length).nextBytes(plaintext);
                    javax.crypto.Cipher jdk = javax.crypto.Cipher.getInstance("ChaCha20-Poly1305");
                    jdk.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "ChaCha20"),
                            new javax.crypto.spec.IvParameterSpec(nonce));
                    jdk.updateAAD(aad);
                    byte[] expected = jdk.doFinal(plaintext);
                    Aead aead = Aead.chaCha20Poly1305(key);
                    assertThat(aead.seal(nonce, aad, plaintext)).isEqualTo(expected);
                    assertThat(aead.open(nonce, aad, expected)).isEqualTo(plaintext);
                    byte[] bad = expected.clone();
                    bad[flip % bad.length] ^= 1;
                    byte[] out = new byte[Math.max(0, bad.length - 16)];
                    java.util.Arrays.fill(out, (byte) 0x55);
                    assertThatThrownBy(() -> aead.open(nonce, aad, bad, 0, bad.length, out, 0))
                            .isInstanceOf(AuthenticationFailedException.class);
                    for (byte b : out) {
                        assertThat(b).isIn((byte) 0, (byte) 0x55); // no unauthenticated plaintext left behind
                    }
                }));
    }

    /** The facade's X25519 (libsodium where available) equals BouncyCastle on any input. */
    @Test
    void x25519FacadeEqualsBouncyCastle() {
        qt().withExamples(300).forAll(Gens.bytesOfLength(32), Gens.bytesOfLength(32)).checkAssert((priv, pub) -> {
            byte[] facade;
            byte[] bc;
            try {
                facade = X25519.sharedSecret(priv, pub);
            } catch (CryptoException e) {
                facade = null;
            }
            try {
                bc = X25519.sharedSecretBouncyCastle(priv, pub);
            } catch (CryptoException e) {
                bc = null;
            }
            assertThat(facade).isEqualTo(bc);
        });
    }

    private static byte[] bcHash(Hashes.Algorithm alg, byte[] data) {
        var d = alg.newDigest();
        d.update(data, 0, data.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }
}
