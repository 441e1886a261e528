package org.aivillage.betanet.crypto;

import java.util.HexFormat;
import javax.security.auth.Destroyable;

/**
 * A raw key pair (X25519 or Ed25519: 32-byte private key, 32-byte public key). {@link #destroy()}
 * zeroes the private key. {@link #toString()} never shows the private key.
 */
public record KeyPair(byte[] privateKey, byte[] publicKey) implements Destroyable {
    public KeyPair {
        privateKey = privateKey.clone();
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] privateKey() {
        return privateKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public void destroy() {
        ConstantTime.wipe(privateKey);
    }

    @Override
    public boolean isDestroyed() {
        return ConstantTime.isZero(privateKey);
    }

    @Override
    public String toString() {
        return "KeyPair[public=" + HexFormat.of().formatHex(publicKey) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPair k
                && ConstantTime.equals(privateKey, k.privateKey)
                && ConstantTime.equals(publicKey, k.publicKey);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(publicKey);
    }
}
