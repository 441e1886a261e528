package org.aivillage.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A secret configuration value (a key, a passphrase). Its {@link #toString()} is
 * {@code <redacted>}, so records holding it print safely, and {@code village config show} prints
 * {@code "<redacted>"}. The bytes are UTF-8; {@link #destroy()} wipes this copy (the TOML parser's
 * own copy of the text is out of our reach, so wiping is best effort).
 */
public final class Secret {
    /** What {@link #toString()} and the renderer print instead of the value. */
    public static final String REDACTED = "<redacted>";

    private final byte[] utf8;
    private volatile boolean destroyed;

    private Secret(byte[] utf8) {
        this.utf8 = utf8;
    }

    public static Secret of(String value) {
        return new Secret(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh copy of the value as UTF-8 bytes; the caller should wipe it after use. */
    public byte[] revealBytes() {
        if (destroyed) {
            throw new IllegalStateException("secret was destroyed");
        }
        return utf8.clone();
    }

    /** The value as a string (cannot be wiped: prefer {@link #revealBytes()}). */
    public String reveal() {
        return new String(revealBytes(), StandardCharsets.UTF_8);
    }

    /** Overwrites the value with zeros; later reveals fail. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(utf8, (byte) 0);
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /** Constant-time comparison of the values. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(utf8, s.utf8);
    }

    @Override
    public int hashCode() {
        return utf8.length;
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
