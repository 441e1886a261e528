package org.aivillage.bitchat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An outgoing message (the seed's {@code MessageConfig{recipient, content, priority, ttl_hours}}).
 *
 * @param recipient the addressee; null or {@link MeshPeerId#BROADCAST} for the public room
 * @param content the bytes to send (UTF-8 for {@link ContentType#TEXT})
 * @param contentType text (interoperable with BitChat apps) or opaque data
 * @param priority eviction and send order in the store-and-forward queue
 * @param ttlHours how long the message may wait for an offline recipient; 0 = the node's default
 */
public record MessageConfig(MeshPeerId recipient, byte[] content, ContentType contentType, Priority priority,
        int ttlHours) {

    public MessageConfig {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(priority, "priority");
        if (ttlHours < 0 || ttlHours > 8760) {
            throw new IllegalArgumentException("ttlHours must be 0..8760, got " + ttlHours);
        }
        content = content.clone();
    }

    /** A text message to {@code recipient} (null = public). */
    public static MessageConfig text(MeshPeerId recipient, String text) {
        return new MessageConfig(recipient, text.getBytes(StandardCharsets.UTF_8), ContentType.TEXT, Priority.NORMAL, 0);
    }

    /** A public text message. */
    public static MessageConfig publicText(String text) {
        return text(null, text);
    }

    /** Opaque bytes to {@code recipient} (null = public). */
    public static MessageConfig data(MeshPeerId recipient, byte[] data) {
        return new MessageConfig(recipient, data, ContentType.DATA, Priority.NORMAL, 0);
    }

    public MessageConfig withPriority(Priority p) {
        return new MessageConfig(recipient, content, contentType, p, ttlHours);
    }

    public MessageConfig withTtlHours(int hours) {
        return new MessageConfig(recipient, content, contentType, priority, hours);
    }

    public boolean isBroadcast() {
        return recipient == null || recipient.isBroadcast();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageConfig m && Objects.equals(recipient, m.recipient) && Arrays.equals(content, m.content)
                && contentType == m.contentType && priority == m.priority && ttlHours == m.ttlHours;
    }

    @Override
    public int hashCode() {
        return Objects.hash(recipient, contentType, priority, ttlHours) * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "MessageConfig[to=" + (isBroadcast() ? "broadcast" : recipient) + ", " + contentType + " "
                + content.length + "B, " + priority + ", ttlHours=" + ttlHours + "]";
    }
}
