package org.aivillage.betanet.client;

/** The one exception of the end-to-end message codec ({@link MixMessage}): names the field and the offset. */
public final class MessageFormatException extends Exception {
    public MessageFormatException(String field, int offset, String problem) {
        super(field + " at offset " + offset + ": " + problem);
    }
}
