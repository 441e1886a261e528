package org.aivillage.betanet.mixnode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.aivillage.betanet.crypto.Hashes;

/**
 * One node of a topology: its Ed25519 identity key (PeerID = multihash 0x12 0x20 || SHA-256(key)),
 * role, network address (host:port of its link listener), mix layer (1-based; 0 for gateways), AS
 * group, and its Sphinx public keys by key epoch.
 */
public record TopologyNode(Role role, byte[] identityKey, String address, int layer, int asGroup,
                           List<EpochKey> sphinxKeys) {

    /** What a node does in the network. */
    public enum Role {
        MIX(1), GATEWAY(2);

        final int code;

        Role(int code) {
            this.code = code;
        }

        static Role of(int code) {
            for (Role r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            return null;
        }
    }

    /** A Sphinx public key valid in one key epoch. */
    public record EpochKey(long epoch, byte[] publicKey) {
        public EpochKey {
            if (publicKey == null || publicKey.length != 32) {
                throw new IllegalArgumentException("Sphinx public key must be 32 bytes");
            }
            publicKey = publicKey.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EpochKey k && k.epoch == epoch && Arrays.equals(k.publicKey, publicKey);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(epoch) * 31 + Arrays.hashCode(publicKey);
        }

        @Override
        public String toString() {
            return "EpochKey[" + epoch + ", " + HexFormat.of().formatHex(publicKey, 0, 4) + "..]";
        }
    }

    public TopologyNode {
        if (role == null || identityKey == null || identityKey.length != 32 || address == null
                || address.isEmpty() || address.length() > 255 || layer < 0 || layer > 255) {
            throw new IllegalArgumentException("malformed topology node");
        }
        if (sphinxKeys == null || sphinxKeys.size() > 16) {
            throw new IllegalArgumentException("a node lists at most 16 Sphinx keys");
        }
        identityKey = identityKey.clone();
        sphinxKeys = List.copyOf(sphinxKeys);
    }

    @Override
    public byte[] identityKey() {
        return identityKey.clone();
    }

    public RouteId routeId() {
        return RouteId.forIdentityKey(identityKey);
    }

    /** The PeerID multihash: 0x12 0x20 || SHA-256(identity key). */
    public byte[] peerId() {
        byte[] out = new byte[34];
        out[0] = 0x12;
        out[1] = 0x20;
        System.arraycopy(Hashes.sha256(identityKey), 0, out, 2, 32);
        return out;
    }

    public Optional<EpochKey> keyFor(long epoch) {
        return sphinxKeys.stream().filter(k -> k.epoch() == epoch).findFirst();
    }

    public TopologyNode withKeys(List<EpochKey> keys) {
        return new TopologyNode(role, identityKey, address, layer, asGroup, new ArrayList<>(keys));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopologyNode n && n.role == role && Arrays.equals(n.identityKey, identityKey)
                && n.address.equals(address) && n.layer == layer && n.asGroup == asGroup && n.sphinxKeys.equals(sphinxKeys);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(identityKey);
    }

    @Override
    public String toString() {
        return role + "[" + routeId().shortString() + " " + address + " layer=" + layer + " as=" + asGroup + "]";
    }
}
