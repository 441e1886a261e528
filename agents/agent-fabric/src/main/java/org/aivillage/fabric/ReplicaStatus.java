package org.aivillage.fabric;

import java.util.Optional;

/**
 * One replica as its host sees it.
 *
 * @param index replica index, 0-based
 * @param node id of the hosting node, or empty while not placed
 * @param state lifecycle state
 * @param processed messages handled successfully
 * @param failed messages whose handler threw
 * @param rejected messages refused because the mailbox was full
 * @param queued messages waiting in the mailbox now
 * @param lastError the last start or handler error, if any
 */
public record ReplicaStatus(int index, Optional<String> node, AgentState state, long processed, long failed,
        long rejected, int queued, Optional<String> lastError) {
}
