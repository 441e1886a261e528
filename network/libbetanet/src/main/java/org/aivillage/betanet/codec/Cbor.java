package org.aivillage.betanet.codec;

import java.util.Arrays;

/** Entry points for CBOR (RFC 8949) encoding and decoding of {@link CborValue}s. */
public final class Cbor {
    private Cbor() {}

    /** Encodes as given: indefinite lengths and map order are kept, heads are shortest. */
    public static byte[] encode(CborValue value) {
        return new CborEncoder(false).write(value).toByteArray();
    }

    /** Deterministic encoding (RFC 8949 §4.2.1): shortest heads and floats, definite lengths, sorted map keys. */
    public static byte[] encodeDeterministic(CborValue value) {
        return new CborEncoder(true).write(value).toByteArray();
    }

    /** Decodes exactly one item that spans the whole input. */
    public static CborValue decode(byte[] bytes) throws CodecException {
        CborDecoder d = new CborDecoder(bytes);
        CborValue v = d.read();
        if (!d.atEnd()) {
            throw new CodecException("cbor", d.position(), (bytes.length - d.position()) + " trailing bytes after the item");
        }
        return v;
    }

    /** Decodes one item and requires that the input is its deterministic encoding. */
    public static CborValue decodeDeterministic(byte[] bytes) throws CodecException {
        CborValue v = decode(bytes);
        byte[] canonical = encodeDeterministic(v);
        if (!Arrays.equals(canonical, bytes)) {
            int i = Arrays.mismatch(canonical, bytes);
            throw new CodecException("cbor", Math.max(i, 0), "not in deterministic encoding (RFC 8949 §4.2.1)");
        }
        return v;
    }
}
