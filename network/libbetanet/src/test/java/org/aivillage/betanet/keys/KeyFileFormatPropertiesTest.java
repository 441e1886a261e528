package org.aivillage.betanet.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class KeyFileFormatPropertiesTest {

    @Provide
    Arbitrary<KeyFileContents> contents() {
        Arbitrary<KeyType> type = Arbitraries.of(KeyType.class);
        Arbitrary<byte[]> key32 = Arbitraries.bytes().array(byte[].class).ofSize(32);
        Arbitrary<KeyFileContents.Protection> plain = key32.map(KeyFileContents.Plain::new);
        Arbitrary<KeyFileContents.Protection> encrypted = Combinators.combine(
                Arbitraries.integers().between(1, 16).flatMap(p -> Arbitraries.integers()
                        .between(8 * p, Argon2Parameters.MAX_MEMORY_KIB)
                        .flatMap(m -> Arbitraries.integers().between(1, Argon2Parameters.MAX_ITERATIONS)
                                .map(t -> new Argon2Parameters(m, t, p)))),
                Arbitraries.bytes().array(byte[].class).ofSize(16),
                Arbitraries.bytes().array(byte[].class).ofSize(24),
                Arbitraries.bytes().array(byte[].class).ofSize(48))
                .as(KeyFileContents.Encrypted::new);
        return Combinators.combine(type, key32, Arbitraries.oneOf(plain, encrypted)).as(KeyFileContents::new);
    }

    @Property(tries = 300)
    void parseOfFormatIsTheIdentity(@ForAll("contents") KeyFileContents c) throws Exception {
        assertThat(KeyFileFormat.parse(KeyFileFormat.format(c))).isEqualTo(c);
    }

    @Property(tries = 500)
    void randomTextOnlyEverThrowsKeyFileException(@ForAll @Size(max = 2000) byte[] junk) {
        String text = new String(junk, StandardCharsets.ISO_8859_1);
        try {
            KeyFileFormat.parse(text);
        } catch (KeyFileException e) {
            assertThat(e.reason()).isEqualTo(KeyFileException.Reason.MALFORMED);
        }
    }

    @Property(tries = 300)
    void mutatedValidFilesOnlyEverThrowKeyFileException(
            @ForAll("contents") KeyFileContents c, @ForAll int position, @ForAll char replacement) {
        String text = KeyFileFormat.format(c);
        int at = Math.floorMod(position, text.length());
        String mutated = text.substring(0, at) + replacement + text.substring(at + 1);
        try {
            KeyFileFormat.parse(mutated);
        } catch (KeyFileException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
