package org.aivillage.bitchat;

/** What a message carries. */
public enum ContentType {
    /** UTF-8 text: BitChat's public {@code message} packets and private-message payloads (interoperable). */
    TEXT,
    /** Opaque bytes (for example DTN bundles): this project's {@code APP_DATA} extension. */
    DATA
}
