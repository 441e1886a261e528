package org.aivillage.betanet.htx.internal;

/** The one exception {@link HttpRequestHead#parse} throws: the message names the field and offset. */
public final class HttpFormatException extends Exception {
    private final int status;

    public HttpFormatException(String field, int offset, String problem, int status) {
        super(field + " at offset " + offset + ": " + problem);
        this.status = status;
    }

    /** The HTTP status a server answers with (400, 414, 431, 505). */
    public int status() {
        return status;
    }
}
