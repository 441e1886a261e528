package org.aivillage.betanet.keys;

import java.util.Locale;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.KeyPair;

/** The key pair types a key file can hold. Both have 32-byte private and public keys. */
public enum KeyType {
    /** X25519 Diffie-Hellman (Noise static keys, HTX, tickets). Private key: the 32-byte scalar. */
    X25519("x25519"),
    /** Ed25519 signatures (identities, descriptors). Private key: the 32-byte RFC 8032 seed. */
    ED25519("ed25519");

    public static final int KEY_LENGTH = 32;

    private final String fileName;

    KeyType(String fileName) {
        this.fileName = fileName;
    }

    /** The name used in key files and on the command line ("x25519", "ed25519"). */
    public String fileName() {
        return fileName;
    }

    /** The type named {@code name} (case-insensitive), or IllegalArgumentException listing the known ones. */
    public static KeyType fromName(String name) {
        for (KeyType t : values()) {
            if (t.fileName.equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown key type '" + name + "' (known: x25519, ed25519)");
    }

    public KeyPair generate() {
        return switch (this) {
            case X25519 -> org.aivillage.betanet.crypto.X25519.generateKeyPair();
            case ED25519 -> Ed25519.generateKeyPair();
        };
    }

    /** The public key of a 32-byte private key. */
    public byte[] publicKeyOf(byte[] privateKey) {
        return switch (this) {
            case X25519 -> org.aivillage.betanet.crypto.X25519.publicKey(privateKey);
            case ED25519 -> Ed25519.publicKey(privateKey);
        };
    }

    static {
        if (org.aivillage.betanet.crypto.X25519.KEY_LENGTH != KEY_LENGTH || Ed25519.KEY_LENGTH != KEY_LENGTH) {
            throw new AssertionError("key lengths changed");
        }
    }
}
