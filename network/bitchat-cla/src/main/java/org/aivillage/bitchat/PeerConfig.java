package org.aivillage.bitchat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.config.BitchatConfig;

/**
 * Configuration of one mesh node (the seed's {@code PeerConfig{peer_id, listen_port,
 * discovery_enabled, store_and_forward}} plus what a real node needs). Build with
 * {@link #builder()} or from the {@code [network.bitchat]} section with {@link #from(BitchatConfig)}.
 *
 * @param peerId the expected peer ID: when set, the identity's derived ID must equal it (BitChat
 *     binds the ID to the Noise key, so it cannot be chosen freely)
 * @param nickname announced nickname; empty = the peer ID
 * @param identityDir where the keys live; empty = a fresh identity per run
 * @param bindAddress address of the TCP listener
 * @param listenPort TCP port (0 = any free port); -1 = no listener
 * @param discoveryEnabled announce and use UDP multicast on the LAN
 * @param storeAndForward keep messages for offline peers and hand them over when they appear
 * @param maxStoredMessages bound of each store (own outgoing queue, relay cache, public cache)
 * @param storedMessageLifetime how long stored messages are kept at most
 * @param maxTtl hop limit of packets this node originates
 * @param staticPeers TCP peers to keep links to (unresolved host names allowed)
 * @param multicastGroup UDP multicast group, or null for none
 * @param multicastInterface network interface name for multicast, or null to choose one
 * @param announceInterval time between announces while discovering
 * @param peerTimeout a peer not heard from for this long counts as offline
 * @param handshakeTimeout a Noise handshake not finished by then is retried
 * @param retransmitInterval first wait before an unacknowledged private message is sent again (doubles)
 * @param maxFrameBytes frames above this are fragmented
 * @param inboxCapacity bound of the received-message queue of {@link BitChatCla#receiveMessage}
 */
public record PeerConfig(Optional<MeshPeerId> peerId, String nickname, Optional<Path> identityDir, String bindAddress,
        int listenPort, boolean discoveryEnabled, boolean storeAndForward, int maxStoredMessages,
        Duration storedMessageLifetime, int maxTtl, List<InetSocketAddress> staticPeers,
        InetSocketAddress multicastGroup, String multicastInterface, Duration announceInterval, Duration peerTimeout,
        Duration handshakeTimeout, Duration retransmitInterval, int maxFrameBytes, int inboxCapacity) {

    public PeerConfig {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(nickname, "nickname");
        Objects.requireNonNull(identityDir, "identityDir");
        Objects.requireNonNull(bindAddress, "bindAddress");
        staticPeers = List.copyOf(staticPeers);
        if (listenPort < -1 || listenPort > 65535) {
            throw new IllegalArgumentException("listenPort must be -1..65535, got " + listenPort);
        }
        if (maxStoredMessages < 1) {
            throw new IllegalArgumentException("maxStoredMessages must be positive");
        }
        if (maxTtl < 1 || maxTtl > 255) {
            throw new IllegalArgumentException("maxTtl must be 1..255, got " + maxTtl);
        }
        if (maxFrameBytes < 128) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 128");
        }
        if (inboxCapacity < 1) {
            throw new IllegalArgumentException("inboxCapacity must be positive");
        }
        if (Utf8Check.bytes(nickname) > 255) {
            throw new IllegalArgumentException("nickname longer than 255 UTF-8 bytes");
        }
        for (Duration d : List.of(storedMessageLifetime, announceInterval, peerTimeout, handshakeTimeout,
                retransmitInterval)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive");
            }
        }
        if (multicastGroup != null && (multicastGroup.getAddress() == null
                || !multicastGroup.getAddress().isMulticastAddress())) {
            throw new IllegalArgumentException("multicast group " + multicastGroup + " is not a multicast address");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: the {@code [network.bitchat]} defaults. */
    public static PeerConfig defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The node configuration of a {@code [network.bitchat]} section.
     *
     * @throws IllegalArgumentException when {@code peer_id} is not 16 hex digits or the multicast group
     *     is not a multicast address
     */
    public static PeerConfig from(BitchatConfig c) {
        Builder b = builder()
                .listenPort(c.listenPort())
                .discoveryEnabled(c.discoveryEnabled())
                .storeAndForward(c.storeAndForward())
                .maxStoredMessages(c.maxStoredMessages())
                .storedMessageLifetime(c.storedMessageLifetime())
                .maxTtl(c.maxTtl())
                .bindAddress(c.bindAddress())
                .announceInterval(Duration.ofSeconds(c.announceIntervalSeconds()))
                .maxFrameBytes(c.maxFrameBytes());
        c.nickname().ifPresent(b::nickname);
        c.identityDir().ifPresent(b::identityDir);
        if (c.peerId().isPresent()) {
            try {
                b.peerId(MeshPeerId.parse(c.peerId().get()));
            } catch (CodecException e) {
                throw new IllegalArgumentException("network.bitchat.peer_id: " + e.getMessage(), e);
            }
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        for (String endpoint : c.staticPeers()) {
            peers.add(endpoint(endpoint, "network.bitchat.static_peers"));
        }
        b.staticPeers(peers);
        b.multicastGroup(c.discoveryEnabled() ? endpoint(c.multicastGroup(), "network.bitchat.multicast_group") : null);
        return b.build();
    }

    /** Parses {@code host:port} ({@code [v6]:port} for IPv6); host names stay unresolved. */
    public static InetSocketAddress endpoint(String text, String what) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(what + ": expected host:port, got \"" + text + "\"");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": bad port in \"" + text + "\"");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + ": port out of range in \"" + text + "\"");
        }
        if (host.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.') || host.contains(":")) {
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(what + ": bad address in \"" + text + "\"");
            }
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** The nickname to announce: the configured one, else the peer ID. */
    public String nicknameOr(MeshPeerId id) {
        return nickname.isEmpty() ? id.toHex() : nickname;
    }

    /** Builder with the {@code [network.bitchat]} defaults. */
    public static final class Builder {
        private Optional<MeshPeerId> peerId = Optional.empty();
        private String nickname = "";
        private Optional<Path> identityDir = Optional.empty();
        private String bindAddress = "0.0.0.0";
        private int listenPort = 7777;
        private boolean discoveryEnabled = true;
        private boolean storeAndForward = true;
        private int maxStoredMessages = 1000;
        private Duration storedMessageLifetime = Duration.ofHours(24);
        private int maxTtl = 7;
        private List<InetSocketAddress> staticPeers = List.of();
        private InetSocketAddress multicastGroup = new InetSocketAddress(literal("239.255.77.77"), 7778);
        private String multicastInterface;
        private Duration announceInterval = Duration.ofSeconds(15);
        private Duration peerTimeout;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration retransmitInterval = Duration.ofSeconds(10);
        private int maxFrameBytes = 512;
        private int inboxCapacity = 1024;

        Builder() {
        }

        Builder(PeerConfig c) {
            peerId = c.peerId;
            nickname = c.nickname;
            identityDir = c.identityDir;
            bindAddress = c.bindAddress;
            listenPort = c.listenPort;
            discoveryEnabled = c.discoveryEnabled;
            storeAndForward = c.storeAndForward;
            maxStoredMessages = c.maxStoredMessages;
            storedMessageLifetime = c.storedMessageLifetime;
            maxTtl = c.maxTtl;
            staticPeers = c.staticPeers;
            multicastGroup = c.multicastGroup;
            multicastInterface = c.multicastInterface;
            announceInterval = c.announceInterval;
            peerTimeout = c.peerTimeout;
            handshakeTimeout = c.handshakeTimeout;
            retransmitInterval = c.retransmitInterval;
            maxFrameBytes = c.maxFrameBytes;
            inboxCapacity = c.inboxCapacity;
        }

        public Builder peerId(MeshPeerId v) {
            peerId = Optional.of(v);
            return this;
        }

        public Builder nickname(String v) {
            nickname = v;
            return this;
        }

        public Builder identityDir(Path v) {
            identityDir = Optional.ofNullable(v);
            return this;
        }

        public Builder bindAddress(String v) {
            bindAddress = v;
            return this;
        }

        public Builder listenPort(int v) {
            listenPort = v;
            return this;
        }

        public Builder discoveryEnabled(boolean v) {
            discoveryEnabled = v;
            return this;
        }

        public Builder storeAndForward(boolean v) {
            storeAndForward = v;
            return this;
        }

        public Builder maxStoredMessages(int v) {
            maxStoredMessages = v;
            return this;
        }

        public Builder storedMessageLifetime(Duration v) {
            storedMessageLifetime = v;
            return this;
        }

        public Builder maxTtl(int v) {
            maxTtl = v;
            return this;
        }

        public Builder staticPeers(List<InetSocketAddress> v) {
            staticPeers = v;
            return this;
        }

        /** The multicast group, or null for no multicast transport. */
        public Builder multicastGroup(InetSocketAddress v) {
            multicastGroup = v;
            return this;
        }

        public Builder multicastInterface(String v) {
            multicastInterface = v;
            return this;
        }

        public Builder announceInterval(Duration v) {
            announceInterval = v;
            return this;
        }

        /** Default: three announce intervals plus five seconds. */
        public Builder peerTimeout(Duration v) {
            peerTimeout = v;
            return this;
        }

        public Builder handshakeTimeout(Duration v) {
            handshakeTimeout = v;
            return this;
        }

        public Builder retransmitInterval(Duration v) {
            retransmitInterval = v;
            return this;
        }

        public Builder maxFrameBytes(int v) {
            maxFrameBytes = v;
            return this;
        }

        public Builder inboxCapacity(int v) {
            inboxCapacity = v;
            return this;
        }

        public PeerConfig build() {
            Duration timeout = peerTimeout != null ? peerTimeout : announceInterval.multipliedBy(3).plusSeconds(5);
            return new PeerConfig(peerId, nickname, identityDir, bindAddress, listenPort, discoveryEnabled,
                    storeAndForward, maxStoredMessages, storedMessageLifetime, maxTtl, staticPeers, multicastGroup,
                    multicastInterface, announceInterval, timeout, handshakeTimeout, retransmitInterval, maxFrameBytes,
                    inboxCapacity);
        }

        private static InetAddress literal(String ip) {
            try {
                return InetAddress.getByName(ip);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class Utf8Check {
        static int bytes(String s) {
            return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
    }
}
