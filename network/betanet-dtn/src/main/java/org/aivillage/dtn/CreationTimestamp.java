package org.aivillage.dtn;

import java.time.Instant;

/**
 * Bundle creation timestamp (RFC 9171 section 4.2.7): DTN time in milliseconds since
 * 2000-01-01T00:00:00Z (0 when the creator has no accurate clock) and a sequence number.
 */
public record CreationTimestamp(long dtnTimeMillis, long sequence) {
    /** 2000-01-01T00:00:00Z in Unix milliseconds. */
    public static final long DTN_EPOCH_UNIX_MILLIS = 946_684_800_000L;

    public CreationTimestamp {
        if (dtnTimeMillis < 0 || sequence < 0) {
            throw new IllegalArgumentException("creation timestamp fields are unsigned");
        }
    }

    /** DTN time of a Unix-epoch instant. */
    public static long dtnTime(Instant instant) {
        return Math.max(0, instant.toEpochMilli() - DTN_EPOCH_UNIX_MILLIS);
    }

    public static long dtnTimeOfUnixMillis(long unixMillis) {
        return Math.max(0, unixMillis - DTN_EPOCH_UNIX_MILLIS);
    }

    /** Whether the creator had no accurate clock (DTN time 0). */
    public boolean clockUnknown() {
        return dtnTimeMillis == 0;
    }

    /** The creation time as a Unix-epoch millisecond value (meaningless if {@link #clockUnknown()}). */
    public long unixMillis() {
        return dtnTimeMillis + DTN_EPOCH_UNIX_MILLIS;
    }
}
