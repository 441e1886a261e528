package org.aivillage.betanet.id;

import java.util.Locale;
import java.util.Optional;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.codec.Hex;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.Hashes;

/**
 * A self-certifying Betanet name (Betanet 1.1 §8.1): {@code betanet://<hex SHA-256(service pubkey)>[/resource]}.
 * A client checks that the key a service presents hashes to the ID ({@link #isCertifiedBy}).
 */
public record BetanetId(byte[] keyHash, Optional<String> resource) {
    public static final String SCHEME = "betanet://";

    public BetanetId {
        if (keyHash.length != 32) {
            throw new IllegalArgumentException("betanet id key hash must be 32 bytes");
        }
        keyHash = keyHash.clone();
        resource = resource.filter(r -> !r.isEmpty());
    }

    @Override
    public byte[] keyHash() {
        return keyHash.clone();
    }

    public static BetanetId forPublicKey(byte[] servicePublicKey) {
        return new BetanetId(Hashes.sha256(servicePublicKey), Optional.empty());
    }

    public BetanetId withResource(String path) {
        return new BetanetId(keyHash, Optional.of(path.startsWith("/") ? path.substring(1) : path));
    }

    /** Parses {@code betanet://<64 hex>[/resource]}; the hash is case-insensitive, the resource is kept as given. */
    public static BetanetId parse(String text) throws CodecException {
        if (!text.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new CodecException("betanet id scheme", 0, "must start with " + SCHEME);
        }
        String rest = text.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String hex = slash < 0 ? rest : rest.substring(0, slash);
        if (hex.length() != 64) {
            throw new CodecException("betanet id hash", SCHEME.length(), "must be 64 hex digits, was " + hex.length() + " characters");
        }
        byte[] hash;
        try {
            hash = Hex.decode(hex.toLowerCase(Locale.ROOT));
        } catch (CodecException e) {
            throw new CodecException("betanet id hash", SCHEME.length() + e.offset(), "not a hex digit");
        }
        Optional<String> resource = slash < 0 ? Optional.empty() : Optional.of(rest.substring(slash + 1));
        return new BetanetId(hash, resource);
    }

    /** True when SHA-256(presentedKey) equals this ID's hash (constant time). */
    public boolean isCertifiedBy(byte[] presentedPublicKey) {
        return ConstantTime.equals(keyHash, Hashes.sha256(presentedPublicKey));
    }

    @Override
    public String toString() {
        return SCHEME + Hex.encode(keyHash) + resource.map(r -> "/" + r).orElse("");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BetanetId b && java.util.Arrays.equals(keyHash, b.keyHash) && resource.equals(b.resource);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(keyHash) * 31 + resource.hashCode();
    }
}
