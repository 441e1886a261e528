package org.aivillage.cli.bitchat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.aivillage.bitchat.PeerConfig;
import org.aivillage.config.BitchatConfig;
import org.aivillage.config.UserException;
import picocli.CommandLine.Option;

/** Command-line overrides of {@code [network.bitchat]}, shared by {@code chat} and {@code node}. */
final class MeshOptions {
    @Option(names = "--nick", paramLabel = "NAME", description = "Nickname to announce (default: nickname from the config, else the peer ID).")
    String nick;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port to listen on (0 = any free port; -1 = no listener).")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address of the TCP listener (default: bind_address).")
    String bind;

    @Option(names = "--peer", paramLabel = "HOST:PORT", description = "A peer to keep a TCP link to (repeatable; adds to static_peers).")
    List<String> peers = new ArrayList<>();

    @Option(names = "--multicast", negatable = true, description = "UDP multicast discovery on the LAN (default: discovery_enabled).")
    Boolean multicast;

    @Option(names = "--multicast-group", paramLabel = "GROUP:PORT", description = "Multicast group (default: multicast_group).")
    String multicastGroup;

    @Option(names = "--interface", paramLabel = "NAME", description = "Network interface for multicast (default: the first LAN interface, else lo).")
    String networkInterface;

    @Option(names = "--identity", paramLabel = "DIR", description = "Directory with this node's keys (created if missing; default: identity_dir, else a fresh identity).")
    Path identity;

    @Option(names = "--announce-seconds", paramLabel = "N", description = "Seconds between announces (default: announce_interval_seconds).")
    Integer announceSeconds;

    /** The node configuration: the config section, then these options on top. */
    PeerConfig peerConfig(BitchatConfig section, int defaultPort) {
        PeerConfig.Builder b;
        try {
            b = PeerConfig.from(section).toBuilder();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        b.listenPort(port != null ? port : defaultPort);
        if (nick != null) {
            b.nickname(nick);
        }
        if (bind != null) {
            b.bindAddress(bind);
        }
        if (!peers.isEmpty()) {
            List<InetSocketAddress> all = new ArrayList<>(b.build().staticPeers());
            for (String p : peers) {
                all.add(endpoint(p, "--peer"));
            }
            b.staticPeers(all);
        }
        boolean mc = multicast != null ? multicast : section.discoveryEnabled();
        if (!mc) {
            b.multicastGroup(null);
        } else if (multicastGroup != null) {
            b.multicastGroup(endpoint(multicastGroup, "--multicast-group"));
        } else if (b.build().multicastGroup() == null) {
            b.multicastGroup(endpoint(section.multicastGroup(), "network.bitchat.multicast_group"));
        }
        if (networkInterface != null) {
            b.multicastInterface(networkInterface);
        }
        if (identity != null) {
            b.identityDir(identity);
        }
        if (announceSeconds != null) {
            if (announceSeconds < 1) {
                throw new UserException("--announce-seconds must be at least 1");
            }
            b.announceInterval(Duration.ofSeconds(announceSeconds)).peerTimeout(null);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }

    private static InetSocketAddress endpoint(String text, String what) {
        try {
            return PeerConfig.endpoint(text, what);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }
}
