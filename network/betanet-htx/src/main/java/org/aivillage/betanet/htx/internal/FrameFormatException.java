package org.aivillage.betanet.htx.internal;

/**
 * The one exception the HTX frame parsers throw: the bytes are not a well-formed frame. The
 * message names the field and the byte offset (relative to the frame start for headers, to the
 * plaintext start for payloads). Never carries key material or payload bytes.
 */
public final class FrameFormatException extends Exception {
    private final String field;
    private final int offset;

    public FrameFormatException(String field, int offset, String problem) {
        super(field + " at offset " + offset + ": " + problem);
        this.field = field;
        this.offset = offset;
    }

    public String field() {
        return field;
    }

    public int offset() {
        return offset;
    }
}
