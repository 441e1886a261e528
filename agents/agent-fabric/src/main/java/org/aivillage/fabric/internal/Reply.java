package org.aivillage.fabric.internal;

import com.fasterxml.jackson.databind.JsonNode;
import org.aivillage.fabric.FabricException;

/** Where a replica sends the outcome of one request. Called from the replica's thread, once. */
public interface Reply {
    void ok(Replica replica, JsonNode content);

    void error(FabricException.Code code, String message);

    /** True when nobody waits any more (caller timed out): the replica skips the message. */
    default boolean abandoned() {
        return false;
    }
}
