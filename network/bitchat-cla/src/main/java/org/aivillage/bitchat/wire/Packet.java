package org.aivillage.bitchat.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.aivillage.bitchat.MeshPeerId;

/**
 * One BitChat packet ({@code BitchatPacket}), as {@link PacketCodec} reads and writes it.
 *
 * @param version 1 (16-bit payload length) or 2 (32-bit payload length, optional source route)
 * @param type the message type code ({@link MessageType#code()}); unknown codes are kept so they can be relayed
 * @param ttl remaining hops, 0..255; a node relays a packet with ttl - 1 only while ttl &gt; 0
 * @param timestamp the sender's clock in milliseconds since the epoch (unsigned 64-bit on the wire)
 * @param sender the originator's peer ID
 * @param recipient the addressee, {@link MeshPeerId#BROADCAST}, or null when absent
 * @param route version-2 source route (hop peer IDs); empty when absent; always empty for version 1
 * @param payload the (decompressed) payload
 * @param signature the 64-byte Ed25519 signature, or null
 * @param rsr the version-2 "RSR" flag (mutable by relays, not signed); false when absent
 * @param compressedPayload the raw-DEFLATE bytes as sent, when the packet is compressed; else null.
 *     Kept so that the signature is checked over the originator's bytes and re-encoding is exact.
 *
 * <p>Arrays are not copied: treat them as immutable.
 */
public record Packet(int version, int type, int ttl, long timestamp, MeshPeerId sender, MeshPeerId recipient,
        List<MeshPeerId> route, byte[] payload, byte[] signature, boolean rsr, byte[] compressedPayload) {

    public static final int SIGNATURE_LENGTH = 64;

    public Packet {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("version must be 1 or 2, got " + version);
        }
        if (type < 0 || type > 255) {
            throw new IllegalArgumentException("type must be a byte, got " + type);
        }
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be 0..255, got " + ttl);
        }
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(payload, "payload");
        route = route == null ? List.of() : List.copyOf(route);
        if (version == 1 && !route.isEmpty()) {
            throw new IllegalArgumentException("a source route needs packet version 2");
        }
        if (route.size() > 255) {
            throw new IllegalArgumentException("at most 255 route hops, got " + route.size());
        }
        if (signature != null && signature.length != SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("a signature is 64 bytes, got " + signature.length);
        }
    }

    /** An unsigned version-1 packet without route or compression. */
    public static Packet of(MessageType type, int ttl, long timestamp, MeshPeerId sender, MeshPeerId recipient,
            byte[] payload) {
        return new Packet(1, type.code(), ttl, timestamp, sender, recipient, List.of(), payload, null, false, null);
    }

    /** The known message type, or null for an unknown code. */
    public MessageType messageType() {
        return MessageType.fromCode(type);
    }

    public boolean isBroadcast() {
        return recipient == null || recipient.isBroadcast();
    }

    public boolean isAddressedTo(MeshPeerId peer) {
        return recipient != null && recipient.equals(peer);
    }

    public Packet withTtl(int newTtl) {
        return new Packet(version, type, newTtl, timestamp, sender, recipient, route, payload, signature, rsr,
                compressedPayload);
    }

    public Packet withSignature(byte[] newSignature) {
        return new Packet(version, type, ttl, timestamp, sender, recipient, route, payload, newSignature, rsr,
                compressedPayload);
    }

    public Packet withVersion(int newVersion) {
        return new Packet(newVersion, type, ttl, timestamp, sender, recipient, route, payload, signature, rsr,
                compressedPayload);
    }

    /** This packet with its payload compressed when {@link Compression} finds it worthwhile. */
    public Packet compressed() {
        if (compressedPayload != null) {
            return this;
        }
        byte[] c = Compression.compressIfUseful(payload);
        return c == null ? this
                : new Packet(version, type, ttl, timestamp, sender, recipient, route, payload, signature, rsr, c);
    }

    /** The form the signature covers: TTL 0, no signature, RSR off (as upstream's toBinaryDataForSigning). */
    Packet forSigning() {
        return new Packet(version, type, 0, timestamp, sender, recipient, route, payload, null, false,
                compressedPayload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Packet p && version == p.version && type == p.type && ttl == p.ttl
                && timestamp == p.timestamp && rsr == p.rsr && sender.equals(p.sender)
                && Objects.equals(recipient, p.recipient) && route.equals(p.route)
                && Arrays.equals(payload, p.payload) && Arrays.equals(signature, p.signature)
                && Arrays.equals(compressedPayload, p.compressedPayload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, type, ttl, timestamp, sender, recipient, route, rsr)
                + 31 * Arrays.hashCode(payload) + 17 * Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "Packet[v" + version + " " + MessageType.name(type) + " ttl=" + ttl + " ts=" + timestamp
                + " from=" + sender + (recipient != null ? " to=" + recipient : "")
                + (route.isEmpty() ? "" : " route=" + route) + " payload=" + payload.length + "B"
                + (compressedPayload != null ? " (deflated " + compressedPayload.length + "B)" : "")
                + (signature != null ? " signed" : "") + (rsr ? " rsr" : "") + "]";
    }
}
