package org.aivillage.bitchat.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.aivillage.betanet.codec.CodecException;

/**
 * What travels inside a {@link MessageType#NOISE_ENCRYPTED} packet after decryption
 * ({@code NoisePayload} upstream): one type byte, then the body.
 *
 * <ul>
 *   <li>0x01 private message: TLVs 0x00 message ID, 0x01 content (UTF-8). One-byte type and
 *       length ({@code [type u8][len u8][value]}, iOS) when both fit in 255 bytes, else two-byte
 *       ({@code [type u16][len u16][value]}, bitchat-android's {@code encode2B}). The two are told
 *       apart without guessing: a one-byte form never starts with {@code 00 00} (the message ID
 *       is never empty), the two-byte form always does.</li>
 *   <li>0x02 read receipt, 0x03 delivered: the message ID in UTF-8.</li>
 *   <li>0x40 application data (this project's extension): two-byte TLVs 0x00 message ID, 0x01 data.</li>
 * </ul>
 */
public sealed interface NoisePayload {
    int PRIVATE_MESSAGE = 0x01;
    int READ_RECEIPT = 0x02;
    int DELIVERED = 0x03;
    int APP_DATA = 0x40;

    /** The message ID this payload carries or acknowledges. */
    String messageId();

    byte[] encode();

    record PrivateMessage(String messageId, String content) implements NoisePayload {
        public PrivateMessage {
            requireId(messageId);
            Objects.requireNonNull(content, "content");
        }

        @Override
        public byte[] encode() {
            byte[] id = Utf8.encode(messageId);
            byte[] text = Utf8.encode(content);
            ByteArrayOutputStream out = new ByteArrayOutputStream(8 + id.length + text.length);
            out.write(PRIVATE_MESSAGE);
            if (id.length <= 255 && text.length <= 255) {
                AnnouncePayload.tlv(out, 0x00, id);
                AnnouncePayload.tlv(out, 0x01, text);
            } else {
                tlv2(out, 0x00, id);
                tlv2(out, 0x01, text);
            }
            return out.toByteArray();
        }
    }

    record ReadReceipt(String messageId) implements NoisePayload {
        public ReadReceipt {
            requireId(messageId);
        }

        @Override
        public byte[] encode() {
            return typed(READ_RECEIPT, Utf8.encode(messageId));
        }
    }

    record Delivered(String messageId) implements NoisePayload {
        public Delivered {
            requireId(messageId);
        }

        @Override
        public byte[] encode() {
            return typed(DELIVERED, Utf8.encode(messageId));
        }
    }

    record AppData(String messageId, byte[] data) implements NoisePayload {
        public AppData {
            requireId(messageId);
            Objects.requireNonNull(data, "data");
            if (data.length > 0xffff) {
                throw new IllegalArgumentException("application data above 65535 bytes");
            }
        }

        @Override
        public byte[] encode() {
            byte[] id = Utf8.encode(messageId);
            ByteArrayOutputStream out = new ByteArrayOutputStream(9 + id.length + data.length);
            out.write(APP_DATA);
            tlv2(out, 0x00, id);
            tlv2(out, 0x01, data);
            return out.toByteArray();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AppData a && messageId.equals(a.messageId) && Arrays.equals(data, a.data);
        }

        @Override
        public int hashCode() {
            return messageId.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "AppData[" + messageId + ", " + data.length + "B]";
        }
    }

    /** Decodes a decrypted payload; unknown payload types are a {@link CodecException}. */
    static NoisePayload decode(byte[] p) throws CodecException {
        if (p.length == 0) {
            throw new CodecException("noise payload type", 0, "empty payload");
        }
        int type = p[0] & 0xff;
        return switch (type) {
            case PRIVATE_MESSAGE -> decodePrivate(p);
            case READ_RECEIPT -> new ReadReceipt(id(p, 1, p.length - 1));
            case DELIVERED -> new Delivered(id(p, 1, p.length - 1));
            case APP_DATA -> {
                byte[][] f = tlv2Fields(p, 1, "app data");
                yield new AppData(id(f[0], 0, f[0].length), f[1]);
            }
            default -> throw new CodecException("noise payload type", 0, String.format("unknown type 0x%02x", type));
        };
    }

    private static NoisePayload decodePrivate(byte[] p) throws CodecException {
        if (p.length >= 3 && p[1] == 0 && p[2] == 0) {
            byte[][] f = tlv2Fields(p, 1, "private message");
            return new PrivateMessage(id(f[0], 0, f[0].length), Utf8.decode(f[1], "private message content"));
        }
        String messageId = null;
        String content = null;
        int o = 1;
        while (o < p.length) {
            if (p.length - o < 2) {
                throw new CodecException("private message tlv", o, "truncated TLV header");
            }
            int t = p[o] & 0xff;
            int len = p[o + 1] & 0xff;
            int v = o + 2;
            if (p.length - v < len) {
                throw new CodecException("private message tlv", o, "TLV of " + len + " bytes overruns the payload");
            }
            switch (t) {
                case 0x00 -> messageId = id(p, v, len);
                case 0x01 -> content = Utf8.decode(p, v, len, "private message content");
                default -> throw new CodecException("private message tlv", o, "unknown TLV type " + t);
            }
            o = v + len;
        }
        if (messageId == null || content == null) {
            throw new CodecException("private message", p.length, "missing " + (messageId == null ? "message id" : "content"));
        }
        return new PrivateMessage(messageId, content);
    }

    /** Reads two-byte TLVs from {@code start}: returns {field 0, field 1}; unknown types are skipped. */
    private static byte[][] tlv2Fields(byte[] p, int start, String what) throws CodecException {
        byte[] f0 = null;
        byte[] f1 = null;
        int o = start;
        while (o < p.length) {
            if (p.length - o < 4) {
                throw new CodecException(what + " tlv", o, "truncated TLV header");
            }
            int t = ((p[o] & 0xff) << 8) | (p[o + 1] & 0xff);
            int len = ((p[o + 2] & 0xff) << 8) | (p[o + 3] & 0xff);
            int v = o + 4;
            if (p.length - v < len) {
                throw new CodecException(what + " tlv", o, "TLV of " + len + " bytes overruns the payload");
            }
            if (t == 0) {
                f0 = Arrays.copyOfRange(p, v, v + len);
            } else if (t == 1) {
                f1 = Arrays.copyOfRange(p, v, v + len);
            }
            o = v + len;
        }
        if (f0 == null || f1 == null) {
            throw new CodecException(what, p.length, "missing " + (f0 == null ? "message id" : "content"));
        }
        return new byte[][] {f0, f1};
    }

    private static String id(byte[] p, int offset, int length) throws CodecException {
        if (length == 0 || length > 255) {
            throw new CodecException("message id", offset, "must be 1..255 bytes, was " + length);
        }
        return Utf8.decode(p, offset, length, "message id");
    }

    private static void requireId(String messageId) {
        Objects.requireNonNull(messageId, "messageId");
        int n = Utf8.encode(messageId).length;
        if (n == 0 || n > 255) {
            throw new IllegalArgumentException("a message id is 1..255 UTF-8 bytes");
        }
    }

    private static byte[] typed(int type, byte[] body) {
        byte[] out = new byte[1 + body.length];
        out[0] = (byte) type;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    private static void tlv2(ByteArrayOutputStream out, int type, byte[] value) {
        if (value.length > 0xffff) {
            throw new IllegalArgumentException("TLV value above 65535 bytes");
        }
        out.write(type >>> 8);
        out.write(type);
        out.write(value.length >>> 8);
        out.write(value.length);
        out.writeBytes(value);
    }
}
