package org.aivillage.bitchat.wire;

/**
 * The packet types of BitChat's binary protocol ({@code MessageType} in the iOS
 * {@code BitchatProtocol.swift} and the Android {@code BinaryProtocol.kt}), plus {@link #APP_DATA},
 * this project's extension for binary application payloads (DTN bundles).
 */
public enum MessageType {
    /** "I'm here": nickname, Noise static key and Ed25519 key (TLV), signed. */
    ANNOUNCE(0x01),
    /** A public chat message: UTF-8 text, signed, broadcast. */
    MESSAGE(0x02),
    /** "I'm leaving", signed. */
    LEAVE(0x03),
    /** A Noise XX handshake message to one recipient. */
    NOISE_HANDSHAKE(0x10),
    /** A Noise transport message (private message, delivery ack, read receipt) to one recipient. */
    NOISE_ENCRYPTED(0x11),
    /** One fragment of a larger encoded packet. */
    FRAGMENT(0x20),
    /** Gossip sync request (GCS filter); recognised and relayed, not answered by this implementation. */
    REQUEST_SYNC(0x21),
    /** File transfer; recognised and relayed, not handled by this implementation. */
    FILE_TRANSFER(0x22),
    /** Extension of this project: a signed binary broadcast (not in upstream BitChat). */
    APP_DATA(0x40);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** The byte on the wire. */
    public int code() {
        return code;
    }

    /** The type with this code, or null when the code is not known. */
    public static MessageType fromCode(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }

    /** A readable name for any code ("announce", "0x7f"). */
    public static String name(int code) {
        MessageType t = fromCode(code);
        return t != null ? t.name().toLowerCase(java.util.Locale.ROOT) : String.format("0x%02x", code);
    }
}
