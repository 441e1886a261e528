package org.aivillage.bitchat;

import java.time.Instant;

/**
 * A peer learned from a verified announce.
 *
 * @param peerId its mesh peer ID (bound to its Noise key)
 * @param nickname its announced nickname
 * @param fingerprint SHA-256 of its Noise static public key, hex (compare out of band to verify)
 * @param noisePublicKey its X25519 static key
 * @param signingPublicKey its Ed25519 key
 * @param lastSeen when its last announce or authenticated packet arrived
 * @param hops estimated distance in hops (from the announce's remaining TTL; 1 = direct neighbour)
 * @param online whether it was seen within the peer timeout
 * @param sessionEstablished whether a Noise session with it is up
 */
public record DiscoveredPeer(MeshPeerId peerId, String nickname, String fingerprint, byte[] noisePublicKey,
        byte[] signingPublicKey, Instant lastSeen, int hops, boolean online, boolean sessionEstablished) {

    public DiscoveredPeer {
        noisePublicKey = noisePublicKey.clone();
        signingPublicKey = signingPublicKey.clone();
    }

    @Override
    public byte[] noisePublicKey() {
        return noisePublicKey.clone();
    }

    @Override
    public byte[] signingPublicKey() {
        return signingPublicKey.clone();
    }

    @Override
    public String toString() {
        return "DiscoveredPeer[" + nickname + " " + peerId + " hops=" + hops + (online ? " online" : " offline")
                + (sessionEstablished ? " session" : "") + "]";
    }
}
