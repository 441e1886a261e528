package org.aivillage.cli.keys;

import java.util.HexFormat;
import org.aivillage.betanet.crypto.Hashes;

/**
 * The PeerID multihash of a public key, {@code 0x12 0x20 || SHA-256(pubkey)}, as hex. A stand-in
 * until libbetanet's org.aivillage.betanet.id.PeerId (base58 and {@code betanet://} forms) is on
 * main; then {@code village keys show} should print PeerId.fromPublicKey(key) instead.
 */
public final class PeerIds {
    private PeerIds() {}

    public static String multihashHex(byte[] publicKey) {
        return "1220" + HexFormat.of().formatHex(Hashes.sha256(publicKey));
    }
}
