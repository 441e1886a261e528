package org.aivillage.betanet.mixnode;

/**
 * The one exception of the Sphinx codec and processor: a packet, SURB or reply that is malformed,
 * fails authentication, or cannot be processed by this node. The message names the field and the
 * byte offset; it never contains key material. Processing a bad packet changes nothing.
 */
public final class SphinxException extends Exception {
    private final String field;
    private final int offset;

    public SphinxException(String field, int offset, String problem) {
        super(field + " at offset " + offset + ": " + problem);
        this.field = field;
        this.offset = offset;
    }

    /** The field that was wrong (e.g. "gamma", "length", "payload"). */
    public String field() {
        return field;
    }

    /** The byte offset of that field in the input. */
    public int offset() {
        return offset;
    }
}
