package org.aivillage.betanet.utls;

import java.util.Arrays;
import java.util.HexFormat;

/** One extension as it appears on the wire: its 16-bit type and its body. */
public record TlsExtension(int type, byte[] data) {
    public TlsExtension {
        if (type < 0 || type > 0xffff) {
            throw new IllegalArgumentException("extension type out of range: " + type);
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    int length() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsExtension e && e.type == type && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format("TlsExtension[0x%04x, %s]", type, HexFormat.of().formatHex(data));
    }
}
