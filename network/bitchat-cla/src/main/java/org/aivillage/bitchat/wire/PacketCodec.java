package org.aivillage.bitchat.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.bitchat.MeshPeerId;

/**
 * BitChat's binary packet format ({@code BinaryProtocol} in bitchat iOS and bitchat-android),
 * big-endian throughout:
 *
 * <pre>
 * version u8 (1|2) | type u8 | ttl u8 | timestamp u64 (ms) | flags u8 | payloadLength u16 (v1) / u32 (v2)
 * senderID 8 | [recipientID 8]          (flags 0x01 hasRecipient)
 * [routeCount u8 | routeCount x 8]      (flags 0x08 hasRoute, version 2 only)
 * [originalSize u16/u32] payload        (flags 0x04 isCompressed: raw DEFLATE, payloadLength counts originalSize too)
 * [signature 64]                        (flags 0x02 hasSignature: Ed25519)
 * [PKCS#7 padding]                      (see {@link Padding})
 * </pre>
 *
 * The fixed header is 14 bytes (16 in version 2); upstream's {@code headerSize = 13} constant is one
 * short of its own field list and only loosens its minimum-length check. Flag 0x10 is the version-2
 * RSR flag. Encoding and decoding are pure functions; {@link #decode}
 * throws only {@link CodecException}, naming the field and offset, for any input.
 */
public final class PacketCodec {
    public static final int HEADER_V1 = 14;
    public static final int HEADER_V2 = 16;
    public static final int FLAG_HAS_RECIPIENT = 0x01;
    public static final int FLAG_HAS_SIGNATURE = 0x02;
    public static final int FLAG_IS_COMPRESSED = 0x04;
    public static final int FLAG_HAS_ROUTE = 0x08;
    public static final int FLAG_IS_RSR = 0x10;
    private static final int KNOWN_FLAGS = 0x1f;
    /** Largest (decompressed) payload this implementation accepts: 1 MiB. */
    public static final int MAX_PAYLOAD = 1 << 20;

    private PacketCodec() {
    }

    /** Encodes {@code packet}, padded as upstream does by default. */
    public static byte[] encode(Packet packet) {
        return encode(packet, true);
    }

    /**
     * Encodes {@code packet}; with {@code pad}, appends {@link Padding}.
     *
     * @throws IllegalArgumentException when the payload does not fit the version's length field or
     *     exceeds {@link #MAX_PAYLOAD}
     */
    public static byte[] encode(Packet packet, boolean pad) {
        int version = packet.version();
        boolean compressed = packet.compressedPayload() != null;
        byte[] body = compressed ? packet.compressedPayload() : packet.payload();
        int lengthField = version == 1 ? 2 : 4;
        long payloadLength = (long) body.length + (compressed ? lengthField : 0);
        if (packet.payload().length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + packet.payload().length + " bytes exceeds " + MAX_PAYLOAD);
        }
        if (version == 1 && (payloadLength > 0xffff || packet.payload().length > 0xffff)) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes needs packet version 2");
        }
        List<MeshPeerId> route = packet.route();
        int size = (version == 1 ? HEADER_V1 : HEADER_V2) + MeshPeerId.LENGTH
                + (packet.recipient() != null ? MeshPeerId.LENGTH : 0)
                + (route.isEmpty() ? 0 : 1 + route.size() * MeshPeerId.LENGTH)
                + (int) payloadLength + (packet.signature() != null ? Packet.SIGNATURE_LENGTH : 0);
        byte[] out = new byte[size];
        int o = 0;
        out[o++] = (byte) version;
        out[o++] = (byte) packet.type();
        out[o++] = (byte) packet.ttl();
        o = putLong(out, o, packet.timestamp());
        int flags = 0;
        if (packet.recipient() != null) {
            flags |= FLAG_HAS_RECIPIENT;
        }
        if (packet.signature() != null) {
            flags |= FLAG_HAS_SIGNATURE;
        }
        if (compressed) {
            flags |= FLAG_IS_COMPRESSED;
        }
        if (!route.isEmpty()) {
            flags |= FLAG_HAS_ROUTE;
        }
        if (packet.rsr()) {
            flags |= FLAG_IS_RSR;
        }
        out[o++] = (byte) flags;
        o = version == 1 ? putShort(out, o, (int) payloadLength) : putInt(out, o, (int) payloadLength);
        packet.sender().writeTo(out, o);
        o += MeshPeerId.LENGTH;
        if (packet.recipient() != null) {
            packet.recipient().writeTo(out, o);
            o += MeshPeerId.LENGTH;
        }
        if (!route.isEmpty()) {
            out[o++] = (byte) route.size();
            for (MeshPeerId hop : route) {
                hop.writeTo(out, o);
                o += MeshPeerId.LENGTH;
            }
        }
        if (compressed) {
            int original = packet.payload().length;
            o = version == 1 ? putShort(out, o, original) : putInt(out, o, original);
        }
        System.arraycopy(body, 0, out, o, body.length);
        o += body.length;
        if (packet.signature() != null) {
            System.arraycopy(packet.signature(), 0, out, o, Packet.SIGNATURE_LENGTH);
        }
        return pad ? Padding.pad(out) : out;
    }

    /** The bytes an Ed25519 signature covers: the padded encoding with TTL 0, no signature, RSR off. */
    public static byte[] signingBytes(Packet packet) {
        return encode(packet.forSigning(), true);
    }

    /**
     * Decodes one packet. Trailing bytes after the packet are accepted only as padding: their count
     * must equal the last byte (PKCS#7, which also covers upstream's older random-fill padding).
     */
    public static Packet decode(byte[] frame) throws CodecException {
        Reader r = new Reader(frame);
        int version = r.u8("version");
        if (version != 1 && version != 2) {
            throw new CodecException("version", 0, "unsupported packet version " + version);
        }
        int header = version == 1 ? HEADER_V1 : HEADER_V2;
        if (frame.length < header + MeshPeerId.LENGTH) {
            throw new CodecException("header", frame.length, "packet of " + frame.length + " bytes is shorter than "
                    + (header + MeshPeerId.LENGTH));
        }
        int type = r.u8("type");
        int ttl = r.u8("ttl");
        long timestamp = r.u64("timestamp");
        int flagsOffset = r.pos;
        int flags = r.u8("flags");
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new CodecException("flags", flagsOffset, String.format("unknown flag bits 0x%02x", flags & ~KNOWN_FLAGS));
        }
        if (version == 1 && (flags & (FLAG_HAS_ROUTE | FLAG_IS_RSR)) != 0) {
            throw new CodecException("flags", flagsOffset, "route/RSR flags need packet version 2");
        }
        int lengthOffset = r.pos;
        long payloadLength = version == 1 ? r.u16("payload length") : r.u32("payload length");
        int lengthField = version == 1 ? 2 : 4;
        boolean compressed = (flags & FLAG_IS_COMPRESSED) != 0;
        if (payloadLength > MAX_PAYLOAD + (compressed ? lengthField : 0)) {
            throw new CodecException("payload length", lengthOffset, "payload of " + payloadLength
                    + " bytes exceeds " + MAX_PAYLOAD);
        }
        MeshPeerId sender = MeshPeerId.read(frame, r.take(MeshPeerId.LENGTH, "sender id"));
        MeshPeerId recipient = (flags & FLAG_HAS_RECIPIENT) != 0
                ? MeshPeerId.read(frame, r.take(MeshPeerId.LENGTH, "recipient id")) : null;
        List<MeshPeerId> route = List.of();
        if ((flags & FLAG_HAS_ROUTE) != 0) {
            int countOffset = r.pos;
            int count = r.u8("route count");
            if (count == 0) {
                throw new CodecException("route count", countOffset, "route flag set with zero hops");
            }
            List<MeshPeerId> hops = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                hops.add(MeshPeerId.read(frame, r.take(MeshPeerId.LENGTH, "route hop " + i)));
            }
            route = hops;
        }
        byte[] payload;
        byte[] compressedPayload = null;
        if (compressed) {
            if (payloadLength <= lengthField) {
                throw new CodecException("payload length", lengthOffset, "compressed payload of " + payloadLength
                        + " bytes has no data after its original size");
            }
            int sizeOffset = r.pos;
            long original = version == 1 ? r.u16("original size") : r.u32("original size");
            if (original > MAX_PAYLOAD) {
                throw new CodecException("original size", sizeOffset, "declared size " + original + " exceeds " + MAX_PAYLOAD);
            }
            int dataOffset = r.pos;
            int start = r.take((int) (payloadLength - lengthField), "payload");
            compressedPayload = Arrays.copyOfRange(frame, start, r.pos);
            payload = Compression.inflate(compressedPayload, (int) original, dataOffset);
        } else {
            int start = r.take((int) payloadLength, "payload");
            payload = Arrays.copyOfRange(frame, start, r.pos);
        }
        byte[] signature = null;
        if ((flags & FLAG_HAS_SIGNATURE) != 0) {
            int start = r.take(Packet.SIGNATURE_LENGTH, "signature");
            signature = Arrays.copyOfRange(frame, start, r.pos);
        }
        int trailing = frame.length - r.pos;
        if (trailing > 0 && (trailing > 255 || (frame[frame.length - 1] & 0xff) != trailing)) {
            throw new CodecException("padding", r.pos, trailing + " trailing bytes are not PKCS#7 padding");
        }
        return new Packet(version, type, ttl, timestamp, sender, recipient, route, payload, signature,
                (flags & FLAG_IS_RSR) != 0, compressedPayload);
    }

    /** The message type code of an encoded frame without decoding it (-1 when too short). */
    public static int peekType(byte[] frame) {
        return frame.length > 1 ? frame[1] & 0xff : -1;
    }

    private static int putLong(byte[] out, int o, long v) {
        for (int i = 7; i >= 0; i--) {
            out[o + i] = (byte) v;
            v >>>= 8;
        }
        return o + 8;
    }

    private static int putInt(byte[] out, int o, int v) {
        out[o] = (byte) (v >>> 24);
        out[o + 1] = (byte) (v >>> 16);
        out[o + 2] = (byte) (v >>> 8);
        out[o + 3] = (byte) v;
        return o + 4;
    }

    private static int putShort(byte[] out, int o, int v) {
        out[o] = (byte) (v >>> 8);
        out[o + 1] = (byte) v;
        return o + 2;
    }

    /** A bounds-checked cursor over a frame. */
    static final class Reader {
        final byte[] data;
        int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        int take(int n, String field) throws CodecException {
            if (n < 0 || data.length - pos < n) {
                throw new CodecException(field, pos, "needs " + n + " bytes, " + (data.length - pos) + " left");
            }
            int start = pos;
            pos += n;
            return start;
        }

        int u8(String field) throws CodecException {
            return data[take(1, field)] & 0xff;
        }

        int u16(String field) throws CodecException {
            int p = take(2, field);
            return ((data[p] & 0xff) << 8) | (data[p + 1] & 0xff);
        }

        long u32(String field) throws CodecException {
            int p = take(4, field);
            return ((long) (data[p] & 0xff) << 24) | ((data[p + 1] & 0xff) << 16) | ((data[p + 2] & 0xff) << 8)
                    | (data[p + 3] & 0xff);
        }

        long u64(String field) throws CodecException {
            int p = take(8, field);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (data[p + i] & 0xff);
            }
            return v;
        }

        int remaining() {
            return data.length - pos;
        }
    }
}
