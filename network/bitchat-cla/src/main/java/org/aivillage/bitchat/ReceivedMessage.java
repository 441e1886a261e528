package org.aivillage.bitchat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message delivered to this node. Public messages were signed by the sender's announced Ed25519
 * key; private ones arrived over a Noise XX session bound to the sender's announced static key.
 *
 * @param messageId the sender's message ID (private), or the packet ID in hex (public)
 * @param sender the originator
 * @param senderNickname the nickname from the sender's last announce
 * @param content the bytes (UTF-8 for text)
 * @param contentType text or data
 * @param privateMessage whether it was end-to-end encrypted to this node
 * @param sentAt the sender's timestamp
 * @param receivedAt when this node accepted it
 */
public record ReceivedMessage(String messageId, MeshPeerId sender, String senderNickname, byte[] content,
        ContentType contentType, boolean privateMessage, Instant sentAt, Instant receivedAt) {

    public ReceivedMessage {
        Objects.requireNonNull(messageId);
        Objects.requireNonNull(sender);
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The content decoded as UTF-8. */
    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedMessage r && messageId.equals(r.messageId) && sender.equals(r.sender)
                && Objects.equals(senderNickname, r.senderNickname) && Arrays.equals(content, r.content)
                && contentType == r.contentType && privateMessage == r.privateMessage
                && Objects.equals(sentAt, r.sentAt) && Objects.equals(receivedAt, r.receivedAt);
    }

    @Override
    public int hashCode() {
        return messageId.hashCode() * 31 + sender.hashCode();
    }

    @Override
    public String toString() {
        return "ReceivedMessage[" + messageId + " from " + senderNickname + " (" + sender + "), "
                + (privateMessage ? "private " : "public ") + contentType + " " + content.length + "B]";
    }
}
