package org.aivillage.config;

import java.time.Duration;
import java.util.Optional;

/** {@code [network.bitchat]}: the offline peer-to-peer mesh. */
@Section(value = "network.bitchat", doc = "BitChat offline mesh.")
public record BitchatConfig(
        @Key(doc = "Mesh peer identifier; unset = derived from the node's identity key.")
        Optional<String> peerId,

        @Key(doc = "UDP/TCP port of the mesh transport (0 = any free port).", def = "7777")
        @Range(min = 0, max = 65535)
        int listenPort,

        @Key(doc = "Announce this node and discover peers on the local network.", def = "true")
        boolean discoveryEnabled,

        @Key(doc = "Keep messages for peers that are offline and deliver them when they appear.", def = "true")
        boolean storeAndForward,

        @Key(doc = "Upper bound on messages held for offline peers.", def = "1000")
        @Range(min = 1, max = 10_000_000)
        int maxStoredMessages,

        @Key(doc = "How long a stored message is kept, in hours.", def = "24")
        @Range(min = 1, max = 8760)
        int ttlHours,

        @Key(doc = "Hop limit of a relayed packet.", def = "7")
        @Range(min = 1, max = 255)
        int maxTtl) {

    public Duration storedMessageLifetime() {
        return Duration.ofHours(ttlHours);
    }
}
