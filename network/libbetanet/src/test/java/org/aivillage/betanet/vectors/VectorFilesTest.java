package org.aivillage.betanet.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VectorFilesTest {
    @Test
    void readsTheSharedVectors() {
        assertThat(VectorFiles.json("noise/cacophony.txt").get("vectors").size()).isEqualTo(944);
    }

    @Test
    void aMissingVectorFileFailsInsteadOfSkipping() {
        assertThatThrownBy(() -> VectorFiles.json("wycheproof/no_such_test.json"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("missing");
    }
}
