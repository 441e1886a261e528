package org.aivillage.fabric.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GlobTest {
    @Test
    void matchesStarsQuestionMarksAndLiterals() {
        assertThat(Glob.compile("data-*").matches("data-ingest", "1")).isTrue();
        assertThat(Glob.compile("data-*").matches("metadata-x", "1")).isFalse();
        assertThat(Glob.compile("d?ta").matches("data", "1")).isTrue();
        assertThat(Glob.compile("d?ta").matches("dta", "1")).isFalse();
        assertThat(Glob.compile("a.b").matches("axb", "1")).as("dots are literal").isFalse();
        assertThat(Glob.compile("a.b").matches("a.b", "1")).isTrue();
        assertThat(Glob.compile("(x)[y]").matches("(x)[y]", "1")).isTrue();
        assertThat(Glob.compile("*").matches("", "1")).isTrue();
    }

    @Test
    void withAnAtMatchesNameAndVersion() {
        assertThat(Glob.compile("svc@1.*").matches("svc", "1.4")).isTrue();
        assertThat(Glob.compile("svc@1.*").matches("svc", "2.0")).isFalse();
        assertThat(Glob.compile("*@2*").matches("any", "2.1")).isTrue();
    }

    @Test
    void rejectsEmptyOrHugePatterns() {
        assertThatThrownBy(() -> Glob.compile("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Glob.compile("x".repeat(257))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(Versions.compare("1.10.0", "1.9.9")).isPositive();
        assertThat(Versions.compare("2", "2.0.0")).isZero();
        assertThat(Versions.compare("1.0-beta", "1.0-alpha")).isPositive();
    }
}
