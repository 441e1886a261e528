package org.aivillage.betanet.keys;

import java.util.Objects;
import javax.security.auth.Destroyable;
import org.aivillage.betanet.crypto.KeyPair;

/** A key pair with its type, as stored in a key file. {@link #toString()} never shows the private key. */
public record TypedKeyPair(KeyType type, KeyPair keyPair) implements Destroyable {
    public TypedKeyPair {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(keyPair, "keyPair");
    }

    /** A fresh random key pair of {@code type}. */
    public static TypedKeyPair generate(KeyType type) {
        return new TypedKeyPair(type, type.generate());
    }

    public byte[] publicKey() {
        return keyPair.publicKey();
    }

    @Override
    public void destroy() {
        keyPair.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return keyPair.isDestroyed();
    }

    @Override
    public String toString() {
        return "TypedKeyPair[" + type.fileName() + ", " + keyPair + "]";
    }
}
