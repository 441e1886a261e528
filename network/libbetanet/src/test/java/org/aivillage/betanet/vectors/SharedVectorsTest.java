package org.aivillage.betanet.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SharedVectorsTest {
    @Test
    void findsTheSharedVectorFolder() {
        assertThat(SharedVectors.root().resolve("noise/cacophony.txt")).isRegularFile();
    }

    @Test
    void aMissingVectorFileFailsInsteadOfSkipping() {
        assertThatThrownBy(() -> SharedVectors.file("wycheproof/no_such_test.json"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("missing");
    }
}
