package org.aivillage.betanet.htx;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.CryptoException;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.crypto.X25519;

/**
 * A Betanet 1.1 §5.2 access ticket: {@code 0x01 || cliPub32 || ticketKeyID8 || nonce32 ||
 * accessTicket32 || padding}, carried Base64URL (no padding characters) in one carrier.
 *
 * <pre>
 * shared       = X25519(cliPriv, ticketPub)
 * hour         = floor(unix / 3600)
 * salt         = SHA-256("betanet-ticket-v1" || ticketKeyID || u64be(hour))
 * accessTicket = HKDF-SHA256(ikm = shared, salt, info = "", 32)
 * </pre>
 */
public record AccessTicket(byte[] clientPublic, byte[] keyId, byte[] nonce, byte[] accessTicket, byte[] padding) {
    public static final int VERSION = 0x01;
    public static final int KEY_ID_LENGTH = 8;
    /** Length without padding: 1 + 32 + 8 + 32 + 32. */
    public static final int FIXED_LENGTH = 105;
    static final byte[] SALT_LABEL = "betanet-ticket-v1".getBytes(StandardCharsets.US_ASCII);

    public AccessTicket {
        check(clientPublic, 32, "clientPublic");
        check(keyId, KEY_ID_LENGTH, "keyId");
        check(nonce, 32, "nonce");
        check(accessTicket, 32, "accessTicket");
        Objects.requireNonNull(padding, "padding");
        if (padding.length > TicketPolicy.MAX_PADDING) {
            throw new IllegalArgumentException("padding longer than " + TicketPolicy.MAX_PADDING);
        }
        clientPublic = clientPublic.clone();
        keyId = keyId.clone();
        nonce = nonce.clone();
        accessTicket = accessTicket.clone();
        padding = padding.clone();
    }

    private static void check(byte[] b, int len, String name) {
        Objects.requireNonNull(b, name);
        if (b.length != len) {
            throw new IllegalArgumentException(name + " must be " + len + " bytes");
        }
    }

    @Override public byte[] clientPublic() { return clientPublic.clone(); }
    @Override public byte[] keyId() { return keyId.clone(); }
    @Override public byte[] nonce() { return nonce.clone(); }
    @Override public byte[] accessTicket() { return accessTicket.clone(); }
    @Override public byte[] padding() { return padding.clone(); }

    /** Issues a fresh ticket for {@code key} at {@code now} (client side). */
    public static AccessTicket issue(TicketKey key, Instant now) {
        KeyPair cli = X25519.generateKeyPair();
        try {
            byte[] shared = X25519.sharedSecret(cli.privateKey(), key.publicKey());
            byte[] mac = compute(shared, key.keyId(), hourOf(now));
            ConstantTime.wipe(shared);
            byte[] pad = Randomness.bytes(key.policy().pickPadding(Randomness.secureRandom()));
            return new AccessTicket(cli.publicKey(), key.keyId(), Randomness.bytes(32), mac, pad);
        } catch (CryptoException e) {
            throw new IllegalArgumentException("ticket public key is not a usable X25519 key", e);
        } finally {
            cli.destroy();
        }
    }

    /** accessTicket = HKDF(shared, SHA-256("betanet-ticket-v1" || keyId || u64be(hour)), "", 32). */
    public static byte[] compute(byte[] shared, byte[] keyId, long hour) {
        byte[] salt = Hashes.sha256(SALT_LABEL, keyId, ByteBuffer.allocate(8).putLong(hour).array());
        return Hkdf.sha256(shared, salt, new byte[0], 32);
    }

    /** floor(unix seconds / 3600). */
    public static long hourOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 3600);
    }

    public byte[] encode() {
        byte[] out = new byte[FIXED_LENGTH + padding.length];
        out[0] = VERSION;
        System.arraycopy(clientPublic, 0, out, 1, 32);
        System.arraycopy(keyId, 0, out, 33, 8);
        System.arraycopy(nonce, 0, out, 41, 32);
        System.arraycopy(accessTicket, 0, out, 73, 32);
        System.arraycopy(padding, 0, out, FIXED_LENGTH, padding.length);
        return out;
    }

    public String toBase64Url() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(encode());
    }

    /** Parses the fields in order; up to 64 trailing bytes are padding. */
    public static AccessTicket parse(byte[] in) throws TicketFormatException {
        if (in.length < 1) {
            throw new TicketFormatException("version", 0, "missing");
        }
        if ((in[0] & 0xFF) != VERSION) {
            throw new TicketFormatException("version", 0, "unsupported version " + (in[0] & 0xFF));
        }
        if (in.length < FIXED_LENGTH) {
            String field = in.length < 33 ? "cliPub" : in.length < 41 ? "ticketKeyID" : in.length < 73 ? "nonce32" : "accessTicket";
            throw new TicketFormatException(field, in.length, "truncated (ticket has " + in.length + " bytes, needs " + FIXED_LENGTH + ")");
        }
        if (in.length - FIXED_LENGTH > TicketPolicy.MAX_PADDING) {
            throw new TicketFormatException("padding", FIXED_LENGTH, "longer than " + TicketPolicy.MAX_PADDING + " bytes");
        }
        return new AccessTicket(Arrays.copyOfRange(in, 1, 33), Arrays.copyOfRange(in, 33, 41), Arrays.copyOfRange(in, 41, 73),
                Arrays.copyOfRange(in, 73, 105), Arrays.copyOfRange(in, 105, in.length));
    }

    /** Decodes Base64URL (with or without '=' padding) then {@link #parse(byte[])}. */
    public static AccessTicket fromBase64Url(String value) throws TicketFormatException {
        if (value.length() > 4 * ((FIXED_LENGTH + TicketPolicy.MAX_PADDING + 2) / 3) + 4) {
            throw new TicketFormatException("base64", 0, "too long");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new TicketFormatException("base64", 0, "not Base64URL");
        }
        return parse(raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessTicket t && Arrays.equals(t.clientPublic, clientPublic) && Arrays.equals(t.keyId, keyId)
                && Arrays.equals(t.nonce, nonce) && Arrays.equals(t.accessTicket, accessTicket) && Arrays.equals(t.padding, padding);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(clientPublic) * 31 + Arrays.hashCode(nonce);
    }

    @Override
    public String toString() {
        return "AccessTicket[keyId=" + HexFormat.of().formatHex(keyId) + ", padding=" + padding.length + "]";
    }
}
