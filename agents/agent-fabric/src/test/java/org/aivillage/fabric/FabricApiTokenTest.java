package org.aivillage.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.aivillage.config.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FabricApiTokenTest {
    @TempDir
    Path dir;

    @Test
    void createdOnceOwnerOnlyThenReadBack() throws Exception {
        Path file = dir.resolve("sub/fabric-api.token");
        FabricApiToken created = FabricApiToken.loadOrCreate(file);
        String text = Files.readString(file).strip();
        assertThat(text).matches("[A-Za-z0-9_-]{43}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(created.authorizationHeader()).isEqualTo("Bearer " + text);
        assertThat(FabricApiToken.loadOrCreate(file).authorizationHeader()).isEqualTo(created.authorizationHeader());
        assertThat(FabricApiToken.read(file).authorizationHeader()).isEqualTo(created.authorizationHeader());
        assertThat(created.toString()).doesNotContain(text);
        try (var entries = Files.list(file.getParent())) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("fabric-api.token");
        }
    }

    @Test
    void acceptsOnlyItsOwnBearerToken() {
        FabricApiToken t = FabricApiToken.random();
        String value = t.authorizationHeader().substring(7);
        assertThat(t.accepts("Bearer " + value)).isTrue();
        assertThat(t.accepts("bearer " + value)).isTrue();
        assertThat(t.accepts("Bearer " + value + "x")).isFalse();
        assertThat(t.accepts("Bearer " + value.substring(1))).isFalse();
        assertThat(t.accepts(value)).isFalse();
        assertThat(t.accepts("Basic " + value)).isFalse();
        assertThat(t.accepts("Bearer")).isFalse();
        assertThat(t.accepts("")).isFalse();
        assertThat(t.accepts(null)).isFalse();
        assertThat(t.accepts(FabricApiToken.random().authorizationHeader())).isFalse();
    }

    @Test
    void arbitraryHeadersAndFileContentsNeverPassOrCrash() throws Exception {
        FabricApiToken t = FabricApiToken.random();
        String own = t.authorizationHeader().substring(7);
        Path file = dir.resolve("fuzz.token");
        qt().withExamples(500).forAll(strings().allPossible().ofLengthBetween(0, 300)).checkAssert(s -> {
            assertThat(t.accepts(s)).isEqualTo(s.regionMatches(true, 0, "Bearer ", 0, 7) && s.substring(7).strip().equals(own));
            assertThat(t.accepts("Bearer " + s)).isEqualTo(s.strip().equals(own));
            try {
                Files.write(file, s.getBytes(java.nio.charset.StandardCharsets.UTF_8)); // unpaired surrogates become ?
                FabricApiToken read = FabricApiToken.read(file);
                assertThat(read.accepts("Bearer " + s.strip())).isTrue();
            } catch (UserException e) {
                assertThat(e.getMessage()).contains(file.toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void aFileThatIsNotATokenIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "my shopping list\n");
        assertThatThrownBy(() -> FabricApiToken.loadOrCreate(file)).isInstanceOf(UserException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("does not hold a token");
        assertThat(Files.readString(file)).isEqualTo("my shopping list\n");
        assertThatThrownBy(() -> FabricApiToken.read(dir.resolve("missing.token"))).isInstanceOf(UserException.class)
                .hasMessageContaining("no fabric API token at");
    }
}
