package org.aivillage.betanet.id;

import java.util.Arrays;
import org.aivillage.betanet.codec.Base58;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.codec.Hex;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.Hashes;

/**
 * A Betanet PeerID (Betanet 1.1 §6): the multihash {@code 0x12 0x20 || SHA-256(publicKey)}.
 * Its string form is base58btc (as libp2p prints multihashes); {@link #parse} also accepts hex.
 */
public final class PeerId implements Comparable<PeerId> {
    /** Multihash code of SHA2-256. */
    public static final int SHA2_256 = 0x12;
    /** Length of a PeerID in bytes (2-byte multihash header + 32-byte digest). */
    public static final int LENGTH = 34;

    private final byte[] multihash;

    private PeerId(byte[] multihash) {
        this.multihash = multihash;
    }

    /** The PeerID of a public key (X25519 or Ed25519 raw bytes, or any encoded key). */
    public static PeerId fromPublicKey(byte[] publicKey) {
        byte[] mh = new byte[LENGTH];
        mh[0] = SHA2_256;
        mh[1] = 32;
        System.arraycopy(Hashes.sha256(publicKey), 0, mh, 2, 32);
        return new PeerId(mh);
    }

    /** Wraps 34 multihash bytes, checking the SHA2-256 header. */
    public static PeerId fromBytes(byte[] multihash) throws CodecException {
        if (multihash.length != LENGTH) {
            throw new CodecException("peer id", 0, "must be 34 bytes (multihash sha2-256), was " + multihash.length);
        }
        if ((multihash[0] & 0xff) != SHA2_256 || multihash[1] != 32) {
            throw new CodecException("peer id", 0, "multihash header must be 0x12 0x20");
        }
        return new PeerId(multihash.clone());
    }

    /** Parses the base58btc form (starts with "Qm") or 68 hex digits. */
    public static PeerId parse(String text) throws CodecException {
        String t = text.strip();
        if (t.length() == LENGTH * 2 && t.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return fromBytes(Hex.decode(t));
        }
        return fromBytes(Base58.decode(t));
    }

    /** True if this PeerID is the hash of {@code publicKey} (constant time). */
    public boolean matches(byte[] publicKey) {
        return ConstantTime.equals(multihash, fromPublicKey(publicKey).multihash);
    }

    public byte[] bytes() {
        return multihash.clone();
    }

    /** The 32-byte SHA-256 digest inside the multihash. */
    public byte[] digest() {
        return Arrays.copyOfRange(multihash, 2, LENGTH);
    }

    public String toHex() {
        return Hex.encode(multihash);
    }

    /** base58btc, e.g. "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N". */
    @Override
    public String toString() {
        return Base58.encode(multihash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId p && Arrays.equals(multihash, p.multihash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(multihash);
    }

    @Override
    public int compareTo(PeerId o) {
        return Arrays.compareUnsigned(multihash, o.multihash);
    }
}
