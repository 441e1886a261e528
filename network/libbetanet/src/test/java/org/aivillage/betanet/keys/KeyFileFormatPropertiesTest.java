package org.aivillage.betanet.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.charset.StandardCharsets;
import org.aivillage.betanet.vectors.Checked;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Properties (QuickTheories) of the key file text format: round trip, and only KeyFileException on bad text. */
class KeyFileFormatPropertiesTest {

    private static Gen<Argon2Parameters> kdf() {
        return integers().between(1, Argon2Parameters.MAX_PARALLELISM).flatMap(p ->
                integers().between(8 * p, Argon2Parameters.MAX_MEMORY_KIB).zip(
                        integers().between(1, Argon2Parameters.MAX_ITERATIONS),
                        (m, t) -> new Argon2Parameters(m, t, p)));
    }

    private static Gen<KeyFileContents> contents() {
        Gen<KeyFileContents.Protection> plain = Gens.bytesOfLength(32).map(KeyFileContents.Plain::new);
        Gen<KeyFileContents.Protection> encrypted = kdf().zip(Gens.bytesOfLength(16), Gens.bytesOfLength(24),
                Gens.bytesOfLength(48), KeyFileContents.Encrypted::new);
        return Generate.enumValues(KeyType.class).zip(Gens.bytesOfLength(32), Generate.oneOf(plain, encrypted),
                KeyFileContents::new);
    }

    @Test
    void parseOfFormatIsTheIdentity() {
        qt().withExamples(300).forAll(contents()).checkAssert(c -> Checked.run(() ->
                assertThat(KeyFileFormat.parse(KeyFileFormat.format(c))).isEqualTo(c)));
    }

    @Test
    void randomTextOnlyEverThrowsKeyFileException() {
        qt().withExamples(500).forAll(Gens.bytes(2000)).checkAssert(junk -> {
            String text = new String(junk, StandardCharsets.ISO_8859_1);
            try {
                KeyFileFormat.parse(text);
            } catch (KeyFileException e) {
                assertThat(e.reason()).isEqualTo(KeyFileException.Reason.MALFORMED);
            }
        });
    }

    @Test
    void mutatedValidFilesOnlyEverThrowKeyFileException() {
        qt().withExamples(300).forAll(contents(), integers().allPositive(), integers().between(0, 0xFFFF))
                .checkAssert((c, position, replacement) -> {
                    String text = KeyFileFormat.format(c);
                    int at = position % text.length();
                    String mutated = text.substring(0, at) + (char) (int) replacement + text.substring(at + 1);
                    try {
                        KeyFileFormat.parse(mutated);
                    } catch (KeyFileException e) {
                        assertThat(e.getMessage()).isNotBlank();
                    }
                });
    }
}
