package org.aivillage.betanet.htx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.aivillage.betanet.htx.BehaviourPolicy;
import org.junit.jupiter.api.Test;

class BehaviourScheduleTest {
    final BehaviourSchedule schedule = new BehaviourSchedule(BehaviourPolicy.DEFAULT, new SplittableRandom(42));

    @Test
    void pingDelaysSpan10To60SecondsWithTenPercentJitterAndNeverRepeat() {
        Set<Long> seen = new HashSet<>();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 20_000; i++) {
            long d = schedule.nextPingDelayNanos();
            assertThat(d).isBetween(Duration.ofSeconds(9).toNanos(), Duration.ofSeconds(66).toNanos());
            min = Math.min(min, d);
            max = Math.max(max, d);
            seen.add(d);
        }
        assertThat(seen).hasSizeGreaterThan(19_900); // not periodic
        assertThat(min).isLessThan(Duration.ofMillis(9_900).toNanos()); // jitter reaches below 10 s
        assertThat(max).isGreaterThan(Duration.ofMillis(60_500).toNanos()); // and above 60 s
    }

    @Test
    void idleThresholdsAndPaddingLengths() {
        for (int i = 0; i < 10_000; i++) {
            assertThat(schedule.nextIdleThresholdNanos()).isBetween(Duration.ofMillis(200).toNanos(), Duration.ofMillis(1200).toNanos());
            assertThat(schedule.paddingLength()).isBetween(0, 3 * 1024);
        }
    }

    @Test
    void priorityRateIsDrawnFrom05To3PercentWhenUnknown() {
        int sent = 0;
        for (int i = 0; i < 200_000; i++) {
            double r = schedule.priorityRate();
            assertThat(r).isBetween(0.005, 0.03);
            if (schedule.sendsPriority()) sent++;
        }
        assertThat(sent / 200_000.0).isBetween(0.012, 0.023); // mean of U(0.5 %, 3 %) = 1.75 %
        BehaviourSchedule fixed = new BehaviourSchedule(BehaviourPolicy.DEFAULT.withPriorityRate(0.02), new SplittableRandom(1));
        assertThat(fixed.priorityRate()).isEqualTo(0.02);
    }
}
