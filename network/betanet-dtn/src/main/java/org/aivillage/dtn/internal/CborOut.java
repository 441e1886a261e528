package org.aivillage.dtn.internal;

import java.nio.charset.StandardCharsets;
import org.aivillage.betanet.codec.CborEncoder;
import org.aivillage.dtn.EndpointId;

/** Small helpers over {@link CborEncoder} for BPv7 structures. */
public final class CborOut {
    private CborOut() {}

    public static void uint(CborEncoder e, long v) {
        e.writeHead(0, v);
    }

    public static void array(CborEncoder e, int n) {
        e.writeHead(4, n);
    }

    public static void bytes(CborEncoder e, byte[] b) {
        e.writeHead(2, b.length);
        e.writeRaw(b);
    }

    public static void text(CborEncoder e, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        e.writeHead(3, b.length);
        e.writeRaw(b);
    }

    public static void bool(CborEncoder e, boolean b) {
        e.writeRaw(new byte[] {(byte) (b ? 0xf5 : 0xf4)});
    }

    public static void eid(CborEncoder e, EndpointId id) {
        array(e, 2);
        switch (id) {
            case EndpointId.Dtn d -> {
                uint(e, EndpointId.SCHEME_DTN);
                if (d.isNone()) {
                    uint(e, 0);
                } else {
                    text(e, d.ssp());
                }
            }
            case EndpointId.Ipn i -> {
                uint(e, EndpointId.SCHEME_IPN);
                array(e, 2);
                uint(e, i.nodeNumber());
                uint(e, i.serviceNumber());
            }
        }
    }

    public static byte[] eidBytes(EndpointId id) {
        CborEncoder e = new CborEncoder(false);
        eid(e, id);
        return e.toByteArray();
    }
}
