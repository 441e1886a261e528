package org.aivillage.betanet.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** The ChaCha20-Poly1305 known answer of RFC 8439 §2.8.2, for the native back ends' self-tests at class load. */
final class Rfc8439 {
    private Rfc8439() {}

    /** {key, nonce, aad, plaintext, ciphertext || tag}, fresh arrays on every call. */
    static byte[][] vector() {
        HexFormat hex = HexFormat.of();
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (0x80 + i);
        }
        byte[] plaintext = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
                + " sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = hex.parseHex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58"
                + "fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
                + "1ae10b594f09e26a7e902ecbd0600691");
        return new byte[][] {key, hex.parseHex("070000004041424344454647"), hex.parseHex("50515253c0c1c2c3c4c5c6c7"),
            plaintext, sealed};
    }
}
