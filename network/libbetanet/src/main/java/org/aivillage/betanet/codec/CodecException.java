package org.aivillage.betanet.codec;

import java.io.IOException;

/**
 * The one exception every decoder of this package throws for malformed input. The message names
 * the field and the byte offset where decoding stopped; it never contains secret material.
 */
public class CodecException extends IOException {
    private final String field;
    private final long offset;

    public CodecException(String field, long offset, String problem) {
        super(field + " at offset " + offset + ": " + problem);
        this.field = field;
        this.offset = offset;
    }

    /** The name of the field being decoded when the input was found malformed. */
    public String field() {
        return field;
    }

    /** The byte offset (from the start of the decoded input) where the problem was found. */
    public long offset() {
        return offset;
    }
}
