package org.aivillage.bitchat;

/**
 * Events of a node, delivered in order on one thread at a time (never while the node holds its
 * internal lock, so a listener may call back into {@link BitChatCla}). Keep handlers short.
 */
public interface BitChatListener {
    default void onMessage(ReceivedMessage message) {
    }

    default void onPeerDiscovered(DiscoveredPeer peer) {
    }

    default void onPeerLost(MeshPeerId peerId, String nickname) {
    }

    default void onDeliveryStatus(String messageId, MeshPeerId recipient, DeliveryStatus status) {
    }
}
