package org.aivillage.bitchat;

/** Priority of an outgoing message: higher priorities are sent first and evicted last from the store. */
public enum Priority {
    LOW, NORMAL, HIGH, CRITICAL
}
