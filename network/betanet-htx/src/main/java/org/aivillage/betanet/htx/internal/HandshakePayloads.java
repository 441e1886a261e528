package org.aivillage.betanet.htx.internal;

import org.aivillage.betanet.codec.QuicVarint;
import java.util.Arrays;
import org.aivillage.betanet.crypto.MlKem768;

/**
 * The plaintext payloads of the three Noise XK messages (docs/protocols/htx.md §Handshake):
 *
 * <pre>
 * msg1 (client):  u8 version=1 | u8 flags (bit 0: ML-KEM-768 offered) | [ek 1184]
 * msg2 (server):  u8 version=1 | u8 status (0 X25519, 1 hybrid, 2 refused: hybrid required)
 *                 | [ct 1088 when status=1] | settings (absent when status=2)
 * msg3 (client):  settings
 * settings:       varint max_streams | varint max_frame_length
 * </pre>
 *
 * Pure functions; every parse failure is a {@link FrameFormatException} naming field and offset.
 */
public final class HandshakePayloads {
    public static final int VERSION = 1;
    public static final int FLAG_HYBRID = 1;
    public static final int STATUS_X25519 = 0;
    public static final int STATUS_HYBRID = 1;
    public static final int STATUS_REFUSED_HYBRID_REQUIRED = 2;

    private HandshakePayloads() {}

    public record Settings(long maxStreams, long maxFrameLength) {
        public Settings {
            if (maxStreams < 1 || maxStreams > QuicVarint.MAX_VALUE || maxFrameLength < 1 || maxFrameLength > FrameCodec.MAX_LENGTH) {
                throw new IllegalArgumentException("settings out of range");
            }
        }
    }

    /** msg1: the client's offer. {@code kemPublic} null = no ML-KEM offer. */
    public record ClientHello(byte[] kemPublic) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ClientHello c && Arrays.equals(c.kemPublic, kemPublic);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(kemPublic);
        }
    }

    /** msg2: the server's answer. {@code kemCiphertext} only with STATUS_HYBRID; settings null when refused. */
    public record ServerHello(int status, byte[] kemCiphertext, Settings settings) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ServerHello s && s.status == status && Arrays.equals(s.kemCiphertext, kemCiphertext)
                    && java.util.Objects.equals(s.settings, settings);
        }

        @Override
        public int hashCode() {
            return status;
        }
    }

    public static byte[] encodeClientHello(ClientHello h) {
        int kem = h.kemPublic() == null ? 0 : h.kemPublic().length;
        byte[] out = new byte[2 + kem];
        out[0] = VERSION;
        out[1] = (byte) (kem > 0 ? FLAG_HYBRID : 0);
        if (kem > 0) {
            System.arraycopy(h.kemPublic(), 0, out, 2, kem);
        }
        return out;
    }

    public static ClientHello decodeClientHello(byte[] in) throws FrameFormatException {
        if (in.length < 2) {
            throw new FrameFormatException("msg1.version", in.length, "truncated");
        }
        if ((in[0] & 0xFF) != VERSION) {
            throw new FrameFormatException("msg1.version", 0, "unsupported version " + (in[0] & 0xFF));
        }
        int flags = in[1] & 0xFF;
        if ((flags & ~FLAG_HYBRID) != 0) {
            throw new FrameFormatException("msg1.flags", 1, "unknown flags " + flags);
        }
        if ((flags & FLAG_HYBRID) != 0) {
            if (in.length != 2 + MlKem768.PUBLIC_KEY_LENGTH) {
                throw new FrameFormatException("msg1.kem_public", 2, "needs " + MlKem768.PUBLIC_KEY_LENGTH + " bytes, has " + (in.length - 2));
            }
            return new ClientHello(Arrays.copyOfRange(in, 2, in.length));
        }
        if (in.length != 2) {
            throw new FrameFormatException("msg1", 2, "trailing bytes");
        }
        return new ClientHello(null);
    }

    public static byte[] encodeServerHello(ServerHello h) {
        byte[] ct = h.status() == STATUS_HYBRID ? h.kemCiphertext() : new byte[0];
        byte[] settings = h.settings() == null ? new byte[0] : encodeSettings(h.settings());
        byte[] out = new byte[2 + ct.length + settings.length];
        out[0] = VERSION;
        out[1] = (byte) h.status();
        System.arraycopy(ct, 0, out, 2, ct.length);
        System.arraycopy(settings, 0, out, 2 + ct.length, settings.length);
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
                yield new ServerHello(status, null, null);
            }
            case STATUS_X25519 -> new ServerHello(status, null, decodeSettings(in, 2, "msg2.settings"));
            case STATUS_HYBRID -> {
                if (in.length < 2 + MlKem768.CIPHERTEXT_LENGTH) {
                    throw new FrameFormatException("msg2.kem_ciphertext", 2, "truncated");
                }
                yield new ServerHello(status, Arrays.copyOfRange(in, 2, 2 + MlKem768.CIPHERTEXT_LENGTH),
                        decodeSettings(in, 2 + MlKem768.CIPHERTEXT_LENGTH, "msg2.settings"));
            }
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
