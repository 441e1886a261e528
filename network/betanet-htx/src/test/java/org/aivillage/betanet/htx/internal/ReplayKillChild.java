package org.aivillage.betanet.htx.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.aivillage.betanet.htx.AccessTicket;

/**
 * Child process of {@link ReplayCacheTest#acceptedTicketsSurviveKillNine}: records pairs 0, 1, 2, ...
 * in the database {@code args[0]} at the fixed time {@code args[1]} and prints each number once
 * {@code firstUse} accepted it, until it is killed (bounded at 100,000 pairs).
 */
public final class ReplayKillChild {
    private ReplayKillChild() {
    }

    public static void main(String[] args) throws Exception {
        Instant now = Instant.ofEpochMilli(Long.parseLong(args[1]));
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        ReplayCache cache = ReplayCache.open(Path.of(args[0]), clock, 1_000_000);
        long hour = AccessTicket.hourOf(now);
        for (int i = 0; i < 100_000; i++) {
            if (cache.firstUse(ReplayCacheTest.pub(i), hour) != ReplayCache.Result.FIRST_USE) {
                System.err.println("pair " + i + " not accepted");
                System.exit(2);
            }
            System.out.println(i);
            System.out.flush();
        }
    }
}
