package org.aivillage.betanet.htx;

/**
 * The one exception the access-ticket parsers throw ({@link AccessTicket#parse},
 * {@link TicketPolicy#parse}): the message names the field and the offset. Never carries key
 * material.
 */
public final class TicketFormatException extends Exception {
    public TicketFormatException(String field, int offset, String problem) {
        super(field + " at offset " + offset + ": " + problem);
    }
}
