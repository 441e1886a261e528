package org.aivillage.bitchat;

/** Where an outgoing message stands. Private messages are acknowledged end to end (BitChat "delivered"). */
public enum DeliveryStatus {
    /** Stored: waiting for the recipient to appear or for a Noise session with it. */
    PENDING,
    /** Transmitted; for a private message, not yet acknowledged. Broadcasts stay here. */
    SENT,
    /** The recipient acknowledged it (Noise "delivered" payload). */
    DELIVERED,
    /** The recipient reported it read. */
    READ,
    /** Its time to live ran out before it was delivered. */
    EXPIRED,
    /** Evicted from a full store by messages of higher priority, or refused at shutdown. */
    DROPPED,
    /** Not known (never sent here, or forgotten). */
    UNKNOWN;

    /** Whether the status can no longer change. */
    public boolean isFinal() {
        return this == DELIVERED || this == READ || this == EXPIRED || this == DROPPED;
    }
}
