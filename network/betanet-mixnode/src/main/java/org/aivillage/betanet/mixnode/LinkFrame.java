package org.aivillage.betanet.mixnode;

import java.util.Arrays;

/**
 * What travels on a mixnet link: Sphinx packets between nodes (and from clients to their entry
 * node), a client registering its reply mailbox with its provider, and SURB replies the provider
 * hands to that client. Every frame is a type byte and a fixed-size body, so frame sizes reveal only
 * the frame type.
 */
public sealed interface LinkFrame {
    byte TYPE_PACKET = 1;
    byte TYPE_REGISTER = 2;
    byte TYPE_REPLY = 3;

    byte[] encode();

    /** A Sphinx packet ({@link Sphinx#PACKET_LENGTH} bytes). */
    record Packet(byte[] packet) implements LinkFrame {
        public Packet {
            if (packet == null || packet.length != Sphinx.PACKET_LENGTH) {
                throw new IllegalArgumentException("packet must be " + Sphinx.PACKET_LENGTH + " bytes");
            }
        }

        @Override
        public byte[] encode() {
            byte[] out = new byte[1 + Sphinx.PACKET_LENGTH];
            out[0] = TYPE_PACKET;
            System.arraycopy(packet, 0, out, 1, Sphinx.PACKET_LENGTH);
            return out;
        }
    }

    /** A client asks its provider to hand it SURB replies addressed to {@code mailbox}. */
    record Register(RouteId mailbox) implements LinkFrame {
        @Override
        public byte[] encode() {
            byte[] out = new byte[1 + RouteId.LENGTH];
            out[0] = TYPE_REGISTER;
            mailbox.writeTo(out, 1);
            return out;
        }
    }

    /** A provider hands a SURB reply payload ({@link Sphinx#PAYLOAD_LENGTH} bytes) to the client owning {@code surbId}. */
    record Reply(RouteId surbId, byte[] payload) implements LinkFrame {
        public Reply {
            if (payload == null || payload.length != Sphinx.PAYLOAD_LENGTH) {
                throw new IllegalArgumentException("reply payload must be " + Sphinx.PAYLOAD_LENGTH + " bytes");
            }
        }

        @Override
        public byte[] encode() {
            byte[] out = new byte[1 + RouteId.LENGTH + Sphinx.PAYLOAD_LENGTH];
            out[0] = TYPE_REPLY;
            surbId.writeTo(out, 1);
            System.arraycopy(payload, 0, out, 1 + RouteId.LENGTH, Sphinx.PAYLOAD_LENGTH);
            return out;
        }
    }

    /** Body length of a frame type, or -1 for an unknown type. */
    static int bodyLength(int type) {
        return switch (type) {
            case TYPE_PACKET -> Sphinx.PACKET_LENGTH;
            case TYPE_REGISTER -> RouteId.LENGTH;
            case TYPE_REPLY -> RouteId.LENGTH + Sphinx.PAYLOAD_LENGTH;
            default -> -1;
        };
    }

    /** Parses one whole frame (type byte included). */
    static LinkFrame decode(byte[] frame) throws SphinxException {
        if (frame == null || frame.length < 1) {
            throw new SphinxException("frame.type", 0, "empty frame");
        }
        int len = bodyLength(frame[0]);
        if (len < 0) {
            throw new SphinxException("frame.type", 0, "unknown frame type " + (frame[0] & 0xff));
        }
        if (frame.length != 1 + len) {
            throw new SphinxException("frame.body", 1, "type " + frame[0] + " needs " + len + " bytes, got " + (frame.length - 1));
        }
        return decodeBody(frame[0], frame, 1);
    }

    /** Parses a frame body of the given type from {@code b[off..off+bodyLength(type))}. */
    static LinkFrame decodeBody(int type, byte[] b, int off) throws SphinxException {
        return switch (type) {
            case TYPE_PACKET -> new Packet(Arrays.copyOfRange(b, off, off + Sphinx.PACKET_LENGTH));
            case TYPE_REGISTER -> new Register(RouteId.of(b, off));
            case TYPE_REPLY -> new Reply(RouteId.of(b, off),
                    Arrays.copyOfRange(b, off + RouteId.LENGTH, off + RouteId.LENGTH + Sphinx.PAYLOAD_LENGTH));
            default -> throw new SphinxException("frame.type", off - 1, "unknown frame type " + (type & 0xff));
        };
    }
}
