package org.aivillage.betanet.utls;

import java.io.IOException;

/**
 * The one exception of every parser in this module (ClientHello, ServerHello, templates, TLS
 * handshake messages): the input is not a well-formed value. The message names the field and the
 * byte offset where decoding stopped; it never contains secret material.
 */
public class TlsDecodeException extends IOException {
    private final String field;
    private final int offset;

    public TlsDecodeException(String field, int offset, String problem) {
        super(field + " at offset " + offset + ": " + problem);
        this.field = field;
        this.offset = offset;
    }

    /** The field being decoded when the input turned out malformed. */
    public String field() {
        return field;
    }

    /** The byte offset (within the parsed buffer) where decoding failed, or -1 when not positional. */
    public int offset() {
        return offset;
    }
}
