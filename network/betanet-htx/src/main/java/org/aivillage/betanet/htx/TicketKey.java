package org.aivillage.betanet.htx;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a decoy site publishes for clients (Betanet 1.1 §5.2): {@code ticketKeyID} (8 bytes),
 * {@code ticketPub} (X25519, 32 bytes) and the carrier policy.
 */
public record TicketKey(byte[] keyId, byte[] publicKey, TicketPolicy policy) {
    public TicketKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(policy, "policy");
        if (keyId.length != AccessTicket.KEY_ID_LENGTH || publicKey.length != 32) {
            throw new IllegalArgumentException("ticket key id must be 8 bytes and the public key 32 bytes");
        }
        keyId = keyId.clone();
        publicKey = publicKey.clone();
    }

    public TicketKey(byte[] keyId, byte[] publicKey) {
        this(keyId, publicKey, TicketPolicy.DEFAULT);
    }

    @Override public byte[] keyId() { return keyId.clone(); }
    @Override public byte[] publicKey() { return publicKey.clone(); }

    /** {@code <keyId hex>:<publicKey hex>}, the form the CLI prints and reads. */
    public String toHex() {
        return HexFormat.of().formatHex(keyId) + ":" + HexFormat.of().formatHex(publicKey);
    }

    /** Parses {@link #toHex()} output; the policy is the default. */
    public static TicketKey fromHex(String s) {
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected <keyId hex>:<public key hex>");
        }
        return new TicketKey(HexFormat.of().parseHex(s.substring(0, colon).strip()), HexFormat.of().parseHex(s.substring(colon + 1).strip()));
    }

    public TicketKey withPolicy(TicketPolicy p) {
        return new TicketKey(keyId, publicKey, p);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TicketKey k && Arrays.equals(k.keyId, keyId) && Arrays.equals(k.publicKey, publicKey) && k.policy.equals(policy);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keyId) * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "TicketKey[" + toHex() + "]";
    }
}
