package org.aivillage.betanet.htx;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.crypto.X25519;

/**
 * The server's side of a ticket key: {@code ticketKeyID} and the X25519 key pair whose public half
 * clients use. Several may be active at once (rotation). {@link #ticketKey()} is what to publish.
 */
public record TicketIssuerKey(byte[] keyId, KeyPair keyPair, TicketPolicy policy) {
    public TicketIssuerKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(keyPair, "keyPair");
        Objects.requireNonNull(policy, "policy");
        if (keyId.length != AccessTicket.KEY_ID_LENGTH) {
            throw new IllegalArgumentException("ticket key id must be 8 bytes");
        }
        keyId = keyId.clone();
    }

    /** A fresh random key id and X25519 key pair with the default policy. */
    public static TicketIssuerKey generate() {
        return new TicketIssuerKey(Randomness.bytes(AccessTicket.KEY_ID_LENGTH), X25519.generateKeyPair(), TicketPolicy.DEFAULT);
    }

    @Override public byte[] keyId() { return keyId.clone(); }

    /** The public information clients need. */
    public TicketKey ticketKey() {
        return new TicketKey(keyId, keyPair.publicKey(), policy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TicketIssuerKey k && Arrays.equals(k.keyId, keyId) && k.keyPair.equals(keyPair);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keyId);
    }

    @Override
    public String toString() {
        return "TicketIssuerKey[keyId=" + HexFormat.of().formatHex(keyId) + "]";
    }
}
