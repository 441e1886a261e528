package org.aivillage.bitchat.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.aivillage.betanet.codec.CodecException;

/** Strict UTF-8 decoding: malformed input is a {@link CodecException}, never replaced silently. */
public final class Utf8 {
    private Utf8() {
    }

    public static String decode(byte[] bytes, int offset, int length, String field) throws CodecException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new CodecException(field, offset, "not valid UTF-8");
        }
    }

    public static String decode(byte[] bytes, String field) throws CodecException {
        return decode(bytes, 0, bytes.length, field);
    }

    public static byte[] encode(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
