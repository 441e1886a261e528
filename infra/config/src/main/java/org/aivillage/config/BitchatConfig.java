package org.aivillage.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        int maxTtl,

        @Key(doc = "Nickname announced to other peers; unset = the peer ID.")
        Optional<String> nickname,

        @Key(doc = "Directory with the node's BitChat keys (created on first use); unset = a fresh identity per run.")
        Optional<Path> identityDir,

        @Key(doc = "Address the TCP mesh listener binds to.", def = "0.0.0.0")
        @Format(Format.Kind.HOST)
        String bindAddress,

        @Key(doc = "Peers to keep TCP mesh links to, as host:port.", def = "")
        @Format(Format.Kind.ENDPOINT)
        List<String> staticPeers,

        @Key(doc = "UDP multicast group:port for LAN discovery and broadcast (used when discovery_enabled).",
                def = "239.255.77.77:7778")
        @Format(Format.Kind.ENDPOINT)
        String multicastGroup,

        @Key(doc = "Seconds between announces while discovering.", def = "15")
        @Range(min = 1, max = 3600)
        int announceIntervalSeconds,

        @Key(doc = "Largest frame sent as one packet; bigger packets are fragmented (BLE MTU in BitChat: 512).",
                def = "512")
        @Range(min = 128, max = 65536)
        int maxFrameBytes) {

    public Duration storedMessageLifetime() {
        return Duration.ofHours(ttlHours);
    }
}
