package org.aivillage.betanet.pow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Randomness;
import static org.quicktheories.QuickTheory.qt;

import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;

class ProofOfWorkTest {
    @Test
    void solvedNoncesVerifyAndOthersDoNot() {
        byte[] challenge = ProofOfWork.bootstrapChallenge(Randomness.bytes(32), 20_000, new byte[34]);
        OptionalLong nonce = ProofOfWork.solve(challenge, 14, 0, 1L << 24);
        assertThat(nonce).isPresent();
        assertThat(ProofOfWork.verify(challenge, nonce.getAsLong(), 14)).isTrue();
        assertThat(ProofOfWork.verify(challenge, nonce.getAsLong(), 0)).isTrue();
        // A nonce rarely meets a much higher target; and a different challenge invalidates it.
        byte[] other = ProofOfWork.bootstrapChallenge(Randomness.bytes(32), 20_000, new byte[34]);
        int accepted = 0;
        for (long n = 0; n < 2000; n++) {
            if (ProofOfWork.verify(other, n, 14)) {
                accepted++;
            }
        }
        assertThat(accepted).isLessThan(5);
        assertThat(ProofOfWork.verify(challenge, 1, 65)).isFalse();
    }

    @Test
    void bootstrapChallengeBindsDayAndPeer() {
        byte[] nonce = new byte[32];
        assertThat(ProofOfWork.bootstrapChallenge(nonce, 1, new byte[34]))
                .isNotEqualTo(ProofOfWork.bootstrapChallenge(nonce, 2, new byte[34]));
        byte[] peer = new byte[34];
        peer[5] = 1;
        assertThat(ProofOfWork.bootstrapChallenge(nonce, 1, new byte[34]))
                .isNotEqualTo(ProofOfWork.bootstrapChallenge(nonce, 1, peer));
    }

    @Test
    void leadingZeroBitsMatchesANaiveCount() {
        // Mostly-zero prefixes exercise the interesting cases.
        qt().withExamples(2000).forAll(Gens.bytesOfLength(32), org.quicktheories.generators.SourceDSL.integers().between(0, 32))
                .checkAssert((h, zeroBytes) -> {
                    java.util.Arrays.fill(h, 0, zeroBytes, (byte) 0);
                    assertThat(ProofOfWork.leadingZeroBits(h)).isEqualTo(naiveLeadingZeros(h));
                });
    }

    private static int naiveLeadingZeros(byte[] h) {
        int naive = 0;
        outer:
        for (byte b : h) {
            for (int bit = 7; bit >= 0; bit--) {
                if (((b >> bit) & 1) != 0) {
                    break outer;
                }
                naive++;
            }
        }
        return naive;
    }

    @Test
    void zeroHashHasAllBitsZero() {
        assertThat(ProofOfWork.leadingZeroBits(new byte[32])).isEqualTo(256);
        assertThat(Hashes.sha256(new byte[0])).hasSize(32);
    }

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-27T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void difficultyRisesUnderLoadAndDecaysWhenQuiet() {
        ManualClock clock = new ManualClock();
        AdaptiveDifficulty d = new AdaptiveDifficulty(22, 28, 10, Duration.ofSeconds(10), clock);
        assertThat(d.currentBits()).isEqualTo(22);
        for (int i = 0; i < 40; i++) {
            d.onRequest();
        }
        clock.now = clock.now.plusSeconds(10);
        assertThat(d.currentBits()).isEqualTo(24); // 4x the target: +2 bits
        for (int w = 0; w < 10; w++) {
            for (int i = 0; i < 1000; i++) {
                d.onRequest();
            }
            clock.now = clock.now.plusSeconds(10);
        }
        assertThat(d.currentBits()).isEqualTo(28); // capped at the ceiling
        clock.now = clock.now.plusSeconds(30); // three quiet windows
        assertThat(d.currentBits()).isEqualTo(25);
        clock.now = clock.now.plusSeconds(3600);
        assertThat(d.currentBits()).isEqualTo(22); // never below the floor
    }
}
