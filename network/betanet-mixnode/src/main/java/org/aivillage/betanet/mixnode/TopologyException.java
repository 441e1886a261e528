package org.aivillage.betanet.mixnode;

/**
 * The one exception of the topology and descriptor codecs: malformed bytes, a missing or wrong
 * signature, or a document that is stale. The message names the field and the offset.
 */
public final class TopologyException extends Exception {
    public TopologyException(String field, int offset, String problem) {
        super(field + " at offset " + offset + ": " + problem);
    }
}
