package org.aivillage.betanet.htx.internal;

import org.aivillage.betanet.codec.QuicVarint;

/**
 * The plaintext payloads of the three Noise messages (docs/protocols/htx.md §Handshake):
 *
 * <pre>
 * msg1 (client):  u8 version=1 | u8 flags=0 (reserved)
 * msg2 (server):  u8 version=1 | u8 status (0 X25519, 1 hybrid, 2 refused: hybrid required)
 *                 | settings (absent when status=2)
 * msg3 (client):  settings
 * settings:       varint max_streams | varint max_frame_length
 * </pre>
 *
 * The ML-KEM-768 key and ciphertext are Noise tokens (XKhfs e1/ekem1), not payload fields.
 * Pure functions; every parse failure is a {@link FrameFormatException} naming field and offset.
 */
public final class HandshakePayloads {
    public static final int VERSION = 1;
    public static final int STATUS_X25519 = 0;
    public static final int STATUS_HYBRID = 1;
    public static final int STATUS_REFUSED_HYBRID_REQUIRED = 2;
    public static final byte[] CLIENT_HELLO = {VERSION, 0};

    private HandshakePayloads() {}

    public record Settings(long maxStreams, long maxFrameLength) {
        public Settings {
            if (maxStreams < 1 || maxStreams > QuicVarint.MAX_VALUE || maxFrameLength < 1024 || maxFrameLength > FrameCodec.MAX_LENGTH) {
                throw new IllegalArgumentException("settings out of range");
            }
        }
    }

    /** msg2: the server's answer; settings null when refused. */
    public record ServerHello(int status, Settings settings) {}

    public static void checkClientHello(byte[] in) throws FrameFormatException {
        if (in.length < 1) {
            throw new FrameFormatException("msg1.version", 0, "missing");
        }
        if ((in[0] & 0xFF) != VERSION) {
            throw new FrameFormatException("msg1.version", 0, "unsupported version " + (in[0] & 0xFF));
        }
        if (in.length != 2) {
            throw new FrameFormatException("msg1", Math.min(in.length, 2), "must be 2 bytes, is " + in.length);
        }
        if (in[1] != 0) {
            throw new FrameFormatException("msg1.flags", 1, "unknown flags " + (in[1] & 0xFF));
        }
    }

    public static byte[] encodeServerHello(ServerHello h) {
        byte[] settings = h.settings() == null ? new byte[0] : encodeSettings(h.settings());
        byte[] out = new byte[2 + settings.length];
        out[0] = VERSION;
        out[1] = (byte) h.status();
        System.arraycopy(settings, 0, out, 2, settings.length);
        return out;
    }

    public static ServerHello decodeServerHello(byte[] in) throws FrameFormatException {
        if (in.length < 2) {
            throw new FrameFormatException("msg2.version", in.length, "truncated");
        }
        if ((in[0] & 0xFF) != VERSION) {
            throw new FrameFormatException("msg2.version", 0, "unsupported version " + (in[0] & 0xFF));
        }
        int status = in[1] & 0xFF;
        return switch (status) {
            case STATUS_REFUSED_HYBRID_REQUIRED -> {
                if (in.length != 2) {
                    throw new FrameFormatException("msg2", 2, "trailing bytes after refusal");
                }
                yield new ServerHello(status, null);
            }
            case STATUS_X25519, STATUS_HYBRID -> new ServerHello(status, decodeSettings(in, 2, "msg2.settings"));
            default -> throw new FrameFormatException("msg2.status", 1, "unknown status " + status);
        };
    }

    public static byte[] encodeSettings(Settings s) {
        byte[] out = new byte[QuicVarint.encodedLength(s.maxStreams()) + QuicVarint.encodedLength(s.maxFrameLength())];
        int n = QuicVarint.encode(s.maxStreams(), out, 0);
        QuicVarint.encode(s.maxFrameLength(), out, n);
        return out;
    }

    /** Settings occupying exactly {@code in[off..]}. */
    public static Settings decodeSettings(byte[] in, int off, String field) throws FrameFormatException {
        long streams = FrameCodec.readVarint(in, off, in.length, field + ".max_streams", off);
        int n = QuicVarint.lengthOf(in[off]);
        long frame = FrameCodec.readVarint(in, off + n, in.length, field + ".max_frame_length", off + n);
        int m = QuicVarint.lengthOf(in[off + n]);
        if (off + n + m != in.length) {
            throw new FrameFormatException(field, off + n + m, "trailing bytes");
        }
        if (streams < 1) {
            throw new FrameFormatException(field + ".max_streams", off, "must be at least 1");
        }
        if (frame < 1024 || frame > FrameCodec.MAX_LENGTH) {
            throw new FrameFormatException(field + ".max_frame_length", off + n, "must be 1024..16777215, is " + frame);
        }
        return new Settings(streams, frame);
    }
}
