package org.aivillage.betanet.codec;

import java.util.Base64;

/** Base64URL (RFC 4648 §5) without padding on output; decoding accepts input with or without padding. */
public final class Base64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {}

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    public static byte[] decode(String text) throws CodecException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '=';
            if (!ok) {
                throw new CodecException("base64url", i, "character outside the URL-safe alphabet");
            }
        }
        try {
            return DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw new CodecException("base64url", text.length(), "bad length or padding");
        }
    }
}
