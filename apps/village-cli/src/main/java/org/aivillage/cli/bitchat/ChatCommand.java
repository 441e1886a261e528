package org.aivillage.cli.bitchat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.aivillage.bitchat.BitChatCla;
import org.aivillage.bitchat.BitChatListener;
import org.aivillage.bitchat.DeliveryStatus;
import org.aivillage.bitchat.DiscoveredPeer;
import org.aivillage.bitchat.MeshPeerId;
import org.aivillage.bitchat.MessageConfig;
import org.aivillage.bitchat.PeerConfig;
import org.aivillage.bitchat.ReceivedMessage;
import org.aivillage.bitchat.Transport;
import org.aivillage.bitchat.transport.TcpTransport;
import org.aivillage.bitchat.transport.UdpMulticastTransport;
import org.aivillage.cli.config.ConfigOption;
import org.aivillage.config.UserException;
import org.aivillage.config.VillageConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code village bitchat chat --nick alice}: a line-mode chat on the mesh. A plain line goes to the
 * public room (signed broadcast); {@code /msg NICK text} is a private, end-to-end encrypted message
 * (Noise XX) with a delivery receipt; {@code /peers} lists discovered peers; {@code /quit} leaves.
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = {
            "Line-mode chat on the BitChat mesh: public room and /msg private messages.",
            "Peers are found by UDP multicast on the LAN and/or TCP links to --peer addresses.",
            "Commands: /msg NICK TEXT, /peers, /quit (or end of input). Listens on any free TCP port unless --port."
        })
public final class ChatCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption configOption;

    @Mixin
    MeshOptions mesh;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        VillageConfig config = configOption.loadForDaemon();
        PeerConfig peerConfig = mesh.peerConfig(config.bitchat(), 0);
        out = spec.commandLine().getOut();
        BitChatCla node;
        try {
            node = BitChatCla.builder(peerConfig).listener(new Printer()).build();
        } catch (BindException e) {
            throw new UserException("cannot listen on " + peerConfig.bindAddress() + ":" + peerConfig.listenPort()
                    + ": " + e.getMessage());
        }
        try (node) {
            say("bitchat: you are " + node.nickname() + "  peer " + node.peerId() + "  fingerprint " + node.fingerprint());
            describeTransports(node);
            say("type a line to talk to everyone, /msg NICK TEXT to whisper, /peers to list peers, /quit to leave");
            node.startDiscovery();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (!handle(node, line.strip())) {
                    break;
                }
            }
            say("* leaving");
        }
        return 0;
    }

    private void describeTransports(BitChatCla node) {
        boolean multicast = false;
        for (Transport t : node.transports()) {
            if (t instanceof TcpTransport tcp && tcp.localAddress() != null) {
                say("listening: tcp " + tcp.localAddress().getAddress().getHostAddress() + ":" + tcp.localAddress().getPort());
            } else if (t instanceof UdpMulticastTransport mc) {
                multicast = true;
                say("multicast: " + node.config().multicastGroup().getAddress().getHostAddress() + ":"
                        + node.config().multicastGroup().getPort() + " on " + mc.networkInterface().getName());
            }
        }
        if (!multicast) {
            say("multicast: off");
        }
        for (var p : node.config().staticPeers()) {
            say("peer link: tcp " + p.getHostString() + ":" + p.getPort());
        }
    }

    /** Handles one input line; false to quit. */
    private boolean handle(BitChatCla node, String line) {
        if (line.isEmpty()) {
            return true;
        }
        if (line.equals("/quit") || line.equals("/exit")) {
            return false;
        }
        if (line.equals("/peers") || line.equals("/who")) {
            List<DiscoveredPeer> peers = node.getDiscoveredPeers().stream()
                    .sorted(Comparator.comparing(DiscoveredPeer::nickname)).toList();
            if (peers.isEmpty()) {
                say("* no peers discovered yet");
            }
            for (DiscoveredPeer p : peers) {
                say("* peer " + p.nickname() + "  " + p.peerId() + "  " + (p.online() ? "online" : "offline")
                        + "  " + p.hops() + (p.hops() == 1 ? " hop" : " hops") + "  fingerprint "
                        + p.fingerprint().substring(0, 16) + (p.sessionEstablished() ? "  (session)" : ""));
            }
            return true;
        }
        if (line.startsWith("/msg ")) {
            String rest = line.substring(5).strip();
            int space = rest.indexOf(' ');
            if (space <= 0) {
                say("* usage: /msg NICK TEXT");
                return true;
            }
            String who = rest.substring(0, space);
            String text = rest.substring(space + 1).strip();
            Optional<DiscoveredPeer> peer = node.findPeer(who);
            if (peer.isEmpty()) {
                say("* no peer called " + who + " (see /peers)");
                return true;
            }
            String id = node.sendMessage(MessageConfig.text(peer.get().peerId(), text));
            say("* to " + peer.get().nickname() + " [" + shortId(id) + "]: " + text);
            return true;
        }
        if (line.startsWith("/")) {
            say("* unknown command " + line.split(" ")[0] + " (try /msg, /peers, /quit)");
            return true;
        }
        node.sendMessage(MessageConfig.publicText(line));
        return true;
    }

    private final class Printer implements BitChatListener {
        @Override
        public void onMessage(ReceivedMessage m) {
            if (m.privateMessage()) {
                say("[private] <" + m.senderNickname() + "> " + m.text());
            } else {
                say("<" + m.senderNickname() + "> " + m.text());
            }
        }

        @Override
        public void onPeerDiscovered(DiscoveredPeer p) {
            say("* " + p.nickname() + " joined (peer " + p.peerId() + ", " + p.hops() + (p.hops() == 1 ? " hop)" : " hops)"));
        }

        @Override
        public void onPeerLost(MeshPeerId id, String nickname) {
            say("* " + nickname + " left");
        }

        @Override
        public void onDeliveryStatus(String messageId, MeshPeerId recipient, DeliveryStatus status) {
            if (recipient.isBroadcast()) {
                return;
            }
            switch (status) {
                case DELIVERED -> say("* delivered [" + shortId(messageId) + "]");
                case READ -> say("* read [" + shortId(messageId) + "]");
                case EXPIRED, DROPPED -> say("* not delivered [" + shortId(messageId) + "]: " + status.name().toLowerCase());
                default -> {
                }
            }
        }
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    private synchronized void say(String line) {
        out.println(line);
        out.flush();
    }
}
