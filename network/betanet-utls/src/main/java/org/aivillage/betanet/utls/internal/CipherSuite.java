package org.aivillage.betanet.utls.internal;

/** The three TLS 1.3 AEAD cipher suites. */
public enum CipherSuite {
    TLS_AES_128_GCM_SHA256(0x1301, 16, TlsHash.SHA256),
    TLS_AES_256_GCM_SHA384(0x1302, 32, TlsHash.SHA384),
    TLS_CHACHA20_POLY1305_SHA256(0x1303, 32, TlsHash.SHA256);

    public final int code;
    public final int keyLength;
    public final TlsHash hash;

    CipherSuite(int code, int keyLength, TlsHash hash) {
        this.code = code;
        this.keyLength = keyLength;
        this.hash = hash;
    }

    public static CipherSuite of(int code) {
        for (CipherSuite s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
