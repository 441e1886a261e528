package org.aivillage.betanet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

class Argon2idTest {
    static final HexFormat HEX = HexFormat.of();

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** RFC 9106 §5.3: Argon2id, version 0x13, 32 KiB, 3 passes, 4 lanes, with secret and associated data. */
    @Test
    void rfc9106Section53TestVector() {
        byte[] tag = Argon2id.derive(filled(32, 0x01), filled(16, 0x02), filled(8, 0x03), filled(12, 0x04),
                new Argon2id.Parameters(32, 3, 4), 32);
        assertThat(HEX.formatHex(tag)).isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    /** The reference implementation's test.c: Argon2id v0x13, m = 2^16 KiB, t = 2, p = 1, "password", "somesalt". */
    @Test
    void referenceImplementationVectorWithoutSecret() {
        byte[] tag = Argon2id.derive("password".getBytes(StandardCharsets.US_ASCII), "somesalt".getBytes(StandardCharsets.US_ASCII),
                1 << 16, 2, 1, 32);
        assertThat(HEX.formatHex(tag)).isEqualTo("09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7");
    }

    @Test
    void charPassphrasesAreUtf8() {
        byte[] salt = filled(16, 7);
        Argon2id.Parameters p = new Argon2id.Parameters(64, 1, 1);
        char[] pass = "pässwörd 🔑".toCharArray();
        assertThat(Argon2id.derive(pass, salt, p, 32))
                .isEqualTo(Argon2id.derive("pässwörd 🔑".getBytes(StandardCharsets.UTF_8), salt, p, 32))
                .isEqualTo(Argon2id.derive(pass, salt, 64, 1, 1, 32));
        assertThat(pass).isEqualTo("pässwörd 🔑".toCharArray());
        assertThatThrownBy(() -> Argon2id.derive(new char[] {'a', '\ud800'}, salt, p, 32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid Unicode");
    }

    @Test
    void everyInputChangesTheOutput() {
        Argon2id.Parameters p = new Argon2id.Parameters(64, 1, 1);
        byte[] base = Argon2id.derive(filled(8, 1), filled(16, 2), p, 32);
        assertThat(Argon2id.derive(filled(8, 9), filled(16, 2), p, 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(filled(8, 1), filled(16, 9), p, 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(filled(8, 1), filled(16, 2), new Argon2id.Parameters(72, 1, 1), 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(filled(8, 1), filled(16, 2), new Argon2id.Parameters(64, 2, 1), 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(filled(8, 1), filled(16, 2), new Argon2id.Parameters(64, 1, 2), 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(filled(8, 1), filled(16, 2), filled(4, 3), null, p, 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(filled(8, 1), filled(16, 2), null, filled(4, 3), p, 32)).isNotEqualTo(base);
        // Empty secret / associated data are the same as none.
        assertThat(Argon2id.derive(filled(8, 1), filled(16, 2), new byte[0], new byte[0], p, 32)).isEqualTo(base);
    }

    @Test
    void parametersAreValidated() {
        assertThat(Argon2id.Parameters.DEFAULT).isEqualTo(new Argon2id.Parameters(65536, 3, 4));
        assertThatThrownBy(() -> new Argon2id.Parameters(31, 1, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memory");
        assertThatThrownBy(() -> new Argon2id.Parameters(64, 0, 1)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> new Argon2id.Parameters(64, 1, 0)).hasMessageContaining("parallelism");
        assertThatThrownBy(() -> new Argon2id.Parameters(Argon2id.Parameters.MAX_MEMORY_KIB + 1, 1, 1)).hasMessageContaining("memory");
        assertThatThrownBy(() -> Argon2id.Parameters.DEFAULT.requireAtMost(1024, 10, 4)).hasMessageContaining("memory");
        assertThat(Argon2id.Parameters.DEFAULT.requireAtMost(1 << 20, 10, 4)).isSameAs(Argon2id.Parameters.DEFAULT);
        Argon2id.Parameters p = new Argon2id.Parameters(64, 1, 1);
        assertThatThrownBy(() -> Argon2id.derive(filled(8, 1), filled(7, 2), p, 32)).hasMessageContaining("salt");
        assertThatThrownBy(() -> Argon2id.derive(filled(8, 1), filled(8, 2), p, 3)).hasMessageContaining("length");
    }

    @Test
    void outputLengthIsHonouredAndDeterministic() {
        Gen<Integer> lengths = SourceDSL.integers().between(Argon2id.MIN_LENGTH, 200);
        Argon2id.Parameters p = new Argon2id.Parameters(16, 1, 1);
        qt().withExamples(20).forAll(lengths).checkAssert(n -> {
            byte[] a = Argon2id.derive(filled(5, n), filled(16, 1), p, n);
            assertThat(a).hasSize(n).isEqualTo(Argon2id.derive(filled(5, n), filled(16, 1), p, n));
        });
    }
}
