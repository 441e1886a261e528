package org.aivillage.betanet.noise;

import java.nio.charset.StandardCharsets;

/**
 * A Noise protocol: the full name and what it names. {@code parse("Noise_XK_25519_ChaChaPoly_SHA256")}
 * gives the XK pattern with X25519, ChaCha20-Poly1305 and SHA-256. With the hfs modifier the DH
 * section names the KEM too: {@code Noise_XKhfs_25519+MLKEM768_ChaChaPoly_SHA256}.
 *
 * @param kem the KEM of an hfs protocol, or null when the pattern has no KEM tokens
 */
public record NoiseProtocol(
        String name, HandshakePattern pattern, DhFunction dh, KemFunction kem, CipherFunction cipher, HashFunction hash) {

    /** The largest Noise message, handshake or transport, in bytes (spec §3). */
    public static final int MAX_MESSAGE_LENGTH = 65_535;

    /** The AEAD tag length of every Noise cipher. */
    public static final int TAG_LENGTH = 16;

    /**
     * Parses a protocol name {@code Noise_<pattern>_<dh>[+<kem>]_<cipher>_<hash>}.
     *
     * @throws IllegalArgumentException naming the part that is malformed or unsupported
     */
    public static NoiseProtocol parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("Noise protocol name is null");
        }
        String[] parts = name.split("_", -1);
        if (parts.length != 5 || !parts[0].equals("Noise")) {
            throw new IllegalArgumentException(
                    "Noise protocol name must be Noise_<pattern>_<dh>_<cipher>_<hash>, was '" + name + "'");
        }
        if (name.getBytes(StandardCharsets.US_ASCII).length > 255) {
            throw new IllegalArgumentException("Noise protocol name longer than 255 bytes");
        }
        HandshakePattern pattern = HandshakePattern.parse(parts[1]);
        String[] dhParts = parts[2].split("\\+", -1);
        if (dhParts.length > 2) {
            throw new IllegalArgumentException("Noise DH section '" + parts[2] + "' names more than a DH and a KEM");
        }
        DhFunction dh = DhFunction.fromSpec(dhParts[0]);
        KemFunction kem = dhParts.length == 2 ? KemFunction.fromSpec(dhParts[1]) : null;
        if (pattern.usesKem() && kem == null) {
            throw new IllegalArgumentException("pattern " + pattern.name() + " needs a KEM: write the DH section as "
                    + dhParts[0] + "+MLKEM768");
        }
        if (!pattern.usesKem() && kem != null) {
            throw new IllegalArgumentException("a KEM is named but pattern " + pattern.name() + " has no hfs modifier");
        }
        return new NoiseProtocol(name, pattern, dh, kem, CipherFunction.fromSpec(parts[3]), HashFunction.fromSpec(parts[4]));
    }

    public boolean hasKem() {
        return kem != null;
    }

    @Override
    public String toString() {
        return name;
    }
}
