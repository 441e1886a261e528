package org.aivillage.betanet.utls.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.aivillage.betanet.utls.TlsExtension;
import org.aivillage.betanet.utls.internal.ByteWriter;

/** Hand-built hello messages for fingerprint tests. */
public final class Hellos {
    private Hellos() {}

    public static byte[] clientHello(int legacyVersion, List<Integer> ciphers, List<TlsExtension> extensions) {
        ByteWriter w = new ByteWriter();
        w.u8(1);
        int l = w.beginLength(3);
        w.u16(legacyVersion).bytes(new byte[32]).vector(1, new byte[32]);
        int cs = w.beginLength(2);
        ciphers.forEach(w::u16);
        w.endLength(cs, 2);
        w.u8(1).u8(0);
        int el = w.beginLength(2);
        for (TlsExtension e : extensions) {
            w.u16(e.type()).vector(2, e.data());
        }
        w.endLength(el, 2);
        w.endLength(l, 3);
        return w.toByteArray();
    }

    public static byte[] serverHello(int cipher, List<TlsExtension> extensions) {
        ByteWriter w = new ByteWriter();
        w.u8(2);
        int l = w.beginLength(3);
        w.u16(0x0303).bytes(new byte[32]).vector(1, new byte[0]).u16(cipher).u8(0);
        int el = w.beginLength(2);
        for (TlsExtension e : extensions) {
            w.u16(e.type()).vector(2, e.data());
        }
        w.endLength(el, 2);
        w.endLength(l, 3);
        return w.toByteArray();
    }

    public static TlsExtension sni(String host) {
        ByteWriter w = new ByteWriter();
        int l = w.beginLength(2);
        w.u8(0).vector(2, host.getBytes(StandardCharsets.US_ASCII));
        w.endLength(l, 2);
        return new TlsExtension(0, w.toByteArray());
    }

    public static TlsExtension alpn(byte[]... protocols) {
        ByteWriter w = new ByteWriter();
        int l = w.beginLength(2);
        for (byte[] p : protocols) {
            w.vector(1, p);
        }
        w.endLength(l, 2);
        return new TlsExtension(0x10, w.toByteArray());
    }

    public static TlsExtension u16List(int type, int lengthBytes, List<Integer> values) {
        ByteWriter w = new ByteWriter();
        int l = w.beginLength(lengthBytes);
        values.forEach(w::u16);
        w.endLength(l, lengthBytes);
        return new TlsExtension(type, w.toByteArray());
    }

    public static TlsExtension empty(int type) {
        return new TlsExtension(type, new byte[0]);
    }
}
