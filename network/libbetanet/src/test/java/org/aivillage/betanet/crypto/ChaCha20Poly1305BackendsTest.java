package org.aivillage.betanet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.aivillage.betanet.crypto.ChaCha20Poly1305Aead.Backend;
import org.aivillage.betanet.vectors.Checked;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every ChaCha20-Poly1305 implementation behind the facade (each forced for all sizes, and the
 * facade's own size switch) gives the JDK Cipher's bytes at sizes around every switch point and
 * the native engines' chunk size, opens what it sealed, refuses any flipped bit without leaving
 * plaintext behind, and works in place and with overlapping buffers.
 */
class ChaCha20Poly1305BackendsTest {
    /** Lengths: everything up to 1,100 bytes (the switch points), plus bulk sizes around 16 KiB and 64 KiB chunks. */
    private static int length(int pick) {
        int[] bulk = {4096, 16_383, 16_384, 16_385, 65_535, 65_536, 65_537, 3 * 65_536 + 100};
        return pick < 1101 ? pick : bulk[pick % bulk.length];
    }

    private static Function<byte[], Aead> factory(Backend backend) {
        return backend == null ? Aead::chaCha20Poly1305 : key -> new ChaCha20Poly1305Aead(key, backend);
    }

    private static byte[] jdkSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) throws Exception {
        Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        jdk.updateAAD(aad);
        return jdk.doFinal(plaintext);
    }

    private static void agreesWithTheJdk(Function<byte[], Aead> factory) {
        qt().withExamples(150)
                .forAll(Gens.bytesOfLength(44), Gens.bytes(40), integers().between(0, 1300), integers().between(0, Integer.MAX_VALUE))
                .checkAssert((keyAndNonce, aad, pick, flip) -> Checked.run(() -> {
                    byte[] key = Arrays.copyOf(keyAndNonce, 32);
                    byte[] nonce = Arrays.copyOfRange(keyAndNonce, 32, 44);
                    byte[] plaintext = new byte[length(pick)];
                    new Random(pick).nextBytes(plaintext);
                    byte[] expected = jdkSeal(key, nonce, aad, plaintext);
                    Aead aead = factory.apply(key);
                    Aead reader = factory.apply(key);
                    try {
                        assertThat(aead.seal(nonce, aad, plaintext)).isEqualTo(expected);
                        assertThat(reader.open(nonce, aad, expected)).isEqualTo(plaintext);
                        byte[] bad = expected.clone();
                        bad[flip % bad.length] ^= (byte) (1 << (flip % 8));
                        byte[] out = new byte[bad.length - 16];
                        Arrays.fill(out, (byte) 0x55);
                        assertThatThrownBy(() -> reader.open(nonce, aad, bad, 0, bad.length, out, 0))
                                .isInstanceOf(AuthenticationFailedException.class);
                        for (byte b : out) {
                            assertThat(b).isIn((byte) 0, (byte) 0x55); // no unauthenticated plaintext left behind
                        }
                        // The same reader still opens the genuine message afterwards.
                        assertThat(reader.open(nonce, aad, expected)).isEqualTo(plaintext);
                    } finally {
                        aead.destroy();
                        reader.destroy();
                    }
                }));
    }

    @Test
    void facadeAgreesWithTheJdkAcrossItsSwitchPoints() {
        System.out.println("[crypto] ChaCha20-Poly1305 facade: " + ChaCha20Poly1305Aead.description());
        agreesWithTheJdk(factory(null));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void eachImplementationAgreesWithTheJdk(Backend backend) {
        assumeTrue(backend.usable(), backend + " is not usable in this JVM");
        agreesWithTheJdk(factory(backend));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void inPlaceAndOverlappingBuffers(Backend backend) throws Exception {
        assumeTrue(backend.usable(), backend + " is not usable in this JVM");
        byte[] key = Randomness.bytes(32);
        byte[] aad = Randomness.bytes(13);
        for (int len : new int[] {0, 1, 64, 129, 513, 1025, 16_384, 70_000}) {
            byte[] plaintext = Randomness.bytes(len);
            byte[] nonce = Randomness.bytes(12);
            byte[] expected = jdkSeal(key, nonce, aad, plaintext);
            for (int shift : new int[] {0, 7, -7}) {
                Aead aead = new ChaCha20Poly1305Aead(key, backend);
                byte[] nonceCopy = nonce.clone();
                // Seal: plaintext at 10, ciphertext at 10 + shift, in one array.
                byte[] buf = new byte[len + 40];
                System.arraycopy(plaintext, 0, buf, 10, len);
                assertThat(aead.seal(nonceCopy, aad, buf, 10, len, buf, 10 + shift)).isEqualTo(len + 16);
                assertThat(Arrays.copyOfRange(buf, 10 + shift, 10 + shift + len + 16)).as("seal len %d shift %d", len, shift)
                        .isEqualTo(expected);
                // Open: ciphertext at 10 + shift, plaintext back at 10 + 2 * shift.
                Aead reader = new ChaCha20Poly1305Aead(key, backend);
                byte[] wide = new byte[len + 60];
                System.arraycopy(expected, 0, wide, 20, len + 16);
                assertThat(reader.open(nonce, aad, wide, 20, len + 16, wide, 20 + shift)).isEqualTo(len);
                assertThat(Arrays.copyOfRange(wide, 20 + shift, 20 + shift + len)).as("open len %d shift %d", len, shift)
                        .isEqualTo(plaintext);
                aead.destroy();
                reader.destroy();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void destroyedKeyIsRefusedAndBoundsAreChecked(Backend backend) {
        assumeTrue(backend.usable(), backend + " is not usable in this JVM");
        Aead aead = new ChaCha20Poly1305Aead(new byte[32], backend);
        byte[] nonce = new byte[12];
        assertThatThrownBy(() -> aead.seal(nonce, null, new byte[10], 5, 10, new byte[26], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> aead.seal(nonce, null, new byte[10], 0, 10, new byte[25], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> aead.seal(new byte[11], null, new byte[10]))
                .isInstanceOf(IllegalArgumentException.class);
        aead.destroy();
        assertThat(aead.isDestroyed()).isTrue();
        assertThatThrownBy(() -> aead.seal(nonce, null, new byte[10])).isInstanceOf(IllegalStateException.class);
    }
}
