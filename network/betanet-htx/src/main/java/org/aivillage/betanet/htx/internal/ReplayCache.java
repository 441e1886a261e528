package org.aivillage.betanet.htx.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Remembers accepted (cliPub, hour) pairs so a ticket is accepted once (Betanet 1.1 §5.2). An
 * entry lives at least 2 hours and until its hour can no longer be accepted (end of hour+1).
 * Bounded: when full of live entries, {@link #firstUse} answers {@link Result#FULL} and the caller
 * refuses the ticket. Two kinds: {@link #inMemory} (forgotten when the process ends) and
 * {@link #open} (an SQLite file: remembered across restarts and {@code kill -9}, and shared by
 * every server process that opens the same file). Implementations are thread-safe.
 */
public interface ReplayCache extends AutoCloseable {
    /** FIRST_USE accepts; the others refuse. STORE_ERROR: the pair could not be recorded (fail closed). */
    enum Result { FIRST_USE, REPLAY, FULL, STORE_ERROR }

    /** Records the pair if it is new and live entries are below the bound. */
    Result firstUse(byte[] clientPublic, long hour);

    /** Live entries (an estimate for a file shared between processes). */
    int size();

    @Override
    void close();

    /** Milliseconds since the epoch until which the pair must be refused, counted from {@code nowMillis}. */
    static long expiry(long nowMillis, long hour) {
        return Math.max(nowMillis + 2 * 3_600_000L, (hour + 2) * 3_600_000L);
    }

    /** A cache held in this process only. */
    static ReplayCache inMemory(Clock clock, int capacity) {
        return new MemoryReplayCache(clock, capacity);
    }

    /**
     * A cache kept in the SQLite database {@code file} (created if missing, owner-only permissions).
     *
     * @throws IOException when the file cannot be opened as such a database; the message names it
     */
    static ReplayCache open(Path file, Clock clock, int capacity) throws IOException {
        return SqliteReplayCache.open(file, clock, capacity);
    }
}
