package org.aivillage.vault;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.KeyPair;

/**
 * What one device of an owner tells the others about itself: its Ed25519 signing key (which signs
 * its changes and receipts), its X25519 static key for the Noise sync handshake, and an Ed25519
 * signature binding the two. {@code village vault info} prints it; {@code village vault
 * device-add} takes it.
 *
 * <pre>
 * card      = signing key (32) || noise key (32) || signature (64)          128 bytes, 256 hex digits as text
 * signature = Ed25519(signing key, "aivillage twin-vault device card v1" || signing key || noise key)
 * </pre>
 *
 * A decoded card has always been checked: {@link #decode} and {@link #fromHex} refuse a card whose
 * signature does not verify.
 */
public record DeviceCard(byte[] signingKey, byte[] noiseKey, byte[] signature) {
    public static final int LENGTH = 128;
    private static final byte[] CONTEXT = "aivillage twin-vault device card v1".getBytes(StandardCharsets.US_ASCII);

    public DeviceCard {
        if (signingKey == null || signingKey.length != 32 || noiseKey == null || noiseKey.length != 32
                || signature == null || signature.length != 64) {
            throw new IllegalArgumentException("a device card is a 32-byte signing key, a 32-byte noise key and a 64-byte signature");
        }
        signingKey = signingKey.clone();
        noiseKey = noiseKey.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] signingKey() {
        return signingKey.clone();
    }

    @Override
    public byte[] noiseKey() {
        return noiseKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The card of a device with the Ed25519 key pair {@code signer} and the X25519 public key {@code noisePublicKey}. */
    static DeviceCard sign(KeyPair signer, byte[] noisePublicKey) {
        byte[] pub = signer.publicKey();
        byte[] priv = signer.privateKey();
        try {
            return new DeviceCard(pub, noisePublicKey, Ed25519.sign(priv, signed(pub, noisePublicKey)));
        } finally {
            Arrays.fill(priv, (byte) 0);
        }
    }

    /** True when the signature binds the noise key to the signing key. */
    public boolean verify() {
        return Ed25519.verify(signingKey, signed(signingKey, noiseKey), signature);
    }

    private static byte[] signed(byte[] signingKey, byte[] noiseKey) {
        byte[] m = Arrays.copyOf(CONTEXT, CONTEXT.length + 64);
        System.arraycopy(signingKey, 0, m, CONTEXT.length, 32);
        System.arraycopy(noiseKey, 0, m, CONTEXT.length + 32, 32);
        return m;
    }

    public byte[] encode() {
        byte[] out = new byte[LENGTH];
        System.arraycopy(signingKey, 0, out, 0, 32);
        System.arraycopy(noiseKey, 0, out, 32, 32);
        System.arraycopy(signature, 0, out, 64, 64);
        return out;
    }

    public String toHex() {
        return HexFormat.of().formatHex(encode());
    }

    /**
     * Decodes and verifies a card.
     *
     * @throws CodecException wrong length (field "device_card", offset = length) or a signature that
     *     does not verify (field "device_card.signature", offset 64)
     */
    public static DeviceCard decode(byte[] bytes) throws CodecException {
        if (bytes == null || bytes.length != LENGTH) {
            throw new CodecException("device_card", bytes == null ? 0 : bytes.length, "expected " + LENGTH + " bytes");
        }
        DeviceCard c = new DeviceCard(Arrays.copyOfRange(bytes, 0, 32), Arrays.copyOfRange(bytes, 32, 64),
                Arrays.copyOfRange(bytes, 64, 128));
        if (!c.verify()) {
            throw new CodecException("device_card.signature", 64, "does not bind the noise key to the signing key");
        }
        return c;
    }

    /** {@link #decode} of 256 hex digits (surrounding whitespace ignored). */
    public static DeviceCard fromHex(String hex) throws CodecException {
        String h = hex == null ? "" : hex.strip();
        if (h.length() != 2 * LENGTH) {
            throw new CodecException("device_card", 0, "expected " + 2 * LENGTH + " hex digits, got " + h.length());
        }
        byte[] b;
        try {
            b = HexFormat.of().parseHex(h);
        } catch (IllegalArgumentException e) {
            throw new CodecException("device_card", 0, "not hexadecimal");
        }
        return decode(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCard c && Arrays.equals(signingKey, c.signingKey) && Arrays.equals(noiseKey, c.noiseKey)
                && Arrays.equals(signature, c.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signingKey) * 31 + Arrays.hashCode(noiseKey);
    }

    @Override
    public String toString() {
        return "DeviceCard[signing " + HexFormat.of().formatHex(signingKey, 0, 8) + "…, noise "
                + HexFormat.of().formatHex(noiseKey, 0, 8) + "…]";
    }
}
