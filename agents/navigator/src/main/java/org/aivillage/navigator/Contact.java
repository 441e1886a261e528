package org.aivillage.navigator;

/**
 * A scheduled transmission opportunity of a time-varying (contact) graph: from {@code startMs} to
 * {@code endMs} node {@code from} can send to {@code to} at {@code rateBytesPerSec}, and what it
 * sends arrives {@code owltMs} (one-way light time) later. Times are milliseconds on the caller's
 * clock (e.g. DTN time).
 */
public record Contact(String from, String to, long startMs, long endMs, double rateBytesPerSec, long owltMs) {
    public Contact {
        Checks.nodeId("from", from);
        Checks.nodeId("to", to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("a contact joins two different nodes, got " + from + " twice");
        }
        if (endMs <= startMs) {
            throw new IllegalArgumentException("endMs must be after startMs, got " + startMs + ".." + endMs);
        }
        Checks.positiveFinite("rateBytesPerSec", rateBytesPerSec);
        if (owltMs < 0) {
            throw new IllegalArgumentException("owltMs must be >= 0, got " + owltMs);
        }
    }

    /** Milliseconds needed to send {@code bytes} over this contact (rounded up). */
    public long transmissionMs(long bytes) {
        return (long) Math.ceil(bytes * 1000.0 / rateBytesPerSec);
    }
}
