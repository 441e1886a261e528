package org.aivillage.betanet.utls.internal;

import org.aivillage.betanet.utls.TlsDecodeException;

/** Extracts one handshake message from raw TLS records or from a bare handshake message. */
public final class HandshakeFraming {
    private HandshakeFraming() {}

    /** Largest handshake message accepted from untrusted input. */
    public static final int MAX_HANDSHAKE = 1 << 17;

    /**
     * Returns the first handshake message (header included) of {@code expectedType}. Input starting
     * with 0x16 is read as plaintext handshake records whose fragments are concatenated.
     */
    public static byte[] firstHandshakeMessage(byte[] in, int expectedType, String what) throws TlsDecodeException {
        if (in == null || in.length == 0) {
            throw new TlsDecodeException(what, 0, "empty input");
        }
        byte[] hs = in;
        if ((in[0] & 0xff) == 0x16) {
            ByteReader r = new ByteReader(in);
            ByteWriter w = new ByteWriter(in.length);
            while (r.hasRemaining()) {
                int at = r.offset();
                int type = r.u8("record.content_type");
                if (type != 0x16) {
                    if (w.size() > 0) {
                        break;
                    }
                    throw new TlsDecodeException("record.content_type", at, "expected handshake (22), got " + type);
                }
                r.u16("record.legacy_version");
                byte[] frag = r.vector(2, "record.fragment");
                if (frag.length > 16384) {
                    throw new TlsDecodeException("record.fragment", at + 3, "longer than 2^14");
                }
                w.bytes(frag);
                if (w.size() >= 4) {
                    byte[] sofar = w.toByteArray();
                    int len = ((sofar[1] & 0xff) << 16) | ((sofar[2] & 0xff) << 8) | (sofar[3] & 0xff);
                    if (sofar.length >= 4 + len) {
                        break;
                    }
                }
            }
            hs = w.toByteArray();
        }
        ByteReader r = new ByteReader(hs);
        int type = r.u8("handshake.msg_type");
        if (type != expectedType) {
            throw new TlsDecodeException("handshake.msg_type", 0, "expected " + what + " (" + expectedType + "), got " + type);
        }
        int len = r.u24("handshake.length");
        if (len > MAX_HANDSHAKE) {
            throw new TlsDecodeException("handshake.length", 1, "message of " + len + " bytes exceeds " + MAX_HANDSHAKE);
        }
        r.bytes(len, what);
        byte[] out = new byte[4 + len];
        System.arraycopy(hs, 0, out, 0, out.length);
        return out;
    }
}
