package org.aivillage.bitchat;

/**
 * Counters of one node since it started.
 *
 * @param framesReceived frames handed up by transports
 * @param framesSent frames handed to transports (one per transport broadcast)
 * @param packetsRelayed packets rebroadcast for others
 * @param retransmissions own packets sent again because no neighbour was heard relaying them
 * @param relaysDeclined relays the policy declined
 * @param relaysSuppressed pending relays cancelled after overhearing copies
 * @param duplicates packets dropped as already seen
 * @param malformed frames that did not decode
 * @param badSignatures packets whose signature or key binding failed
 * @param replays stale announces, replayed Noise nonces and out-of-window timestamps
 * @param decryptFailures Noise messages that did not authenticate or had no session
 * @param messagesDelivered messages handed to the application
 * @param storedMessages messages currently held for offline peers (own queue and relay cache)
 */
public record NodeStats(long framesReceived, long framesSent, long packetsRelayed, long retransmissions, long relaysDeclined,
        long relaysSuppressed, long duplicates, long malformed, long badSignatures, long replays,
        long decryptFailures, long messagesDelivered, long storedMessages) {
}
